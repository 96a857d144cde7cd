import { AppError } from '../errors.ts';
import { errors, FileOf } from '../schemas.ts';
import crypto from 'node:crypto';
import fp from 'fastify-plugin';
import client from 'prom-client';

/** Prometheus metrics: process defaults plus request durations of every route (hence a root-level hook). */
export default fp(
  async (app) => {
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
        { method: req.method, route: req.routeOptions.url ?? 'sin ruta', status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });
    const token = app.config.metricsToken;
    const expected = token ? Buffer.from(`Bearer ${token}`) : null;
    app.get(
      '/metrics',
      {
        schema: {
          tags: ['sistema'],
          summary: 'Métricas en formato Prometheus',
          description: 'Con BRUJULA_METRICS_TOKEN, solo con el encabezado `Authorization: Bearer <token>`.',
          security: [{}, { bearerMetricas: [] }],
          response: { 200: FileOf('Métricas en el formato de texto de Prometheus', 'text/plain'), ...errors(401) },
        },
      },
      async (req, reply) => {
        if (expected) {
          const given = Buffer.from(req.headers.authorization ?? '');
          if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
            reply.header('www-authenticate', 'Bearer');
            throw new AppError(
              'BRJ_ERR_UNAUTHENTICATED',
              'Las métricas piden el token de BRUJULA_METRICS_TOKEN en el encabezado Authorization.',
            );
          }
        }
        reply.type(registry.contentType);
        return registry.metrics();
      },
    );
  },
  { name: 'brujula-metrics' },
);
