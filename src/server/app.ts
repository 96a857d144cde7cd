import { documentRoute } from './contract.ts';
import { boundRouteSchema, nonFiniteField } from './schema-bounds.ts';
import { configureParseLimits } from './parse-limits.ts';
import { configureArchives } from './archive.ts';
import fs from 'node:fs';
import path from 'node:path';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import helmet from '@fastify/helmet';
import loadShedding from './plugins/load-shedding.ts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.ts';
import { VERSION, WEB_DIST } from './paths.ts';
import type { Database } from './db/connection.ts';
import { AppError, databaseInputError, ERRORS, validationProblem } from './errors.ts';
import dbPlugin from './plugins/db.ts';
import authPlugin from './plugins/auth.ts';
import metricsPlugin from './plugins/metrics.ts';
import { ErrorSchema } from './schemas.ts';
import { startMailer } from './mail.ts';
import { lazyCompilers } from './lazy-compilers.ts';
import systemRoutes from './modules/system/routes.ts';
import territoryRoutes from './modules/territory/routes.ts';
import accountsRoutes from './modules/accounts/routes.ts';
import auditRoutes from './modules/audit/routes.ts';
import indicatorsRoutes from './modules/indicators/routes.ts';
import plansRoutes from './modules/plans/routes.ts';
import programsRoutes from './modules/programs/routes.ts';
import gisRoutes from './modules/gis/routes.ts';
import emergencyRoutes from './modules/emergency/routes.ts';
import ogcRoutes, { tileRoutes } from './modules/gis/ogc.ts';
import participationRoutes from './modules/participation/routes.ts';
import open311Routes from './modules/participation/open311.ts';
import evaluationRoutes from './modules/evaluation/routes.ts';
import setupRoutes from './modules/setup/routes.ts';

export { VERSION, WEB_DIST };

declare module 'fastify' {
  interface FastifyInstance {
    mailer?: ReturnType<typeof startMailer>;
  }
}

export interface BuildOptions {
  config: Readonly<Config>;
  database: Database;
  logger?: boolean;
}

/** pino's options: JSON lines for collectors, or readable lines (pino-pretty, loaded only then) on a terminal. */
async function loggerOptions(config: Readonly<Config>) {
  if (config.logFormat === 'json') return { level: config.logLevel };
  const { default: pretty } = await import('pino-pretty');
  return {
    level: config.logLevel,
    stream: pretty({ colorize: process.stdout.isTTY, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' }),
  };
}

/**
 * Security headers on every response (helmet): a CSP that allows only this origin's scripts (and the
 * basemap's, when it is on another origin), no framing except the embeds, nosniff, a strict referrer
 * policy; HSTS and upgrade-insecure-requests only when the public URL is https, so a plain-HTTP
 * installation on a LAN keeps working.
 */
function securityHeaders(config: Readonly<Config>) {
  const https = config.publicUrl.startsWith('https:');
  const basemapOrigin = /^https?:\/\//.test(config.basemapUrl) ? new URL(config.basemapUrl).origin : null;
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        // Inline <style> in the OGC HTML pages and style attributes set by React and MapLibre.
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'", ...(basemapOrigin ? [basemapOrigin] : [])],
        // MapLibre runs its workers from blob: URLs.
        'worker-src': ["'self'", 'blob:'],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        ...(https && { 'upgrade-insecure-requests': [] }),
      },
    },
    frameguard: { action: 'deny' as const },
    hsts: https ? { maxAge: 31536000 } : false,
    // Open data (tiles, OGC, downloads) is meant to be used from other sites; private data needs a
    // session cookie, which SameSite keeps out of cross-site requests anyway.
    crossOriginResourcePolicy: { policy: 'cross-origin' as const },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' as const },
  };
}

/** Embeds (/embed/...) are made to be framed by other sites. */
function allowFraming(reply: FastifyReply) {
  reply.removeHeader('x-frame-options');
  const csp = reply.getHeader('content-security-policy');
  if (typeof csp === 'string') reply.header('content-security-policy', csp.replace("frame-ancestors 'none'", 'frame-ancestors *'));
}

