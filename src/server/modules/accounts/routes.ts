import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf, authorize, requireUser, setSessionCookie, SESSION_COOKIE, type SessionUser } from '../../plugins/auth.ts';
import { errors, Message, MunicipalityId, Paged, PageQuery } from '../../schemas.ts';
import * as S from './schemas.ts';
import { PASSWORD_POLICY } from './password.ts';
import * as service from './service.ts';
import { AppError } from '../../errors.ts';
import { departmentsOf, grantsOf } from './repo.ts';
import { readUpload } from '../../upload.ts';
import { readTable } from '../../tabular.ts';
import { registerHistoryRules } from '../audit/api.ts';
import { HISTORY } from './history.ts';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

const accountsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  registerHistoryRules(HISTORY);
  const ctx: service.AccountsContext = {
    db: app.db,
    publicUrl: app.config.publicUrl,
    sessionTtlHours: app.config.sessionTtlHours,
    loginAccountLimit: app.config.loginAccountLimit,
    log: (m) => app.log.info(m),
  };
  const limited = { rateLimit: { max: app.config.loginRateLimit, timeWindow: '1 minute' } };

  async function meOf(user: SessionUser | null) {
    if (!user) return null;
    const grants = await grantsOf(app.db, [user.id]);
    return { id: user.id, email: user.email, name: user.name, homeMunicipalityId: user.homeMunicipalityId, grants: grants.map(grantOut) };
  }

  app.get(
    '/auth/csrf',
    {
      schema: {
        tags: ['cuentas'],
        summary: 'Token CSRF para enviar en x-csrf-token',
        response: { 200: Type.Object({ token: Type.String() }) },
      },
    },
    async (_req, reply) => ({ token: reply.generateCsrf() }),
  );

  app.get('/auth/me', { schema: { tags: ['cuentas'], summary: 'Sesión actual', response: { 200: S.Me } } }, async (req) => meOf(req.user));

  app.post(
    '/auth/register',
    {
      config: limited,
      schema: {
        tags: ['cuentas'],
        summary: 'Registro ciudadano',
        description: `La respuesta es la misma si el correo ya tiene cuenta (a ese correo se le avisa), para no revelar quién está registrado. Contraseña: ${PASSWORD_POLICY}`,
        body: S.RegisterBody,
        response: { 201: Message, ...errors(400, 404, 429) },
      },
    },
    async (req, reply) => {
      await service.register(ctx, actorOf(req), req.body);
      return reply.status(201).send({ message: 'Revise su correo: le enviamos un enlace para confirmar su cuenta.' });
    },
  );

  app.post(
    '/auth/verify',
    {
      config: limited,
      schema: {
        tags: ['cuentas'],
        summary: 'Confirmar correo',
        body: Type.Object({ token: Type.String({ minLength: 10, maxLength: 200 }) }),
        response: { 200: Message, ...errors(400) },
      },
    },
    async (req) => {
      await service.verifyEmail(ctx, actorOf(req), req.body.token);
      return { message: 'Correo confirmado. Ya puede iniciar sesión.' };
    },
  );

  app.post(
    '/auth/login',
    {
      config: limited,
      schema: {
        tags: ['cuentas'],
        summary: 'Iniciar sesión',
        body: Type.Object({ email: S.Email, password: S.Password }),
        security: [{ csrf: [] }],
        response: { 200: S.Me, ...errors(400, 401, 403, 429) },
      },
    },
    async (req, reply) => {
      const { token, maxAge, user } = await service.login(ctx, actorOf(req), { ...req.body, userAgent: req.headers['user-agent'] });
      setSessionCookie(reply, token, maxAge);
      return meOf({ id: user.id, email: user.email, name: user.name, homeMunicipalityId: user.home_municipality_id, grants: [] });
    },
  );

  app.post('/auth/logout', { schema: { tags: ['cuentas'], summary: 'Cerrar sesión', response: { 200: Message } } }, async (req, reply) => {
    if (req.sessionId) await service.logout(ctx, actorOf(req), req.sessionId);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { message: 'Sesión cerrada.' };
  });

  app.post(
    '/auth/password/forgot',
    {
      config: limited,
      schema: {
        tags: ['cuentas'],
        summary: 'Solicitar restablecimiento de contraseña',
        body: Type.Object({ email: S.Email }),
        response: { 202: Message, ...errors(429) },
      },
    },
    async (req, reply) => {
      await service.forgotPassword(ctx, actorOf(req), req.body.email);
      return reply.status(202).send({ message: 'Si existe una cuenta con ese correo, enviamos un enlace para restablecer la contraseña.' });
    },
  );

  app.post(
    '/auth/password/reset',
    {
      config: limited,
      schema: {
        tags: ['cuentas'],
        summary: 'Restablecer contraseña',
        body: Type.Object({ token: Type.String({ minLength: 10, maxLength: 200 }), password: S.Password }),
        response: { 200: Message, ...errors(400) },
      },
    },
    async (req) => {
      await service.resetPassword(ctx, actorOf(req), req.body.token, req.body.password);
      return { message: 'Contraseña actualizada. Inicie sesión con la nueva contraseña.' };
    },
  );

  // ——— Administration ———
  app.get(
    '/admin/users',
    {
      schema: {
        tags: ['administración'],
        summary: 'Personas usuarias (según el alcance de quien administra)',
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 100 })),
          municipalityId: Type.Optional(MunicipalityId),
          ...PageQuery,
        }),
        response: { 200: Paged(S.UserOut), ...errors(401, 403) },
      },
    },
    async (req) => {
      const admin = requireUser(req);
      const { page, limit } = req.query;
      const r = await service.listUsers(ctx, admin, { search: req.query.q, municipalityId: req.query.municipalityId, page, limit });
      return {
        page,
        limit,
        total: r.total,
        items: r.items.map((u) => ({
          id: u.id,
          email: u.email,
          name: u.name,
          status: u.status,
          emailVerifiedAt: iso(u.email_verified_at),
          homeMunicipalityId: u.home_municipality_id,
          createdAt: iso(u.created_at as Date)!,
          lastLoginAt: iso(u.last_login_at),
          isDemo: u.is_demo,
          grants: u.grants.map(grantOut),
        })),
      };
    },
  );

  app.post(
    '/admin/users/:userId/grants',
    {
      schema: {
        tags: ['administración'],
        summary: 'Otorgar un rol en un municipio o en todo el estado',
        params: Type.Object({ userId: Type.Integer() }),
        body: S.GrantBody,
        response: { 201: Type.Object({ id: Type.Integer() }), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const admin = requireUser(req);
      const g = await service.grantRole(ctx, admin, actorOf(req), {
        userId: req.params.userId,
        municipalityId: req.body.municipalityId,
        role: req.body.role,
        departmentId: req.body.departmentId ?? null,
      });
      return reply.status(201).send({ id: g.id });
    },
  );

  app.delete(
    '/admin/users/:userId/grants/:grantId',
    {
      schema: {
        tags: ['administración'],
        summary: 'Retirar un rol',
        params: Type.Object({ userId: Type.Integer(), grantId: Type.Integer() }),
        response: { 200: Message, ...errors(401, 403, 404) },
      },
    },
    async (req) => {
      await service.revokeRole(ctx, requireUser(req), actorOf(req), req.params.userId, req.params.grantId);
      return { message: 'Rol retirado.' };
    },
  );

  app.patch(
    '/admin/users/:userId',
    {
      schema: {
        tags: ['administración'],
        summary: 'Bloquear o reactivar una cuenta',
        params: Type.Object({ userId: Type.Integer() }),
        body: Type.Object({ status: Type.Union([Type.Literal('active'), Type.Literal('blocked')]) }),
        response: { 200: Message, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      await service.setUserStatus(ctx, requireUser(req), actorOf(req), req.params.userId, req.body.status);
      return { message: req.body.status === 'blocked' ? 'Cuenta bloqueada.' : 'Cuenta reactivada.' };
    },
  );

  app.get(
    '/admin/outbox',
    {
      schema: {
        tags: ['administración'],
        summary: 'Bandeja de salida de correo (instalaciones sin servidor de correo)',
        querystring: Type.Object({ to: Type.Optional(Type.String({ maxLength: 254 })), ...PageQuery }),
        response: {
          200: Paged(S.OutboxMail),
          ...errors(401, 403),
        },
      },
    },
    async (req) => {
      authorize(req, ['admin'], null);
      const { page, limit, to } = req.query;
      let q = app.db.selectFrom('outbox');
      if (to) q = q.where((eb) => eb(eb.fn('lower', ['to_address']), '=', to.toLowerCase()));
      const total = (await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
      const rows = await q
        .selectAll()
        .orderBy('id', 'desc')
        .limit(limit)
        .offset((page - 1) * limit)
        .execute();
      return {
        page,
        limit,
        total: Number(total),
        items: rows.map((r) => ({ id: r.id, to: r.to_address, subject: r.subject, body: r.body, createdAt: iso(r.created_at as Date)! })),
      };
    },
  );

  // ——— Departments (unidades responsables) ———
  app.get(
    '/auth/invitation',
    {
      config: limited,
      schema: {
        tags: ['cuentas'],
        summary: 'A quién invita un enlace de invitación (sin gastarlo)',
        querystring: Type.Object({ token: Type.String({ minLength: 10, maxLength: 200 }) }),
        response: { 200: S.Invitation, ...errors(400, 429) },
      },
    },
    async (req) => {
      const r = await service.invitationInfo(ctx, req.query.token);
      return { email: r.email, name: r.name, grants: r.grants.map(grantOut) };
    },
  );

  app.post(
    '/auth/invitation/accept',
    {
      config: limited,
      schema: {
        tags: ['cuentas'],
        summary: 'Aceptar una invitación: elegir contraseña e iniciar sesión',
        body: Type.Object({
          token: Type.String({ minLength: 10, maxLength: 200 }),
          password: S.Password,
          name: Type.Optional(Type.String({ maxLength: 200 })),
        }),
        response: { 200: S.Me, ...errors(400, 403, 429) },
      },
    },
    async (req, reply) => {
      const { token, maxAge, user } = await service.acceptInvitation(ctx, actorOf(req), {
        ...req.body,
        userAgent: req.headers['user-agent'],
      });
      setSessionCookie(reply, token, maxAge);
      return meOf({ id: user.id, email: user.email, name: user.name, homeMunicipalityId: user.home_municipality_id, grants: [] });
    },
  );

  app.post(
    '/admin/invitations',
    {
      schema: {
        tags: ['administración'],
        summary: 'Invitar a una persona por correo con un rol',
        description:
          'Una dirección nueva recibe un enlace (vigente 7 días) para elegir su contraseña; una cuenta existente solo recibe el rol. Sin servidor de correo, el enlace queda en la bandeja de salida.',
        body: S.InvitationBody,
        response: {
          201: S.Invited,
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (req, reply) => {
      const admin = requireUser(req);
      const r = await service.invite(ctx, admin, actorOf(req), { ...req.body, departmentId: req.body.departmentId ?? null });
      return reply.status(201).send({
        userId: r.userId,
        created: r.created,
        // An account that never confirmed its address gets the invitation link too.
        message: r.link
          ? `Invitación enviada a ${req.body.email}.`
          : `${req.body.email} ya tenía cuenta: se le otorgó el rol y se le avisó por correo.`,
      });
    },
  );

  // ——— Departments (unidades responsables) ———
  const Params = Type.Object({ municipalityId: MunicipalityId });
  const departmentOut = (d: { id: number; municipality_id: string; name: string; acronym: string | null }) => ({
    id: d.id,
    municipalityId: d.municipality_id,
    name: d.name,
    acronym: d.acronym,
  });
  const resultOut = (r: Awaited<ReturnType<typeof service.addDepartments>>) => ({
    created: r.created.map(departmentOut),
    existing: r.existing,
  });

  app.get(
    '/municipalities/:municipalityId/departments',
    {
      schema: {
        tags: ['cuentas'],
        summary: 'Dependencias (unidades responsables) de un municipio',
        params: Params,
        response: { 200: Type.Array(S.Department) },
      },
    },
    async (req) => (await departmentsOf(app.db, req.params.municipalityId)).map(departmentOut),
  );

  app.post(
    '/municipalities/:municipalityId/departments',
    {
      schema: {
        tags: ['administración'],
        summary: 'Crear una dependencia',
        params: Params,
        body: Type.Object({ name: Type.String({ minLength: 2, maxLength: 200 }), acronym: Type.Optional(Type.String({ maxLength: 30 })) }),
        response: { 201: S.Department, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      authorize(req, ['admin'], req.params.municipalityId);
      const r = await service.addDepartments(app.db, actorOf(req), req.params.municipalityId, [req.body]);
      if (!r.created.length) throw new AppError('BRJ_ERR_CONFLICT', 'Ya existe una dependencia con ese nombre.');
      return reply.status(201).send(departmentOut(r.created[0]));
    },
  );

  app.post(
    '/municipalities/:municipalityId/departments/batch',
    {
      schema: {
        tags: ['administración'],
        summary: 'Crear varias dependencias de una lista (todo o nada; las que ya existen se dejan)',
        params: Params,
        body: Type.Object({
          departments: Type.Array(
            Type.Object({
              name: Type.String({ maxLength: 300 }),
              acronym: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 100 })])),
            }),
            { minItems: 1, maxItems: 500 },
          ),
        }),
        response: { 201: S.DepartmentsResult, ...errors(400, 401, 403, 404, 422) },
      },
    },
    async (req, reply) => {
      authorize(req, ['admin'], req.params.municipalityId);
      return reply
        .status(201)
        .send(resultOut(await service.addDepartments(app.db, actorOf(req), req.params.municipalityId, req.body.departments)));
    },
  );

  app.post(
    '/municipalities/:municipalityId/departments/import',
    {
      schema: {
        tags: ['administración'],
        summary: 'Importar dependencias de un XLSX o CSV (columnas nombre y siglas; todo o nada)',
        consumes: ['multipart/form-data'],
        params: Params,
        response: { 201: S.DepartmentsResult, ...errors(400, 401, 403, 404, 413, 415, 422) },
      },
    },
    async (req, reply) => {
      authorize(req, ['admin'], req.params.municipalityId);
      const file = await readUpload(req, 5);
      const rows = service.departmentRows(await readTable(file.nombre, file.bytes));
      if (rows.length > 500)
        throw new AppError('BRJ_ERR_IMPORT_INVALID', `El archivo tiene ${rows.length} dependencias; el máximo por carga es 500.`);
      return reply.status(201).send(resultOut(await service.addDepartments(app.db, actorOf(req), req.params.municipalityId, rows)));
    },
  );
};

function grantOut(g: Awaited<ReturnType<typeof grantsOf>>[number]) {
  return {
    id: g.id,
    municipalityId: g.municipality_id,
    municipalityName: g.municipality_name,
    role: g.role,
    departmentId: g.department_id,
    departmentName: g.department_name,
  };
}

export default accountsRoutes;
