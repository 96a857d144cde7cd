import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { basemapState } from '../gis/api.ts';
import { Type } from 'typebox';
import { actorOf, authorize, isAdminAnywhere, requireUser, setSessionCookie } from '../../plugins/auth.ts';
import { errors } from '../../schemas.ts';
import { AppError } from '../../errors.ts';
import { readUpload } from '../../upload.ts';
import * as S from '../accounts/schemas.ts';
import { InstitutionOut, institutionOut, SetupProgress } from './schemas.ts';
import * as service from './service.ts';

const Color = Type.String({ pattern: '^#[0-9a-fA-F]{6}$', description: 'Color en hexadecimal, p. ej. #0b5d4b' });

/** First-run setup (the one-time page that creates the first admin) and the institution's identity. */
const setupRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const limited = { rateLimit: { max: app.config.loginRateLimit, timeWindow: '1 minute' } };
  const Token = Type.String({ minLength: 10, maxLength: 200 });

  app.get(
    '/setup',
    {
      config: limited,
      schema: {
        tags: ['instalación'],
        summary: 'Comprueba el enlace de instalación (solo mientras no existe ninguna cuenta de administración estatal)',
        querystring: Type.Object({ token: Token }),
        response: { 200: Type.Object({ valid: Type.Literal(true) }), ...errors(400, 404, 429) },
      },
    },
    async (req) => {
      await service.checkSetupToken(app.db, req.query.token);
      return { valid: true as const };
    },
  );

  app.post(
    '/setup',
    {
      config: limited,
      schema: {
        tags: ['instalación'],
        summary: 'Crea la primera cuenta de administración con el enlace de un solo uso que imprime el servidor',
        body: Type.Object({ token: Token, email: S.Email, name: Type.String({ minLength: 2, maxLength: 200 }), password: S.Password }),
        response: { 201: Type.Object({ userId: Type.Integer(), message: Type.String() }), ...errors(400, 404, 409, 429) },
      },
    },
    async (req, reply) => {
      const r = await service.completeSetup({ db: app.db, sessionTtlHours: app.config.sessionTtlHours }, actorOf(req), {
        ...req.body,
        userAgent: req.headers['user-agent'],
      });
      setSessionCookie(reply, r.token, r.maxAge);
      app.log.info('Primera cuenta de administración creada; el enlace de instalación ya no sirve.');
      return reply
        .status(201)
        .send({ userId: r.userId, message: 'Cuenta de administración creada. Continúe con la configuración de la institución.' });
    },
  );

  app.get(
    '/installation',
    {
      schema: {
        tags: ['instalación'],
        summary: 'Institución que opera Brújula: nombre, entidad, colores y logotipo',
        response: { 200: InstitutionOut },
      },
    },
    async () => institutionOut(await service.getInstallation(app.db)),
  );

  app.patch(
    '/installation',
    {
      schema: {
        tags: ['instalación'],
        summary: 'Cambia el nombre, la entidad o los colores de la institución (administración estatal)',
        body: Type.Object({
          institutionName: Type.Optional(Type.String({ minLength: 2, maxLength: 200 })),
          cveEnt: Type.Optional(Type.Union([Type.Null(), Type.String({ pattern: '^[0-9]{2}$' })])),
          primaryColor: Type.Optional(Color),
          accentColor: Type.Optional(Color),
        }),
        response: { 200: InstitutionOut, ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      authorize(req, ['admin'], null);
      await service.updateInstallation(app.db, actorOf(req), req.body);
      return institutionOut(await service.getInstallation(app.db));
    },
  );

  app.put(
    '/installation/logo',
    {
      schema: {
        tags: ['instalación'],
        summary: 'Sube el logotipo (PNG, JPEG o WebP; se guarda como PNG de hasta 512 px)',
        consumes: ['multipart/form-data'],
        response: { 200: InstitutionOut, ...errors(400, 401, 403, 413, 415) },
      },
    },
    async (req) => {
      authorize(req, ['admin'], null);
      const file = await readUpload(req, 5);
      await service.setLogo(app.db, actorOf(req), file.bytes);
      return institutionOut(await service.getInstallation(app.db));
    },
  );

  app.delete(
    '/installation/logo',
    { schema: { tags: ['instalación'], summary: 'Quita el logotipo', response: { 200: InstitutionOut, ...errors(401, 403) } } },
    async (req) => {
      authorize(req, ['admin'], null);
      await service.setLogo(app.db, actorOf(req), null);
      return institutionOut(await service.getInstallation(app.db));
    },
  );

  app.get(
    '/installation/logo.png',
    {
      schema: {
        tags: ['instalación'],
        summary: 'Logotipo de la institución',
        querystring: Type.Object({ v: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647 })) }),
        response: { 200: Type.Any({ description: 'image/png' }), ...errors(404) },
      },
    },
    async (req, reply) => {
      const l = await service.getLogo(app.db);
      if (!l.logo) throw new AppError('BRJ_ERR_NOT_FOUND', 'La institución no tiene logotipo.');
      // The address carries the version, so a versioned request may be cached for good.
      reply.header('cache-control', req.query.v === l.logo_version ? 'public, max-age=31536000, immutable' : 'public, max-age=60');
      return reply.type('image/png').send(l.logo);
    },
  );

  app.get(
    '/admin/setup',
    {
      schema: {
        tags: ['instalación'],
        summary: 'Avance de la configuración inicial (institución, territorio, municipios activos, dependencias, personal)',
        response: {
          200: SetupProgress,
          ...errors(401, 403),
        },
      },
    },
    async (req) => {
      if (!isAdminAnywhere(requireUser(req))) throw new AppError('BRJ_ERR_FORBIDDEN');
      const progress = await service.setupProgress(app.db);
      // Read after the query: a build may finish meanwhile.
      return { ...progress, basemap: basemapState(app.config.dataDir) };
    },
  );
};

export default setupRoutes;
