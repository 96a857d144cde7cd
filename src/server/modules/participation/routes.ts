import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { withActor } from '../../db/connection.ts';
import { actorOf, authorize, hasRole, requireUser } from '../../plugins/auth.ts';
import { CSV, errors, FileOf, IMAGE, lit, MunicipalityId, Nullable, PageQuery, PDF } from '../../schemas.ts';
import { toCsvText } from '../../tabular.ts';
import { readUpload } from '../../upload.ts';
import * as budgets from './budgets.ts';
import * as consultations from './consultations.ts';
import * as proposals from './proposals.ts';
import * as reports from './reports.ts';
import * as residency from './residency.ts';
import { settings } from './common.ts';
import * as S from './schemas.ts';
import { newChallenge, POW_HEADER, spendProof } from './pow.ts';

const Any = Type.Unknown();
const Params = Type.Object({ municipalityId: MunicipalityId });
const IdParams = Type.Object({ municipalityId: MunicipalityId, id: Type.Integer() });
const Lon = Type.Number({ minimum: -180, maximum: 180 });
const Lat = Type.Number({ minimum: -90, maximum: 90 });
const Estado = lit(...proposals.ESTADOS);
const Hide = Type.Object({ oculto: Type.Boolean(), motivo: Type.Optional(Type.String({ maxLength: 500 })) });
const PHOTO_MAX_MB = 10;

const participationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Per person when signed in (so one office's shared IP does not lock out a whole building).
  const writeLimit = {
    rateLimit: {
      max: app.config.publicWriteRateLimit,
      timeWindow: '1 minute',
      keyGenerator: (req: FastifyRequest) => (req.user ? `u${req.user.id}` : req.ip),
    },
  };
  const secret = app.config.secret;
  const sms = residency.smsSender(app.config.smsWebhookUrl);
  const proof = (req: FastifyRequest) => spendProof(app.db, secret, app.config.powCost, req.headers[POW_HEADER]);
  const planner = (req: FastifyRequest, mid: string) => authorize(req, ['planner'], mid);
  const citizen = (req: FastifyRequest, mid: string) => authorize(req, ['citizen', 'planner', 'enlace', 'council'], mid);

  const sendImage = (reply: FastifyReply, f: { mime: string; bytes: Buffer; nombre?: string }) =>
    reply
      .type(f.mime)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'")
      .header('cache-control', 'public, max-age=3600')
      .header('content-disposition', `inline; filename="${encodeURIComponent(f.nombre ?? 'imagen.jpg')}"`)
      .send(f.bytes);

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

  // ---------- PROPONLE ----------
  const ptags = ['propuestas (PROPONLE)'];
  const ProposalFilter = {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    tema: Type.Optional(Type.String({ maxLength: 60 })),
    estado: Type.Optional(Estado),
    unitId: Type.Optional(Type.Integer()),
    orden: Type.Optional(lit('recientes', 'apoyos', 'comentarios')),
    mias: Type.Optional(Type.Boolean()),
    ocultas: Type.Optional(Type.Boolean({ description: 'Solo moderación: las propuestas ocultas' })),
  };
  const ProposalBody = Type.Object({
    titulo: Type.String({ minLength: 1, maxLength: 200 }),
    cuerpo: Type.String({ minLength: 1, maxLength: 20000, description: 'HTML; se sanea (párrafos, listas, negritas, enlaces)' }),
    tema: Type.String({ maxLength: 60 }),
    lon: Type.Optional(Nullable(Lon)),
    lat: Type.Optional(Nullable(Lat)),
  });

  app.get(
    '/municipalities/:municipalityId/proposals',
    {
      schema: {
        tags: ptags,
        summary: 'Propuestas ciudadanas (búsqueda en español sin acentos, filtros y orden)',
        params: Params,
        querystring: Type.Object({ ...ProposalFilter, ...PageQuery }),
        response: { 200: Any },
      },
    },
    async (req) => {
      const { page, limit, ...f } = req.query;
      return proposals.list(app.db, req.params.municipalityId, f, page, limit, req.user);
    },
  );
  app.get(
    '/municipalities/:municipalityId/proposals/similar',
    {
      schema: {
        tags: ptags,
        summary: 'Propuestas parecidas al texto (para evitar duplicados)',
        params: Params,
        querystring: Type.Object({ q: Type.String({ maxLength: 500 }) }),
        response: { 200: Any },
      },
    },
    async (req) => proposals.similar(app.db, req.params.municipalityId, req.query.q),
  );
  app.get(
    '/municipalities/:municipalityId/proposals.geojson',
    {
      schema: {
        tags: ptags,
        summary: 'Propuestas ubicadas (GeoJSON)',
        params: Params,
        querystring: Type.Object({ tema: ProposalFilter.tema, estado: ProposalFilter.estado }),
        response: { 200: Any },
      },
    },
    async (req, reply) => reply.type('application/geo+json').send(await proposals.geojson(app.db, req.params.municipalityId, req.query)),
  );
  app.get(
    '/municipalities/:municipalityId/proposals.csv',
    {
      schema: {
        tags: ptags,
        summary: 'Descargar las propuestas (CSV)',
        params: Params,
        response: { 200: FileOf('Propuestas en CSV (UTF-8)', CSV), ...errors(404) },
      },
    },
    async (req, reply) => {
      const rows = await proposals.exportRows(app.db, req.params.municipalityId);
      const csv = toCsvText(
        [
          'id',
          'titulo',
          'descripcion',
          'tema',
          'estado',
          'respuesta',
          'apoyos',
          'comentarios',
          'colonia',
          'latitud',
          'longitud',
          'accion_poa_id',
          'elemento_plan_id',
          'creada',
          'actualizada',
          'demostracion',
        ],
        rows.map((r) => [
          r.id,
          r.titulo,
          r.cuerpo_texto,
          r.tema,
          r.estado,
          r.respuesta,
          r.apoyos,
          r.comentarios,
          r.unidad,
          r.latitud,
          r.longitud,
          r.action_id,
          r.element_id,
          new Date(r.created_at).toISOString(),
          new Date(r.updated_at).toISOString(),
          r.is_demo ? 'sí' : 'no',
        ]),
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="propuestas-${req.params.municipalityId}.csv"`)
        .send(csv);
    },
  );
  app.get(
    '/municipalities/:municipalityId/proposals/feed.atom',
    {
      schema: {
        tags: ptags,
        summary: 'Canal Atom de las propuestas más recientes',
        params: Params,
        response: { 200: FileOf('Canal Atom', 'application/atom+xml'), ...errors(404) },
      },
    },
    async (req, reply) => {
      const mid = req.params.municipalityId;
      const rows = await proposals.exportRows(app.db, mid, 50);
      const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      const base = app.config.publicUrl;
      const updated = rows[0] ? new Date(rows[0].updated_at).toISOString() : new Date(0).toISOString();
      const entries = rows
        .map(
          (r) =>
            `<entry><id>${base}/m/${mid}/propuestas/${r.id}</id><title>${esc(r.titulo)}</title><link href="${base}/m/${mid}/propuestas/${r.id}"/><updated>${new Date(r.updated_at).toISOString()}</updated><category term="${esc(r.estado)}"/><summary>${esc(r.cuerpo_texto.slice(0, 500))}</summary></entry>`,
        )
        .join('');
      return reply
        .type('application/atom+xml; charset=utf-8')
        .send(
          `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><id>${base}/m/${mid}/propuestas</id><title>Propuestas ciudadanas — ${mid}</title><updated>${updated}</updated><link rel="self" href="${base}/api/v1/municipalities/${mid}/proposals/feed.atom"/>${entries}</feed>\n`,
        );
    },
  );
  app.post(
    '/municipalities/:municipalityId/proposals',
    {
      config: writeLimit,
      schema: {
        tags: ptags,
        summary: 'Hacer una propuesta (requiere la prueba anti-abuso)',
        params: Params,
        body: ProposalBody,
        response: { 201: Any, ...errors(400, 401, 403, 429) },
      },
    },
    async (req, reply) => {
      const mid = req.params.municipalityId;
      const user = citizen(req, mid);
      await proof(req);
      return reply.status(201).send(await proposals.create(app.db, actorOf(req), mid, user, req.body));
    },
  );
  app.get(
    '/municipalities/:municipalityId/proposals/:id',
    {
      schema: {
        tags: ptags,
        summary: 'Una propuesta con sus respuestas, archivos y la acción del POA en que se convirtió',
        params: IdParams,
        response: { 200: Any, ...errors(404) },
      },
    },
    async (req) => proposals.get(app.db, req.params.municipalityId, req.params.id, req.user),
  );
  app.put(
    '/municipalities/:municipalityId/proposals/:id',
    {
      config: writeLimit,
      schema: {
        tags: ptags,
        summary: 'Corregir la propia propuesta (mientras está recibida)',
        params: IdParams,
        body: ProposalBody,
        response: { 200: Any, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      const user = citizen(req, req.params.municipalityId);
      return proposals.update(app.db, actorOf(req), req.params.municipalityId, req.params.id, user, req.body);
    },
  );
  app.post(
    '/municipalities/:municipalityId/proposals/:id/support',
    {
      config: writeLimit,
      schema: {
        tags: ptags,
        summary: 'Apoyar una propuesta (una vez por residente verificado)',
        params: IdParams,
        response: { 200: Any, ...errors(401, 403, 404) },
      },
    },
    async (req) => {
      const user = citizen(req, req.params.municipalityId);
      return proposals.support(app.db, actorOf(req), req.params.municipalityId, req.params.id, user);
    },
  );
  app.put(
    '/municipalities/:municipalityId/proposals/:id/follow',
    {
      schema: {
        tags: ptags,
        summary: 'Seguir o dejar de seguir una propuesta (avisos de cambios de estado)',
        params: IdParams,
        body: Type.Object({ seguir: Type.Boolean() }),
        response: { 200: Any, ...errors(401, 403, 404) },
      },
    },
    async (req) => {
      const user = citizen(req, req.params.municipalityId);
      return proposals.follow(app.db, actorOf(req), req.params.municipalityId, req.params.id, user, req.body.seguir);
    },
  );
  app.get(
    '/municipalities/:municipalityId/proposals/:id/comments',
    {
      schema: {
        tags: ptags,
        summary: 'Comentarios de una propuesta (hilos por parentId)',
        params: IdParams,
        response: { 200: Any, ...errors(404) },
      },
    },
    async (req) => proposals.comments(app.db, req.params.municipalityId, req.params.id, req.user),
  );
  app.post(
    '/municipalities/:municipalityId/proposals/:id/comments',
    {
      config: writeLimit,
      schema: {
        tags: ptags,
        summary: 'Comentar o responder un comentario (requiere la prueba anti-abuso)',
        params: IdParams,
        body: Type.Object({ texto: Type.String({ minLength: 1, maxLength: 4000 }), parentId: Type.Optional(Nullable(Type.Integer())) }),
        response: { 201: Any, ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (req, reply) => {
      const mid = req.params.municipalityId;
      const user = citizen(req, mid);
      await proof(req);
      return reply
        .status(201)
        .send(await proposals.addComment(app.db, actorOf(req), mid, req.params.id, user, req.body, app.config.publicUrl));
    },
  );
  app.post(
    '/municipalities/:municipalityId/proposals/:id/comments/:commentId/hide',
    {
      schema: {
        tags: ptags,
        summary: 'Ocultar un comentario con motivo público (moderación)',
        params: Type.Object({ municipalityId: MunicipalityId, id: Type.Integer(), commentId: Type.Integer() }),
        body: Hide,
        response: { 200: Any, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      planner(req, req.params.municipalityId);
      return proposals.hideComment(app.db, actorOf(req), req.params.municipalityId, req.params.id, req.params.commentId, req.body);
    },
  );
  app.post(
    '/municipalities/:municipalityId/proposals/:id/flags',
    {
      config: writeLimit,
      schema: {
        tags: ptags,
        summary: 'Denunciar una propuesta o un comentario',
        params: IdParams,
        body: Type.Object({ motivo: Type.String({ minLength: 1, maxLength: 500 }), commentId: Type.Optional(Nullable(Type.Integer())) }),
        response: { 200: Any, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const user = citizen(req, req.params.municipalityId);
      return proposals.flag(app.db, actorOf(req), req.params.municipalityId, req.params.id, user, req.body);
    },
  );
  app.get(
    '/municipalities/:municipalityId/moderation',
    { schema: { tags: ptags, summary: 'Denuncias pendientes (moderación)', params: Params, response: { 200: Any, ...errors(401, 403) } } },
    async (req) => {
      planner(req, req.params.municipalityId);
      return proposals.moderationQueue(app.db, req.params.municipalityId);
    },
  );
  app.post(
    '/municipalities/:municipalityId/proposals/:id/flags/dismiss',
    {
      schema: {
        tags: ptags,
        summary: 'Descartar las denuncias de una propuesta o comentario (moderación)',
        params: IdParams,
        body: Type.Object({ commentId: Type.Optional(Nullable(Type.Integer())) }),
        response: { 204: Type.Null(), ...errors(401, 403) },
      },
    },
    async (req, reply) => {
      planner(req, req.params.municipalityId);
      await proposals.dismissFlags(app.db, actorOf(req), req.params.municipalityId, req.params.id, req.body.commentId ?? null);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/municipalities/:municipalityId/proposals/:id/hide',
    {
      schema: {
        tags: ptags,
        summary: 'Ocultar (o mostrar de nuevo) una propuesta con motivo público (moderación)',
        params: IdParams,
        body: Hide,
        response: { 200: Any, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      planner(req, req.params.municipalityId);
      return proposals.hide(app.db, actorOf(req), req.params.municipalityId, req.params.id, req.body, app.config.publicUrl);
    },
  );
  app.post(
    '/municipalities/:municipalityId/proposals/:id/status',
    {
      schema: {
        tags: ptags,
        summary: 'Cambiar el estado con respuesta pública (planeación); «incluida» lleva el elemento del plan o la acción del POA',
        params: IdParams,
        body: Type.Object({
          estado: Estado,
          respuesta: Type.Optional(Type.String({ maxLength: 4000 })),
          elementId: Type.Optional(Nullable(Type.Integer())),
          actionId: Type.Optional(Nullable(Type.Integer())),
        }),
        response: { 200: Any, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const user = planner(req, req.params.municipalityId);
      return proposals.setStatus(app.db, actorOf(req), req.params.municipalityId, req.params.id, user, req.body, app.config.publicUrl);
    },
  );
  app.post(
    '/municipalities/:municipalityId/proposals/:id/files',
    {
      schema: {
        tags: ptags,
        summary: 'Adjuntar una imagen (se revisa, se reduce y pierde sus metadatos EXIF) o un PDF',
        params: IdParams,
        consumes: ['multipart/form-data'],
        response: { 201: Any, ...errors(400, 401, 403, 404, 413, 415) },
      },
    },
    async (req, reply) => {
      const mid = req.params.municipalityId;
      const user = citizen(req, mid);
      await proposals.assertFileTarget(app.db, mid, req.params.id, user);
      const file = await readUpload(req, PHOTO_MAX_MB);
      return reply.status(201).send(await proposals.addFile(app.db, actorOf(req), mid, req.params.id, file));
    },
  );
  app.get(
    '/municipalities/:municipalityId/proposals/:id/files/:fileId',
    {
      schema: {
        tags: ptags,
        summary: 'Imagen o documento de una propuesta (miniatura=true para la vista previa)',
        params: Type.Object({ municipalityId: MunicipalityId, id: Type.Integer(), fileId: Type.Integer() }),
        querystring: Type.Object({ miniatura: Type.Optional(Type.Boolean()) }),
        response: { 200: FileOf('La imagen o el PDF', ...IMAGE, PDF), ...errors(404) },
      },
    },
    async (req, reply) =>
      sendImage(
        reply,
        await proposals.getFile(app.db, req.params.municipalityId, req.params.id, req.params.fileId, req.user, !!req.query.miniatura),
      ),
  );
  app.get(
    '/municipalities/:municipalityId/actions/:id/origins',
    {
      schema: {
        tags: ptags,
        summary: 'De dónde viene una acción del POA: propuestas ciudadanas y proyectos ganadores del presupuesto participativo',
        params: IdParams,
        response: { 200: S.ActionOrigins },
      },
    },
    async (req) => S.actionOriginsOut(await proposals.actionOrigins(app.db, req.params.municipalityId, req.params.id)),
  );
  app.post(
    '/municipalities/:municipalityId/participation/blocks',
    {
      schema: {
        tags: ptags,
        summary: 'Bloquear a una persona para participar en el municipio (moderación)',
        params: Params,
        body: Type.Object({ userId: Type.Integer(), motivo: Type.String({ maxLength: 500 }) }),
        response: { 204: Type.Null(), ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const user = planner(req, req.params.municipalityId);
      await proposals.block(app.db, actorOf(req), req.params.municipalityId, user, req.body);
      return reply.status(204).send(null);
    },
  );
  app.delete(
    '/municipalities/:municipalityId/participation/blocks/:id',
    {
      schema: {
        tags: ptags,
        summary: 'Quitar un bloqueo (moderación)',
        params: IdParams,
        response: { 204: Type.Null(), ...errors(401, 403) },
      },
    },
    async (req, reply) => {
      planner(req, req.params.municipalityId);
      await proposals.unblock(app.db, actorOf(req), req.params.municipalityId, req.params.id);
      return reply.status(204).send(null);
    },
  );

  // ---------- participatory budgets ----------
  const btags = ['presupuesto participativo'];
  const BParams = Type.Object({ municipalityId: MunicipalityId, id: Type.Integer(), territoryId: Type.Integer() });
  const PParams = Type.Object({ municipalityId: MunicipalityId, id: Type.Integer(), projectId: Type.Integer() });
  const Phase = Type.Object({
    inicio: Type.Optional(Type.String({ format: 'date' })),
    fin: Type.Optional(Type.String({ format: 'date' })),
  });
  app.get(
    '/municipalities/:municipalityId/budgets',
    { schema: { tags: btags, summary: 'Procesos de presupuesto participativo', params: Params, response: { 200: Any } } },
    async (req) => budgets.listProcesses(app.db, req.params.municipalityId, req.user),
  );
  app.post(
    '/municipalities/:municipalityId/budgets',
    {
      schema: {
        tags: btags,
        summary: 'Crear un proceso anual con su monto por territorio (planeación)',
        params: Params,
        body: Type.Object({
          anio: Type.Integer({ minimum: 2000, maximum: 2200 }),
          titulo: Type.String({ minLength: 3, maxLength: 200 }),
          descripcion: Type.Optional(Type.String({ maxLength: 8000 })),
          estilo: Type.Optional(lit('mochila', 'aprobacion')),
          maxVotos: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 100 }))),
          fechas: Type.Optional(
            Type.Unsafe<Record<string, { inicio?: string; fin?: string }>>(
              Type.Record(Type.String({ pattern: `^(${budgets.FASES.join('|')})$` }), Phase),
            ),
          ),
          programId: Type.Optional(Nullable(Type.Integer())),
          territorios: Type.Array(
            Type.Object({
              nombre: Type.String({ minLength: 2, maxLength: 200 }),
              unitId: Type.Optional(Nullable(Type.Integer())),
              monto: Type.Number({ minimum: 0.01 }),
            }),
            { minItems: 1, maxItems: 300 },
          ),
        }),
        response: { 201: Any, ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => {
      planner(req, req.params.municipalityId);
      return reply.status(201).send(await budgets.createProcess(app.db, actorOf(req), req.params.municipalityId, req.body));
    },
  );
  app.get(
    '/municipalities/:municipalityId/budgets/:id',
    {
      schema: {
        tags: btags,
        summary: 'Un proceso: fases, territorios, proyectos, costos (desde su publicación), resultados y avance de los ganadores',
        params: IdParams,
        response: { 200: Any, ...errors(404) },
      },
    },
    async (req) => budgets.getProcess(app.db, req.params.municipalityId, req.params.id, req.user),
  );
  app.get(
    '/municipalities/:municipalityId/budget-evaluators',
    {
      schema: {
        tags: btags,
        summary: 'Personal que puede evaluar proyectos (planeación y enlaces del municipio)',
        params: Params,
        response: { 200: Any, ...errors(401, 403) },
      },
    },
    async (req) => {
      planner(req, req.params.municipalityId);
      return budgets.evaluators(app.db, req.params.municipalityId);
    },
  );
  app.post(
    '/municipalities/:municipalityId/budgets/:id/phase',
    {
      schema: {
        tags: btags,
        summary: 'Pasar a la siguiente fase (planeación); al cerrar la votación se publican los resultados',
        params: IdParams,
        body: Type.Object({ fase: lit(...budgets.FASES) }),
        response: { 200: Any, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      planner(req, req.params.municipalityId);
      return budgets.setPhase(app.db, actorOf(req), req.params.municipalityId, req.params.id, req.body.fase);
    },
  );
  app.post(
    '/municipalities/:municipalityId/budgets/:id/projects',
    {
      config: writeLimit,
      schema: {
        tags: btags,
        summary: 'Proponer un proyecto en la fase de propuestas (residentes verificados; requiere la prueba anti-abuso)',
        params: IdParams,
        body: Type.Object({
          territoryId: Type.Integer(),
          titulo: Type.String({ minLength: 1, maxLength: 200 }),
          descripcion: Type.String({ minLength: 1, maxLength: 10000 }),
          lon: Type.Optional(Nullable(Lon)),
          lat: Type.Optional(Nullable(Lat)),
          proposalId: Type.Optional(Nullable(Type.Integer())),
        }),
        response: { 201: Any, ...errors(400, 401, 403, 404, 409, 429) },
      },
    },
    async (req, reply) => {
      const mid = req.params.municipalityId;
      const user = citizen(req, mid);
      if (!hasRole(user, ['planner'], mid)) await proof(req);
      return reply.status(201).send(await budgets.addProject(app.db, actorOf(req), mid, req.params.id, user, req.body));
    },
  );
  app.patch(
    '/municipalities/:municipalityId/budgets/:id/projects/:projectId',
    {
      schema: {
        tags: btags,
        summary: 'Revisión técnica de un proyecto: costo, viabilidad con dictamen, evaluadores (planeación o evaluadores asignados)',
        params: PParams,
        body: Type.Object({
          costo: Type.Optional(Nullable(Type.Number({ minimum: 0.01 }))),
          viable: Type.Optional(Type.Union([Type.Boolean(), Type.Null()], { description: 'null = sin decidir' })),
          dictamen: Type.Optional(Type.String({ maxLength: 4000 })),
          evaluadores: Type.Optional(Type.Array(Type.Integer(), { maxItems: 10 })),
        }),
        response: { 200: Any, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      const user = authorize(req, ['planner', 'enlace'], req.params.municipalityId);
      return budgets.reviewProject(app.db, actorOf(req), req.params.municipalityId, req.params.id, req.params.projectId, user, req.body);
    },
  );
  app.put(
    '/municipalities/:municipalityId/budgets/:id/ballots/:territoryId',
    {
      config: writeLimit,
      schema: {
        tags: btags,
        summary: 'Votar o cambiar la boleta de un territorio (residentes verificados, mientras la votación está abierta)',
        description:
          'Mochila: los proyectos elegidos deben caber en el monto del territorio. Aprobación: hasta el máximo de proyectos del proceso. La boleta se guarda sin vínculo con la persona.',
        params: BParams,
        body: Type.Object({ proyectos: Type.Array(Type.Integer(), { minItems: 1, maxItems: 200 }) }),
        response: { 200: Any, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      const user = citizen(req, req.params.municipalityId);
      return budgets.castBallot(
        app.db,
        actorOf(req),
        req.params.municipalityId,
        req.params.id,
        req.params.territoryId,
        user,
        req.body.proyectos,
      );
    },
  );
  app.delete(
    '/municipalities/:municipalityId/budgets/:id/ballots/:territoryId',
    {
      schema: {
        tags: btags,
        summary: 'Retirar mi boleta de un territorio (mientras la votación está abierta)',
        params: BParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const user = citizen(req, req.params.municipalityId);
      await budgets.withdrawBallot(app.db, actorOf(req), req.params.municipalityId, req.params.id, req.params.territoryId, user);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/municipalities/:municipalityId/budgets/:id/ballots/mine',
    {
      schema: {
        tags: btags,
        summary: 'Mis boletas (su contenido solo mientras la votación está abierta)',
        params: IdParams,
        response: { 200: Any, ...errors(401, 404) },
      },
    },
    async (req) => budgets.myBallots(app.db, req.params.municipalityId, req.params.id, requireUser(req)),
  );
  app.get(
    '/municipalities/:municipalityId/budgets/:id/results',
    {
      schema: {
        tags: btags,
        summary: 'Resultados publicados por territorio, con la regla de desempate (JSON o CSV con formato=csv)',
        params: IdParams,
        querystring: Type.Object({ formato: Type.Optional(lit('json', 'csv')) }),
        response: { 200: Any, ...errors(404, 409) },
      },
    },
    async (req, reply) => {
      const rows = await budgets.publishedResults(app.db, req.params.municipalityId, req.params.id, req.user);
      if (req.query.formato !== 'csv') return { reglaEmpate: budgets.TIE_RULE, resultados: rows };
      const csv = toCsvText(
        ['territorio', 'posicion', 'proyecto_id', 'proyecto', 'costo', 'votos', 'seleccionado', 'motivo'],
        rows.map((r) => [r.territorio, r.posicion, r.project_id, r.titulo, r.costo, r.votos, r.seleccionado ? 'sí' : 'no', r.motivo]),
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="resultados-presupuesto-${req.params.id}.csv"`)
        .send(csv);
    },
  );
  app.get(
    '/municipalities/:municipalityId/budgets/:id/ballots',
    {
      schema: {
        tags: btags,
        summary: 'Boletas anónimas para recontar (territorio y proyectos; nunca quién), JSON o CSV',
        params: IdParams,
        querystring: Type.Object({ formato: Type.Optional(lit('json', 'csv')) }),
        response: { 200: Any, ...errors(404, 409) },
      },
    },
    async (req, reply) => {
      const rows = await budgets.ballotsExport(app.db, req.params.municipalityId, req.params.id, req.user);
      if (req.query.formato !== 'csv') return rows;
      const csv = toCsvText(
        ['territorio_id', 'proyectos'],
        rows.map((r) => [r.territory_id, r.proyectos.join(';')]),
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="boletas-presupuesto-${req.params.id}.csv"`)
        .send(csv);
    },
  );
  app.post(
    '/municipalities/:municipalityId/budgets/:id/projects/:projectId/action',
    {
      schema: {
        tags: btags,
        summary: 'Convertir un proyecto ganador en acción (obra) del POA (planeación)',
        params: PParams,
        body: Type.Object({ programId: Type.Optional(Nullable(Type.Integer())) }),
        response: { 201: Any, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      planner(req, req.params.municipalityId);
      return reply
        .status(201)
        .send(
          await budgets.projectToAction(app.db, actorOf(req), req.params.municipalityId, req.params.id, req.params.projectId, req.body),
        );
    },
  );

  // ---------- consultations ----------
  const ctags = ['consultas'];
  app.get(
    '/municipalities/:municipalityId/consultations',
    { schema: { tags: ctags, summary: 'Consultas públicas', params: Params, response: { 200: Any } } },
    async (req) => consultations.list(app.db, req.params.municipalityId, req.user),
  );
  app.post(
    '/municipalities/:municipalityId/consultations',
    {
      schema: {
        tags: ctags,
        summary: 'Crear una consulta: sobre un plan en consulta pública o preguntas libres (planeación)',
        params: Params,
        body: Type.Object({
          titulo: Type.String({ minLength: 3, maxLength: 300 }),
          descripcion: Type.Optional(Type.String({ maxLength: 8000 })),
          planId: Type.Optional(Nullable(Type.Integer())),
          inicio: Type.Optional(Nullable(Type.String({ format: 'date' }))),
          fin: Type.Optional(Nullable(Type.String({ format: 'date' }))),
          soloResidentes: Type.Optional(Type.Boolean()),
          preguntas: Type.Array(
            Type.Object({
              tipo: lit('unica', 'multiple', 'abierta'),
              texto: Type.String({ minLength: 1, maxLength: 1000 }),
              opciones: Type.Optional(Type.Array(Type.String({ maxLength: 300 }), { maxItems: 30 })),
              obligatoria: Type.Optional(Type.Boolean()),
            }),
            { minItems: 1, maxItems: 50 },
          ),
        }),
        response: { 201: Any, ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => {
      planner(req, req.params.municipalityId);
      return reply.status(201).send(await consultations.create(app.db, actorOf(req), req.params.municipalityId, req.body));
    },
  );
  app.get(
    '/municipalities/:municipalityId/consultations/:id',
    { schema: { tags: ctags, summary: 'Una consulta con sus preguntas', params: IdParams, response: { 200: Any, ...errors(404) } } },
    async (req) => consultations.get(app.db, req.params.municipalityId, req.params.id, req.user),
  );
  app.post(
    '/municipalities/:municipalityId/consultations/:id/state',
    {
      schema: {
        tags: ctags,
        summary: 'Abrir o cerrar una consulta (planeación)',
        params: IdParams,
        body: Type.Object({ estado: lit('abierta', 'cerrada') }),
        response: { 200: Any, ...errors(401, 403, 404, 409) },
      },
    },
    async (req) => {
      planner(req, req.params.municipalityId);
      return consultations.setState(app.db, actorOf(req), req.params.municipalityId, req.params.id, req.body.estado);
    },
  );
  app.post(
    '/municipalities/:municipalityId/consultations/:id/responses',
    {
      config: writeLimit,
      schema: {
        tags: ctags,
        summary: 'Responder una consulta (una vez por persona)',
        params: IdParams,
        body: Type.Object({
          respuestas: Type.Array(
            Type.Object({
              preguntaId: Type.Integer(),
              opciones: Type.Optional(Type.Array(Type.Integer(), { maxItems: 30 })),
              texto: Type.Optional(Type.String({ maxLength: 4000 })),
            }),
            { maxItems: 50 },
          ),
        }),
        response: { 201: Any, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const user = citizen(req, req.params.municipalityId);
      return reply
        .status(201)
        .send(await consultations.respond(app.db, actorOf(req), req.params.municipalityId, req.params.id, user, req.body.respuestas));
    },
  );
  app.get(
    '/municipalities/:municipalityId/consultations/:id/results',
    {
      schema: {
        tags: ctags,
        summary: 'Resultados de una consulta (JSON, o CSV con formato=csv para el Consejo)',
        params: IdParams,
        querystring: Type.Object({ formato: Type.Optional(lit('json', 'csv')) }),
        response: { 200: Any, ...errors(404) },
      },
    },
    async (req, reply) => {
      const r = await consultations.results(app.db, req.params.municipalityId, req.params.id, req.user);
      if (req.query.formato !== 'csv') return r;
      const rows: unknown[][] = [];
      for (const q of r.preguntas) {
        for (const o of q.opciones)
          rows.push([q.texto, q.tipo, o.opcion, o.votos, r.participantes ? Math.round((o.votos / r.participantes) * 1000) / 10 : 0]);
        for (const t of q.abiertas) rows.push([q.texto, q.tipo, t, '', '']);
      }
      for (const c of r.comentariosPlan)
        rows.push([
          `Comentarios al plan: ${c.codigo} ${c.titulo}`,
          'comentarios',
          `${c.participantes} participantes, ${c.respondidos} respondidos`,
          c.comentarios,
          '',
        ]);
      const csv = toCsvText(['pregunta', 'tipo', 'opcion_o_respuesta', 'votos', 'porcentaje_participantes'], rows);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="consulta-${req.params.id}.csv"`)
        .send(csv);
    },
  );

  // ---------- citizen reports (web side of Open311) ----------
  const rtags = ['reportes ciudadanos'];
  const ReportFilter = {
    status: Type.Optional(lit('open', 'closed')),
    service: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 30 })),
    mine: Type.Optional(Type.Boolean()),
    departmentId: Type.Optional(Type.Integer()),
  };
  app.get(
    '/municipalities/:municipalityId/report-services',
    {
      schema: {
        tags: rtags,
        summary: 'Categorías de reporte y la dependencia que atiende cada una',
        params: Params,
        querystring: Type.Object({ todas: Type.Optional(Type.Boolean()) }),
        response: { 200: Any },
      },
    },
    async (req) => reports.services(app.db, req.params.municipalityId, { all: !!req.query.todas }),
  );
  app.put(
    '/municipalities/:municipalityId/report-services',
    {
      schema: {
        tags: rtags,
        summary: 'Crear o editar una categoría de reporte (planeación)',
        params: Params,
        body: Type.Object({
          code: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{1,39}$' }),
          nombre: Type.String({ minLength: 3, maxLength: 120 }),
          descripcion: Type.Optional(Type.String({ maxLength: 2000 })),
          grupo: Type.Optional(Type.String({ maxLength: 120 })),
          keywords: Type.Optional(Type.String({ maxLength: 500 })),
          departmentId: Type.Optional(Nullable(Type.Integer())),
          activo: Type.Optional(Type.Boolean()),
        }),
        response: { 200: Any, ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      planner(req, req.params.municipalityId);
      return reports.saveService(app.db, actorOf(req), req.params.municipalityId, req.body);
    },
  );
  app.get(
    '/municipalities/:municipalityId/citizen-reports',
    {
      schema: {
        tags: rtags,
        summary: 'Reportes ciudadanos',
        params: Params,
        querystring: Type.Object({ ...ReportFilter, ...PageQuery }),
        response: { 200: Any },
      },
    },
    async (req) => {
      const { page, limit, service, ...f } = req.query;
      return reports.list(app.db, req.params.municipalityId, { ...f, serviceCodes: service }, page, limit, req.user);
    },
  );
  app.get(
    '/municipalities/:municipalityId/citizen-reports.geojson',
    {
      schema: {
        tags: rtags,
        summary: 'Reportes ciudadanos en el mapa (GeoJSON)',
        params: Params,
        querystring: Type.Object({ status: ReportFilter.status }),
        response: { 200: Any },
      },
    },
    async (req, reply) => reply.type('application/geo+json').send(await reports.geojson(app.db, req.params.municipalityId, req.query)),
  );
  app.get(
    '/municipalities/:municipalityId/citizen-reports/nearby',
    {
      schema: {
        tags: rtags,
        summary: 'Reportes abiertos a menos de 150 m (¿ya lo reportó alguien?)',
        params: Params,
        querystring: Type.Object({ lon: Lon, lat: Lat, service: Type.Optional(Type.String({ maxLength: 40 })) }),
        response: { 200: Any },
      },
    },
    async (req) => reports.nearby(app.db, req.params.municipalityId, req.query.lon, req.query.lat, req.query.service),
  );
  app.post(
    '/municipalities/:municipalityId/citizen-reports',
    {
      config: writeLimit,
      schema: {
        tags: rtags,
        summary: 'Reportar un problema en la vía pública (requiere la prueba anti-abuso)',
        params: Params,
        body: Type.Object({
          service: Type.String({ maxLength: 40 }),
          descripcion: Type.String({ minLength: 1, maxLength: 4000 }),
          lon: Lon,
          lat: Lat,
          direccion: Type.Optional(Type.String({ maxLength: 300 })),
        }),
        response: { 201: Any, ...errors(400, 401, 403, 429) },
      },
    },
    async (req, reply) => {
      const mid = req.params.municipalityId;
      const user = citizen(req, mid);
      await proof(req);
      const { service, ...b } = req.body;
      return reply.status(201).send(await reports.create(app.db, actorOf(req), mid, { serviceCode: service, ...b }, { user }));
    },
  );
  app.get(
    '/municipalities/:municipalityId/citizen-reports/:id',
    {
      schema: { tags: rtags, summary: 'Un reporte con su historial de atención', params: IdParams, response: { 200: Any, ...errors(404) } },
    },
    async (req) => reports.get(app.db, req.params.municipalityId, req.params.id, req.user),
  );
  app.patch(
    '/municipalities/:municipalityId/citizen-reports/:id',
    {
      schema: {
        tags: rtags,
        summary: 'Atender un reporte: estado, nota, fecha esperada o reasignar dependencia (planeación o enlace de la dependencia)',
        params: IdParams,
        body: Type.Object({
          estado: Type.Optional(lit('open', 'closed')),
          nota: Type.Optional(Type.String({ maxLength: 2000 })),
          expectedAt: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
          departmentId: Type.Optional(Nullable(Type.Integer())),
        }),
        response: { 200: Any, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const user = authorize(req, ['planner', 'enlace'], req.params.municipalityId);
      return reports.update(app.db, actorOf(req), req.params.municipalityId, req.params.id, user, req.body, app.config.publicUrl);
    },
  );
  app.put(
    '/municipalities/:municipalityId/citizen-reports/:id/follow',
    {
      schema: {
        tags: rtags,
        summary: 'Seguir un reporte (avisos al cambiar)',
        params: IdParams,
        body: Type.Object({ seguir: Type.Boolean() }),
        response: { 200: Any, ...errors(401, 403, 404) },
      },
    },
    async (req) => {
      const user = citizen(req, req.params.municipalityId);
      return reports.follow(app.db, actorOf(req), req.params.municipalityId, req.params.id, user, req.body.seguir);
    },
  );
  app.post(
    '/municipalities/:municipalityId/citizen-reports/:id/hide',
    {
      schema: {
        tags: rtags,
        summary: 'Ocultar un reporte con motivo público (planeación)',
        params: IdParams,
        body: Hide,
        response: { 200: Any, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      planner(req, req.params.municipalityId);
      return reports.hide(app.db, actorOf(req), req.params.municipalityId, req.params.id, req.body);
    },
  );
  app.post(
    '/municipalities/:municipalityId/citizen-reports/:id/photos',
    {
      schema: {
        tags: rtags,
        summary: 'Agregar una foto (se revisa, se reduce y pierde sus metadatos EXIF)',
        params: IdParams,
        consumes: ['multipart/form-data'],
        response: { 201: Any, ...errors(400, 401, 403, 404, 413, 415) },
      },
    },
    async (req, reply) => {
      const mid = req.params.municipalityId;
      const user = citizen(req, mid);
      await reports.assertPhotoTarget(app.db, mid, req.params.id, user);
      const file = await readUpload(req, PHOTO_MAX_MB);
      return reply.status(201).send(await reports.addPhoto(app.db, actorOf(req), mid, req.params.id, file));
    },
  );
  app.get(
    '/municipalities/:municipalityId/citizen-reports/photos/:id',
    {
      schema: {
        tags: rtags,
        summary: 'Foto de un reporte (miniatura=true para la vista previa)',
        params: IdParams,
        querystring: Type.Object({ miniatura: Type.Optional(Type.Boolean()) }),
        response: { 200: FileOf('La foto', ...IMAGE), ...errors(404) },
      },
    },
    async (req, reply) => sendImage(reply, await reports.getPhoto(app.db, req.params.municipalityId, req.params.id, !!req.query.miniatura)),
  );
  app.get(
    '/municipalities/:municipalityId/open311/clients',
    {
      schema: {
        tags: rtags,
        summary: 'Clientes de la API Open311 (administración)',
        params: Params,
        response: { 200: Any, ...errors(401, 403) },
      },
    },
    async (req) => {
      authorize(req, ['admin'], req.params.municipalityId);
      return reports.clients(app.db, req.params.municipalityId);
    },
  );
  app.post(
    '/municipalities/:municipalityId/open311/clients',
    {
      schema: {
        tags: rtags,
        summary: 'Emitir una api_key de Open311 para una aplicación (se muestra una sola vez)',
        params: Params,
        body: Type.Object({
          nombre: Type.String({ minLength: 3, maxLength: 120 }),
          contacto: Type.Optional(Type.String({ maxLength: 300 })),
        }),
        response: { 201: Any, ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => {
      const user = authorize(req, ['admin'], req.params.municipalityId);
      return reply.status(201).send(await reports.createClient(app.db, actorOf(req), req.params.municipalityId, user, req.body));
    },
  );
  app.delete(
    '/municipalities/:municipalityId/open311/clients/:id',
    {
      schema: {
        tags: rtags,
        summary: 'Revocar una api_key de Open311',
        params: IdParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404) },
      },
    },
    async (req, reply) => {
      authorize(req, ['admin'], req.params.municipalityId);
      await reports.revokeClient(app.db, actorOf(req), req.params.municipalityId, req.params.id);
      return reply.status(204).send(null);
    },
  );
};

export default participationRoutes;
