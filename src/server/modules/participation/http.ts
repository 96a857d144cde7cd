import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { authorize } from '../../plugins/auth.ts';
import { MunicipalityId } from '../../schemas.ts';
import { POW_HEADER, spendProof } from './pow.ts';

/** What every participation route file shares: parameters, who may write, the rate limit and the proof of work. */

export const Params = Type.Object({ municipalityId: MunicipalityId });
export const IdParams = Type.Object({ municipalityId: MunicipalityId, id: Type.Integer() });
export const Lon = Type.Number({ minimum: -180, maximum: 180 });
export const Lat = Type.Number({ minimum: -90, maximum: 90 });
export const Hide = Type.Object({ oculto: Type.Boolean(), motivo: Type.Optional(Type.String({ maxLength: 500 })) });
export const PHOTO_MAX_MB = 10;

export function participationHttp(app: FastifyInstance) {
  return {
    // Per person when signed in (so one office's shared IP does not lock out a whole building).
    writeLimit: {
      rateLimit: {
        max: app.config.publicWriteRateLimit,
        timeWindow: '1 minute',
        keyGenerator: (req: FastifyRequest) => (req.user ? `u${req.user.id}` : req.ip),
      },
    },
    proof: (req: FastifyRequest) => spendProof(app.db, app.config.secret, app.config.powCost, req.headers[POW_HEADER]),
    planner: (req: FastifyRequest, mid: string) => authorize(req, ['planner'], mid),
    citizen: (req: FastifyRequest, mid: string) => authorize(req, ['citizen', 'planner', 'enlace', 'council'], mid),
    /** An uploaded image or PDF, served so a browser never runs it as a page. */
    sendImage: (reply: FastifyReply, f: { mime: string; bytes: Buffer; nombre?: string }) =>
      reply
        .type(f.mime)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'")
        .header('cache-control', 'public, max-age=3600')
        .header('content-disposition', `inline; filename="${encodeURIComponent(f.nombre ?? 'imagen.jpg')}"`)
        .send(f.bytes),
  };
}