/** Builds the Fastify app from its modules; shared by `brujula serve` and the tests (app.inject). */
export async function build({ config, database, logger }: BuildOptions): Promise<FastifyInstance> {
  configureArchives(config.uploadMaxInflatedMb);
  configureParseLimits(config.uploadMaxRows);
  const app = Fastify({
    logger: logger === false ? false : await loggerOptions(config),
    logController: new LogController({ disableRequestLogging: !config.logRequests }),
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { removeAdditional: 'all', coerceTypes: 'array', useDefaults: true, allErrors: true } },
    schemaController: { compilersFactory: lazyCompilers as never },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Before any route: every schema gets the bounds that keep accepted input storable.
  app.addHook('onRoute', (route) => {
    boundRouteSchema(route.method, route.schema as Record<string, unknown> | undefined);
    documentRoute(route);
  });
  app.addHook('preHandler', async (req) => {
    const field = nonFiniteField(req.params, req.query);
    if (field) throw new AppError('BRJ_ERR_VALIDATION', undefined, [{ field, problem: 'debe ser un número finito' }]);
  });
  await app.register(dbPlugin, { config, database });
  await app.register(helmet, securityHeaders(config));
  await app.register(loadShedding, { maxInFlight: config.maxInFlight, maxEventLoopDelayMs: config.maxEventLoopDelayMs });
  await app.register(cookie, { secret: config.secret });
  await app.register(csrf, {
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: config.secureCookies, signed: true },
  });
  await app.register(rateLimit, { global: false });
  await app.register(multipart, { limits: { fileSize: config.uploadMaxMb * 1024 * 1024, files: 1 } });
  app.addSchema(ErrorSchema);

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Brújula API',
        version: VERSION,
        description:
          'API pública y de gestión de Brújula: territorio, cuentas, bitácora de auditoría, indicadores, planes (con consulta pública), programas del POA con obra pública en OCDS, el SIG (capas, OGC API – Features, teselas vectoriales) las llamadas de emergencia georreferenciadas y la participación ciudadana (propuestas, presupuesto participativo, consultas, reportes ciudadanos; estos también por Open311 GeoReport v2 en `/open311/v2`). Las operaciones que modifican datos requieren sesión y el encabezado `x-csrf-token` (obtenido en `GET /api/v1/auth/csrf`).',
      },
      servers: [{ url: config.publicUrl }],
      components: {
        securitySchemes: {
          sesion: {
            type: 'apiKey',
            in: 'cookie',
            name: 'brj_sid',
            description: 'Sesión iniciada con POST /api/v1/auth/login (cookie HttpOnly, SameSite=Lax).',
          },
          csrf: {
            type: 'apiKey',
            in: 'header',
            name: 'x-csrf-token',
            description: 'Token de GET /api/v1/auth/csrf; lo exige toda operación que modifica datos con sesión de navegador.',
          },
          tokenDependencia: {
            type: 'http',
            scheme: 'bearer',
            description: 'Token de API de una dependencia (brj_…), para cargar datos de indicadores sin navegador.',
          },
          open311: {
            type: 'apiKey',
            in: 'query',
            name: 'api_key',
            description: 'Clave de un cliente Open311 GeoReport v2 registrado por el municipio.',
          },
          bearerMetricas: {
            type: 'http',
            scheme: 'bearer',
            description: 'BRUJULA_METRICS_TOKEN, cuando está configurado, para leer /metrics.',
          },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    if (err instanceof AppError) {
      return reply.status(err.statusCode).send({ code: err.code, message: err.message, details: err.details });
    }
    const e = err as FastifyError;
    if (e.validation) {
      return reply.status(400).send({
        code: 'BRJ_ERR_VALIDATION',
        message: ERRORS.BRJ_ERR_VALIDATION.message,
        details: e.validation.map((v) => ({
          field: v.instancePath || (v.params as { missingProperty?: string }).missingProperty,
          problem: validationProblem(v),
        })),
      });
    }
    if (e.code?.startsWith('FST_CSRF')) {
      return reply.status(403).send({ code: 'BRJ_ERR_CSRF', message: ERRORS.BRJ_ERR_CSRF.message });
    }
    if (e.statusCode === 429) {
      return reply.status(429).send({ code: 'BRJ_ERR_RATE_LIMITED', message: ERRORS.BRJ_ERR_RATE_LIMITED.message });
    }
    if (e.code === 'FST_REQ_FILE_TOO_LARGE' || e.statusCode === 413) {
      return reply.status(413).send({ code: 'BRJ_ERR_PAYLOAD_TOO_LARGE', message: ERRORS.BRJ_ERR_PAYLOAD_TOO_LARGE.message });
    }
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
      return reply.status(e.statusCode).send({ code: 'BRJ_ERR_VALIDATION', message: e.message });
    }
    // Input the schemas let through but PostgreSQL refuses is still the client's input: a 4xx, and
    // a warning in the log so that a schema can be tightened.
    const pg = databaseInputError(err);
    if (pg) {
      req.log.warn({ err }, 'database refused input');
      return reply.status(pg.status).send({ code: pg.code, message: pg.message });
    }
    req.log.error(err);
    return reply.status(500).send({ code: 'BRJ_ERR_INTERNAL', message: ERRORS.BRJ_ERR_INTERNAL.message });
  });

  if (config.smtpUrl) {
    const mailer = startMailer(database.db, { smtpUrl: config.smtpUrl, from: config.mailFrom, log: (m) => app.log.warn(m) });
    app.decorate('mailer', mailer);
    app.addHook('onClose', async () => mailer.stop());
  }

  await app.register(authPlugin);
  await app.register(metricsPlugin);
  await app.register(systemRoutes);
  await app.register(territoryRoutes, { prefix: '/api/v1' });
  await app.register(accountsRoutes, { prefix: '/api/v1' });
  await app.register(setupRoutes, { prefix: '/api/v1' });
  await app.register(auditRoutes, { prefix: '/api/v1' });
  await app.register(indicatorsRoutes, { prefix: '/api/v1' });
  await app.register(plansRoutes, { prefix: '/api/v1' });
  await app.register(programsRoutes, { prefix: '/api/v1' });
  await app.register(gisRoutes, { prefix: '/api/v1' });
  await app.register(emergencyRoutes, { prefix: '/api/v1' });
  await app.register(participationRoutes, { prefix: '/api/v1' });
  await app.register(evaluationRoutes, { prefix: '/api/v1' });
  await app.register(open311Routes, { prefix: '/open311/v2' });
  await app.register(ogcRoutes);
  await app.register(tileRoutes);

  // The built web app: static files, and index.html for every client-side route.
  if (fs.existsSync(path.join(WEB_DIST, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: WEB_DIST,
      wildcard: false,
      index: false,
      preCompressed: true,
      // Vite names assets by content hash, so they never change under the same URL.
      cacheControl: false,
      setHeaders: (reply, filePath) => {
        reply.header(
          'cache-control',
          filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
        );
      },
    });
    const indexHtml = fs.readFileSync(path.join(WEB_DIST, 'index.html'), 'utf8');
    app.setNotFoundHandler((req, reply) => {
      if (req.method !== 'GET' || ['/api/', '/assets/', '/basemap/', '/tiles/', '/open311/'].some((p) => req.url.startsWith(p))) {
        return reply.status(404).send({ code: 'BRJ_ERR_NOT_FOUND', message: ERRORS.BRJ_ERR_NOT_FOUND.message });
      }
      if (req.url.startsWith('/embed/')) allowFraming(reply);
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(indexHtml);
    });
  } else {
    app.setNotFoundHandler((_req, reply) =>
      reply.status(404).send({ code: 'BRJ_ERR_NOT_FOUND', message: ERRORS.BRJ_ERR_NOT_FOUND.message }),
    );
  }
  return app;
}
