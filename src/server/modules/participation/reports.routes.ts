import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf, authorize } from '../../plugins/auth.ts';
import { errors, FileOf, IMAGE, lit, Nullable, PageQuery } from '../../schemas.ts';
import { readUpload } from '../../upload.ts';
import { Hidden, hiddenOut } from './proposals.schemas.ts';
import * as reports from './reports.ts';
import * as R from './reports.schemas.ts';
import { Hide, IdParams, Lat, Lon, Params, PHOTO_MAX_MB, participationHttp } from './http.ts';

/** Citizen reports: the web side of Open311, with services, attention and photos. */
const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { writeLimit, proof, planner, citizen, sendImage } = participationHttp(app);
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
        response: { 200: R.ReportServices },
      },
    },
    async (req) => R.servicesOut(await reports.services(app.db, req.params.municipalityId, { all: !!req.query.todas })),
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
        response: { 200: R.ServiceSaved, ...errors(400, 401, 403) },
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
        response: { 200: R.ReportPage },
      },
    },
    async (req) => {
      const { page, limit, service, ...f } = req.query;
      return R.reportPageOut(await reports.list(app.db, req.params.municipalityId, { ...f, serviceCodes: service }, page, limit, req.user));
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
        response: { 200: R.ReportsGeoJson },
      },
    },
    async (req, reply) =>
      reply.type('application/geo+json').send(R.geojsonOut(await reports.geojson(app.db, req.params.municipalityId, req.query))),
  );
  app.get(
    '/municipalities/:municipalityId/citizen-reports/nearby',
    {
      schema: {
        tags: rtags,
        summary: 'Reportes abiertos a menos de 150 m (¿ya lo reportó alguien?)',
        params: Params,
        querystring: Type.Object({ lon: Lon, lat: Lat, service: Type.Optional(Type.String({ maxLength: 40 })) }),
        response: { 200: R.Nearby },
      },
    },
    async (req) => R.nearbyOut(await reports.nearby(app.db, req.params.municipalityId, req.query.lon, req.query.lat, req.query.service)),
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
        response: { 201: R.ReportCreated, ...errors(400, 401, 403, 429) },
      },
    },
    async (req, reply) => {
      const mid = req.params.municipalityId;
      const user = citizen(req, mid);
      await proof(req);
      const { service, ...b } = req.body;
      const r = await reports.create(app.db, actorOf(req), mid, { serviceCode: service, ...b }, { user });
      return reply.status(201).send({ id: r.id, departmentId: r.department_id });
    },
  );
  app.get(
    '/municipalities/:municipalityId/citizen-reports/:id',
    {
      schema: {
        tags: rtags,
        summary: 'Un reporte con su historial de atención',
        params: IdParams,
        response: { 200: R.Report, ...errors(404) },
      },
    },
    async (req) => R.reportOut(await reports.get(app.db, req.params.municipalityId, req.params.id, req.user)),
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
        response: { 200: R.ReportUpdated, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const user = authorize(req, ['planner', 'enlace'], req.params.municipalityId);
      return R.reportUpdatedOut(
        await reports.update(app.db, actorOf(req), req.params.municipalityId, req.params.id, user, req.body, app.config.publicUrl),
      );
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
        response: { 200: R.ReportFollowed, ...errors(401, 403, 404) },
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
        response: { 200: Hidden, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      planner(req, req.params.municipalityId);
      return hiddenOut(await reports.hide(app.db, actorOf(req), req.params.municipalityId, req.params.id, req.body));
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
        response: { 201: R.PhotoAdded, ...errors(400, 401, 403, 404, 413, 415) },
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
        response: { 200: R.Open311Clients, ...errors(401, 403) },
      },
    },
    async (req) => {
      authorize(req, ['admin'], req.params.municipalityId);
      return R.clientsOut(await reports.clients(app.db, req.params.municipalityId));
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
        response: { 201: R.Open311ClientCreated, ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => {
      const user = authorize(req, ['admin'], req.params.municipalityId);
      const c = await reports.createClient(app.db, actorOf(req), req.params.municipalityId, user, req.body);
      return reply.status(201).send({ id: c.id, nombre: c.nombre, apiKey: c.api_key });
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

export default reportRoutes;
