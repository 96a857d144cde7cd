// Department API tokens: how an enlace's system loads data without a session.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { withActor } from '../../db/connection.ts';
import { AppError } from '../../errors.ts';
import { actorOf, authorize, hashToken, newToken } from '../../plugins/auth.ts';
import { errors, Message, MunicipalityId } from '../../schemas.ts';

const Params = Type.Object({ municipalityId: MunicipalityId });

const tokensRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const TokenOut = Type.Object({
    id: Type.Integer(),
    name: Type.String(),
    departmentId: Type.Integer(),
    createdAt: Type.String({ format: 'date-time' }),
    lastUsedAt: Type.Union([Type.Null(), Type.String({ format: 'date-time' })]),
    revokedAt: Type.Union([Type.Null(), Type.String({ format: 'date-time' })]),
  });

  app.get(
    '/municipalities/:municipalityId/api-tokens',
    {
      schema: {
        tags: ['indicadores'],
        summary: 'Tokens de API de las dependencias',
        params: Params,
        response: { 200: Type.Array(TokenOut), ...errors(401, 403) },
      },
    },
    async (req) => {
      authorize(req, ['planner'], req.params.municipalityId);
      if (req.apiToken) throw new AppError('BRJ_ERR_FORBIDDEN');
      const rows = await app.db
        .selectFrom('api_tokens')
        .selectAll()
        .where('municipality_id', '=', req.params.municipalityId)
        .orderBy('id')
        .execute();
      const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        departmentId: r.department_id,
        createdAt: iso(r.created_at)!,
        lastUsedAt: iso(r.last_used_at),
        revokedAt: iso(r.revoked_at),
      }));
    },
  );

  app.post(
    '/municipalities/:municipalityId/api-tokens',
    {
      schema: {
        tags: ['indicadores'],
        summary: 'Crear un token de API para una dependencia (se muestra una sola vez)',
        params: Params,
        body: Type.Object({ name: Type.String({ minLength: 2, maxLength: 120 }), departmentId: Type.Integer() }),
        response: { 201: Type.Object({ id: Type.Integer(), token: Type.String() }), ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => {
      const mid = req.params.municipalityId;
      authorize(req, ['planner'], mid);
      if (req.apiToken) throw new AppError('BRJ_ERR_FORBIDDEN');
      const dep = await app.db
        .selectFrom('shared_departments')
        .select('id')
        .where('id', '=', req.body.departmentId)
        .where('municipality_id', '=', mid)
        .executeTakeFirst();
      if (!dep) throw new AppError('BRJ_ERR_VALIDATION', 'La dependencia no pertenece a este municipio.');
      const token = `brj_${newToken()}`;
      const row = await withActor(app.db, actorOf(req), (trx) =>
        trx
          .insertInto('api_tokens')
          .values({
            municipality_id: mid,
            department_id: dep.id,
            name: req.body.name,
            token_hash: hashToken(token),
            created_by: req.user!.id,
          })
          .returning('id')
          .executeTakeFirstOrThrow(),
      );
      return reply.status(201).send({ id: row.id, token });
    },
  );

  app.delete(
    '/municipalities/:municipalityId/api-tokens/:tokenId',
    {
      schema: {
        tags: ['indicadores'],
        summary: 'Revocar un token de API',
        params: Type.Object({ municipalityId: MunicipalityId, tokenId: Type.Integer() }),
        response: { 200: Message, ...errors(401, 403, 404) },
      },
    },
    async (req) => {
      authorize(req, ['planner'], req.params.municipalityId);
      if (req.apiToken) throw new AppError('BRJ_ERR_FORBIDDEN');
      const r = await withActor(app.db, actorOf(req), (trx) =>
        trx
          .updateTable('api_tokens')
          .set({ revoked_at: new Date() })
          .where('id', '=', req.params.tokenId)
          .where('municipality_id', '=', req.params.municipalityId)
          .where('revoked_at', 'is', null)
          .executeTakeFirst(),
      );
      if (!r.numUpdatedRows) throw new AppError('BRJ_ERR_NOT_FOUND');
      return { message: 'Token revocado.' };
    },
  );
};

export default tokensRoutes;
