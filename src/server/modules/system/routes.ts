import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { sql } from 'kysely';
import { VERSION } from '../../app.ts';
import { basemapInfo } from '../gis/basemap.ts';
import { getInstallation } from '../setup/service.ts';
import { noStateAdmin } from '../accounts/repo.ts';
import { InstitutionOut, institutionOut } from '../setup/routes.ts';

/** Health, the OpenAPI document and the public runtime configuration the web app reads at start. */
const systemRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['sistema'],
        summary: 'Estado del servicio y de la base de datos',
        response: {
          200: Type.Object({ status: Type.Literal('ok'), database: Type.String(), version: Type.String() }),
          503: Type.Object({ status: Type.Literal('error'), database: Type.String(), message: Type.String() }),
        },
      },
    },
    async (_req, reply) => {
      try {
        await sql`select 1`.execute(app.db);
        return { status: 'ok' as const, database: app.database.kind, version: VERSION };
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
          200: Type.Object({
            version: Type.String(),
            demo: Type.Boolean(),
            basemapUrl: Type.String(),
            basemaps: Type.Array(Type.Object({ url: Type.String(), tileType: Type.String(), minZoom: Type.Integer(), maxZoom: Type.Integer(), bounds: Type.Array(Type.Number()), vectorLayers: Type.Array(Type.String()), name: Type.String(), attribution: Type.String() }), { description: 'Mapas base PMTiles servidos por la instalación (carpeta basemap de los datos)' }),
            database: Type.String(),
            defaultMunicipalityId: Type.Union([Type.String(), Type.Null()]),
            institution: InstitutionOut,
            setupPending: Type.Boolean({ description: 'Aún no existe ninguna cuenta de administración estatal (instalación nueva)' }),
          }),
        },
      },
    },
    async () => {
      const [first, installation, noAdmin] = await Promise.all([
        app.db.selectFrom('municipalities').select(['id', 'is_demo']).where('active', '=', true).orderBy('id').execute(),
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
