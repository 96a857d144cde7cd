import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { withActor } from '../../db/connection.ts';
import { actorOf, authorize, requireUser } from '../../plugins/auth.ts';
import { errors, lit, Nullable, PageQuery } from '../../schemas.ts';
import budgetRoutes from './budgets.routes.ts';
import { settings } from './common.ts';
import consultationRoutes from './consultations.routes.ts';
import { IdParams, Params, participationHttp } from './http.ts';
import { newChallenge, POW_HEADER } from './pow.ts';
import proposalRoutes from './proposals.routes.ts';
import reportRoutes from './reports.routes.ts';
import * as residency from './residency.ts';
import * as S from './schemas.ts';
import { registerHistoryRules } from '../audit/api.ts';
import { HISTORY } from './history.ts';

/**
 * Participation's plugin: the anti-abuse challenge, settings, residency and notifications here;
 * proposals, participatory budgets, consultations and citizen reports in their own route files.
 */
const participationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  registerHistoryRules(HISTORY);
  const { writeLimit, citizen } = participationHttp(app);
  const secret = app.config.secret;
  const sms = residency.smsSender(app.config.smsWebhookUrl);
  await app.register(proposalRoutes);
  await app.register(budgetRoutes);
  await app.register(consultationRoutes);
  await app.register(reportRoutes);

  // ---------- anti-abuse, settings, residency, notifications ----------
  app.get(
    '/pow/challenge',
    {
      schema: {
        tags: ['participación'],
        summary: 'Reto de prueba de trabajo (ALTCHA) para escrituras públicas',
        description: `Resuélvalo y envíe {challenge, solution} en base64url en el encabezado ${POW_HEADER}. Cada reto sirve una vez y vence en 10 minutos.`,
        response: { 200: S.PowChallenge },
      },
    },
    async (_req, reply) => reply.header('cache-control', 'no-store').send(await newChallenge(secret, app.config.powCost)),
  );

  app.get(
    '/municipalities/:municipalityId/participation/settings',
    {
      schema: {
        tags: ['participación'],
        summary: 'Verificación de residencia aceptada y límite diario por cuenta',
        params: Params,
        response: { 200: S.ParticipationSettings },
      },
    },
    async (req) => settings(app.db, req.params.municipalityId),
  );
  app.put(
    '/municipalities/:municipalityId/participation/settings',
    {
      schema: {
        tags: ['participación'],
        summary: 'Configurar la verificación de residencia y el límite diario (administración)',
        params: Params,
        body: Type.Object({
          verificacion: Type.Array(lit('sms', 'presencial'), { minItems: 1, maxItems: 2, uniqueItems: true }),
          limiteDiario: Type.Integer({ minimum: 1, maximum: 1000 }),
        }),
        response: { 200: S.ParticipationSettings, ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const mid = req.params.municipalityId;
      authorize(req, ['admin'], mid);
      await withActor(app.db, actorOf(req), (trx) =>
        trx
          .insertInto('participation_settings')
          .values({ municipality_id: mid, verificacion: req.body.verificacion, limite_diario: req.body.limiteDiario })
          .onConflict((oc) =>
            oc
              .column('municipality_id')
              .doUpdateSet({ verificacion: req.body.verificacion, limite_diario: req.body.limiteDiario, updated_at: new Date() }),
          )
          .execute(),
      );
      return settings(app.db, mid);
    },
  );

  app.get(
    '/municipalities/:municipalityId/residency',
    {
      schema: {
        tags: ['participación'],
        summary: 'Mi verificación de residencia',
        params: Params,
        response: { 200: S.ResidencyStatus, ...errors(401) },
      },
    },
    async (req) => residency.status(app.db, req.params.municipalityId, requireUser(req)),
  );
  app.post(
    '/municipalities/:municipalityId/residency/sms',
    {
      config: writeLimit,
      schema: {
        tags: ['participación'],
        summary: 'Pedir un código de verificación por SMS',
        params: Params,
        body: Type.Object({ telefono: Type.String({ maxLength: 20 }) }),
        response: { 200: S.SmsStarted, ...errors(400, 401, 403, 409, 429) },
      },
    },
    async (req) => {
      const mid = req.params.municipalityId;
      const user = citizen(req, mid);
      return residency.startSms(app.db, actorOf(req), secret, sms, mid, user, req.body.telefono);
    },
  );
  app.post(
    '/municipalities/:municipalityId/residency/sms/confirm',
    {
      config: writeLimit,
      schema: {
        tags: ['participación'],
        summary: 'Confirmar el código recibido por SMS',
        params: Params,
        body: Type.Object({ codigo: Type.String({ pattern: '^[0-9]{6}$' }), unitId: Type.Optional(Nullable(Type.Integer())) }),
        response: { 200: S.SmsConfirmed, ...errors(400, 401, 403, 409, 429) },
      },
    },
    async (req) => {
      const mid = req.params.municipalityId;
      const user = citizen(req, mid);
      return residency.confirmSms(app.db, actorOf(req), secret, mid, user, req.body.codigo, req.body.unitId);
    },
  );
  app.post(
    '/municipalities/:municipalityId/residency/in-person',
    {
      schema: {
        tags: ['participación'],
        summary: 'Verificar en persona a un residente (personal del municipio; revisa el formato de la CURP)',
        params: Params,
        body: Type.Object({
          email: Type.String({ maxLength: 200 }),
          curp: Type.String({ maxLength: 18 }),
          unitId: Type.Optional(Nullable(Type.Integer())),
        }),
        response: { 200: S.VerifiedInPerson, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      const mid = req.params.municipalityId;
      const staff = authorize(req, ['planner', 'enlace'], mid);
      return residency.verifyInPerson(app.db, actorOf(req), secret, mid, staff, req.body);
    },
  );
  app.delete(
    '/municipalities/:municipalityId/residency/:id',
    {
      schema: {
        tags: ['participación'],
        summary: 'Retirar la verificación de residencia de una persona (administración)',
        params: IdParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404) },
      },
    },
    async (req, reply) => {
      authorize(req, ['admin'], req.params.municipalityId);
      await residency.revoke(app.db, actorOf(req), req.params.municipalityId, req.params.id);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/municipalities/:municipalityId/residency/sms-outbox',
    {
      schema: {
        tags: ['participación'],
        summary: 'SMS pendientes del remitente integrado (administración)',
        params: Params,
        response: { 200: Type.Array(S.SmsOutboxItem), ...errors(401, 403) },
      },
    },
    async (req) => {
      authorize(req, ['admin'], req.params.municipalityId);
      return (await residency.smsOutbox(app.db, req.params.municipalityId)).map(S.smsOutboxItemOut);
    },
  );

  app.get(
    '/me/notifications',
    {
      schema: {
        tags: ['participación'],
        summary: 'Mis avisos',
        querystring: Type.Object({ ...PageQuery }),
        response: { 200: S.Notifications, ...errors(401) },
      },
    },
    async (req) => {
      const user = requireUser(req);
      const items = await app.db
        .selectFrom('notifications')
        .select(['id', 'municipality_id', 'titulo', 'cuerpo', 'enlace', 'created_at', 'read_at'])
        .where('user_id', '=', user.id)
        .orderBy('id', 'desc')
        .limit(req.query.limit)
        .offset((req.query.page - 1) * req.query.limit)
        .execute();
      const unread = await app.db
        .selectFrom('notifications')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', user.id)
        .where('read_at', 'is', null)
        .executeTakeFirstOrThrow();
      return {
        items: items.map((n) => ({
          id: n.id,
          municipalityId: n.municipality_id,
          titulo: n.titulo,
          cuerpo: n.cuerpo,
          enlace: n.enlace,
          createdAt: n.created_at,
          readAt: n.read_at,
        })),
        sinLeer: Number(unread.n),
      };
    },
  );
  app.post(
    '/me/notifications/read',
    {
      schema: {
        tags: ['participación'],
        summary: 'Marcar avisos como leídos (todos, o los indicados)',
        body: Type.Object({ ids: Type.Optional(Type.Array(Type.Integer(), { maxItems: 500 })) }),
        response: { 200: S.MarkedRead, ...errors(401) },
      },
    },
    async (req) => {
      const user = requireUser(req);
      let q = app.db.updateTable('notifications').set({ read_at: new Date() }).where('user_id', '=', user.id).where('read_at', 'is', null);
      if (req.body.ids) q = q.where('id', 'in', req.body.ids.length ? req.body.ids : [0]);
      const r = await q.executeTakeFirst();
      return { marcados: Number(r.numUpdatedRows) };
    },
  );
};

export default participationRoutes;
