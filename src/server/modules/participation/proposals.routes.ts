import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../plugins/auth.ts';
import { CSV, errors, FileOf, IMAGE, lit, MunicipalityId, Message, Nullable, PageQuery, PDF } from '../../schemas.ts';
import { toCsvText } from '../../tabular.ts';
import { readUpload } from '../../upload.ts';
import * as proposals from './proposals.ts';
import * as P from './proposals.schemas.ts';
import * as S from './schemas.ts';
import { Hide, IdParams, Lat, Lon, Params, PHOTO_MAX_MB, participationHttp } from './http.ts';

/** PROPONLE: citizens' proposals, supports, comments, files and moderation. */
const proposalRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { writeLimit, proof, planner, citizen, sendImage } = participationHttp(app);
  const ptags = ['propuestas (PROPONLE)'];
  const ProposalFilter = {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    tema: Type.Optional(Type.String({ maxLength: 60 })),
    estado: Type.Optional(P.Estado),
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
        response: { 200: P.ProposalPage },
      },
    },
    async (req) => {
      const { page, limit, ...f } = req.query;
      return P.proposalPageOut(await proposals.list(app.db, req.params.municipalityId, f, page, limit, req.user));
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
        response: { 200: P.Similar },
      },
    },
    async (req) => P.similarOut(await proposals.similar(app.db, req.params.municipalityId, req.query.q)),
  );
  app.get(
    '/municipalities/:municipalityId/proposals.geojson',
    {
      schema: {
        tags: ptags,
        summary: 'Propuestas ubicadas (GeoJSON)',
        params: Params,
        querystring: Type.Object({ tema: ProposalFilter.tema, estado: ProposalFilter.estado }),
        response: { 200: P.ProposalsGeoJson },
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
        response: { 201: P.ProposalCreated, ...errors(400, 401, 403, 429) },
      },
    },
    async (req, reply) => {
      const mid = req.params.municipalityId;
      const user = citizen(req, mid);
      await proof(req);
      return reply.status(201).send(P.proposalCreatedOut(await proposals.create(app.db, actorOf(req), mid, user, req.body)));
    },
  );
  app.get(
    '/municipalities/:municipalityId/proposals/:id',
    {
      schema: {
        tags: ptags,
        summary: 'Una propuesta con sus respuestas, archivos y la acción del POA en que se convirtió',
        params: IdParams,
        response: { 200: P.Proposal, ...errors(404) },
      },
    },
    async (req) => P.proposalOut(await proposals.get(app.db, req.params.municipalityId, req.params.id, req.user)),
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
        response: { 200: P.ProposalUpdated, ...errors(400, 401, 403, 404, 409) },
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
        response: { 200: P.Supported, ...errors(401, 403, 404) },
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
        response: { 200: P.Followed, ...errors(401, 403, 404) },
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
        response: { 200: P.Comments, ...errors(404) },
      },
    },
    async (req) => P.commentsOut(await proposals.comments(app.db, req.params.municipalityId, req.params.id, req.user)),
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
        response: { 201: P.CommentCreated, ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (req, reply) => {
      const mid = req.params.municipalityId;
      const user = citizen(req, mid);
      await proof(req);
      return reply
        .status(201)
        .send(
          P.commentCreatedOut(await proposals.addComment(app.db, actorOf(req), mid, req.params.id, user, req.body, app.config.publicUrl)),
        );
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
        response: { 200: P.Hidden, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      planner(req, req.params.municipalityId);
      return P.hiddenOut(
        await proposals.hideComment(app.db, actorOf(req), req.params.municipalityId, req.params.id, req.params.commentId, req.body),
      );
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
        response: { 200: Message, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const user = citizen(req, req.params.municipalityId);
      return proposals.flag(app.db, actorOf(req), req.params.municipalityId, req.params.id, user, req.body);
    },
  );
  app.get(
    '/municipalities/:municipalityId/moderation',
    {
      schema: {
        tags: ptags,
        summary: 'Denuncias pendientes (moderación)',
        params: Params,
        response: { 200: P.Moderation, ...errors(401, 403) },
      },
    },
    async (req) => {
      planner(req, req.params.municipalityId);
      return P.moderationOut(await proposals.moderationQueue(app.db, req.params.municipalityId));
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
        response: { 200: P.Hidden, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      planner(req, req.params.municipalityId);
      return P.hiddenOut(
        await proposals.hide(app.db, actorOf(req), req.params.municipalityId, req.params.id, req.body, app.config.publicUrl),
      );
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
          estado: P.Estado,
          respuesta: Type.Optional(Type.String({ maxLength: 4000 })),
          elementId: Type.Optional(Nullable(Type.Integer())),
          actionId: Type.Optional(Nullable(Type.Integer())),
        }),
        response: { 200: P.StatusSet, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const user = planner(req, req.params.municipalityId);
      return P.statusSetOut(
        await proposals.setStatus(app.db, actorOf(req), req.params.municipalityId, req.params.id, user, req.body, app.config.publicUrl),
      );
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
        response: { 201: P.ProposalFile, ...errors(400, 401, 403, 404, 413, 415) },
      },
    },
    async (req, reply) => {
      const mid = req.params.municipalityId;
      const user = citizen(req, mid);
      await proposals.assertFileTarget(app.db, mid, req.params.id, user);
      const file = await readUpload(req, PHOTO_MAX_MB);
      return reply.status(201).send(P.proposalFileOut(await proposals.addFile(app.db, actorOf(req), mid, req.params.id, file)));
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
};

export default proposalRoutes;
