import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { sql } from 'kysely';
import { VERSION } from '../../app.ts';
import { noStateAdmin } from '../accounts/api.ts';
import { basemapInfo } from '../gis/api.ts';
import { getInstallation, institutionOut } from '../setup/api.ts';
import * as S from './schemas.ts';

/** Health, the OpenAPI document and the public runtime configuration the web app reads at start. */
const systemRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['sistema'],
        summary: 'Estado del servicio y de la base de datos',
        description:
          'Responde en menos de 200 ms aunque la base de datos esté ocupada (p. ej. con un trabajo en segundo plano en PGlite, que atiende una consulta a la vez): entonces `databaseBusy` es true. 503 si la base de datos falla.',
        response: {
          200: Type.Object({ status: Type.Literal('ok'), database: Type.String(), databaseBusy: Type.Boolean(), version: Type.String() }),
          503: Type.Object({ status: Type.Literal('error'), database: Type.String(), message: Type.String() }),
        },
      },
    },
    async (_req, reply) => {
      // A monitor must tell "alive but busy" from "down" quickly: a query that takes longer than
      // 100 ms is busy, not failed; one that fails is down.
      // Any query answered within the last second shows the database is up (under load a probe
      // would otherwise queue behind the requests it is meant to watch).
      if (app.database.sinceLastAnswer() < 1000)
        return { status: 'ok' as const, database: app.database.kind, databaseBusy: false, version: VERSION };
      const check = sql`select 1`.execute(app.db).then(() => 'ok' as const);
      const busy = new Promise<'busy'>((r) => setTimeout(() => r('busy'), 100).unref());
      try {
        const r = await Promise.race([check, busy]);
        check.catch(() => {});
        return { status: 'ok' as const, database: app.database.kind, databaseBusy: r === 'busy', version: VERSION };
      } catch (e) {
        return reply.status(503).send({ status: 'error' as const, database: app.database.kind, message: (e as Error).message });
      }
    },
  );

  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get(
    '/api/v1/config',
    {
      schema: {
        tags: ['sistema'],
        summary: 'Configuración pública para la aplicación web',
        response: {
          200: S.PublicConfig,
        },
      },
    },
    async () => {
      const [first, installation, noAdmin] = await Promise.all([
        app.db.selectFrom('shared_municipalities').select(['id', 'is_demo']).where('active', '=', true).orderBy('id').execute(),
        getInstallation(app.db),
        noStateAdmin(app.db),
      ]);
      return {
        version: VERSION,
        demo: first.some((m) => m.is_demo),
        basemapUrl: app.config.basemapUrl,
        basemaps: basemapInfo(app.config.dataDir),
        database: app.database.kind,
        defaultMunicipalityId: first.find((m) => m.id === '32056')?.id ?? first[0]?.id ?? null,
        institution: institutionOut(installation),
        setupPending: noAdmin,
      };
    },
  );
};

export default systemRoutes;
