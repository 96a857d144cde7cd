import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { sql } from 'kysely';
import client from 'prom-client';
import { VERSION } from '../../app.ts';

/** Health, Prometheus metrics and the public runtime configuration the web app reads at start. */
const systemRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const httpDuration = new client.Histogram({
    name: 'brujula_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  app.addHook('onResponse', async (req, reply) => {
    httpDuration.observe(
      { method: req.method, route: req.routeOptions.url ?? 'unknown', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

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

  app.get('/metrics', { schema: { tags: ['sistema'], summary: 'Métricas en formato Prometheus', hide: false } }, async (_req, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });

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
            database: Type.String(),
            defaultMunicipalityId: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    async () => {
      const first = await app.db
        .selectFrom('municipalities')
        .select(['id', 'is_demo'])
        .where('active', '=', true)
        .orderBy('id')
        .execute();
      return {
        version: VERSION,
        demo: first.some((m) => m.is_demo),
        basemapUrl: app.config.basemapUrl,
        database: app.database.kind,
        defaultMunicipalityId: first.find((m) => m.id === '32056')?.id ?? first[0]?.id ?? null,
      };
    },
  );
};

export default systemRoutes;
