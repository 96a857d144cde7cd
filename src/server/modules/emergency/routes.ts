import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { toCsvText } from '../../tabular.ts';
import { actorOf, authorize, hasRole } from '../../plugins/auth.ts';
import { CSV, errors, lit, Message, MunicipalityId } from '../../schemas.ts';
import * as S from './schemas.ts';
import * as service from './service.ts';
import { LoadReportOut } from '../indicators/schemas.ts';
import { readUpload } from '../../upload.ts';

const tags = ['llamadas de emergencia'];
const Params = Type.Object({ municipalityId: MunicipalityId });
const IdParams = Type.Object({ municipalityId: MunicipalityId, id: Type.Integer() });
const Hour = Type.Integer({ minimum: 0, maximum: 23 });
const Filter = {
  desde: Type.Optional(Type.String({ format: 'date' })),
  hasta: Type.Optional(Type.String({ format: 'date' })),
  tipo: Type.Optional(
    Type.Array(Type.String({ maxLength: 120 }), { maxItems: 50, description: 'Tipos de incidente (repetir el parámetro)' }),
  ),
  prioridad: Type.Optional(Type.Array(lit('alta', 'media', 'baja'), { maxItems: 3 })),
  mes: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 12 }), { maxItems: 12 })),
  dia: Type.Optional(Type.Array(Type.Integer({ minimum: 0, maximum: 6 }), { maxItems: 7, description: '0 = domingo … 6 = sábado' })),
  horaDesde: Type.Optional(Hour),
  horaHasta: Type.Optional(Hour),
};

const emergencyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const staff = (req: Parameters<typeof hasRole>[0], mid: string) => hasRole(req, ['planner', 'enlace', 'council'], mid);

  app.get(
    '/municipalities/:municipalityId/emergency-calls/summary',
    {
      schema: {
        tags,
        summary: 'Totales de llamadas de emergencia por tipo, prioridad, mes, día de la semana y hora',
        params: Params,
        querystring: Type.Object(Filter),
        response: { 200: S.Summary },
      },
    },
    async (req) => service.summary(app.db, req.params.municipalityId, req.query),
  );

  app.get(
    '/municipalities/:municipalityId/emergency-calls/heat',
    {
      schema: {
        tags,
        summary: 'Mapa de calor: llamadas agregadas en una retícula según el zoom (GeoJSON)',
        description: 'Para el público la celda mínima es de unos 100 m y se omiten celdas con menos de 3 llamadas.',
        params: Params,
        querystring: Type.Object({
          ...Filter,
          bbox: Type.String({ pattern: '^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+$' }),
          zoom: Type.Number({ minimum: 0, maximum: 22 }),
        }),
        response: { 200: S.Heat },
      },
    },
    async (req) => {
      const { bbox, zoom, ...f } = req.query;
      const b = bbox.split(',').map(Number) as [number, number, number, number];
      return service.heat(app.db, req.params.municipalityId, f, b, zoom, staff(req.user, req.params.municipalityId));
    },
  );

  app.get(
    '/municipalities/:municipalityId/emergency-calls/by-unit',
    {
      schema: {
        tags,
        summary: 'Llamadas por colonia o AGEB con la tasa por mil habitantes (JSON o CSV con formato=csv)',
        params: Params,
        querystring: Type.Object({ ...Filter, nivel: lit('colonia', 'ageb'), formato: Type.Optional(lit('json', 'csv')) }),
        response: {
          200: {
            description: 'Llamadas por unidad, o el CSV con formato=csv',
            content: { 'application/json': { schema: S.ByUnit }, [CSV]: { schema: { type: 'string', format: 'binary' } } },
          },
        },
      },
    },
    async (req, reply) => {
      const { nivel, formato, ...f } = req.query;
      const r = await service.byUnit(app.db, req.params.municipalityId, nivel, f);
      if (formato !== 'csv') return r;
      const csv = toCsvText(
        ['cvegeo', 'nombre', 'llamadas', 'poblacion', 'tasa_por_mil'],
        r.unidades.map((u) => [u.cvegeo, u.nombre, u.n, u.poblacion, u.tasaMil]),
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="llamadas-${req.params.municipalityId}-${nivel}.csv"`)
        .send(csv);
    },
  );

  app.get(
    '/municipalities/:municipalityId/emergency-calls/imports',
    {
      schema: {
        tags,
        summary: 'Cargas de llamadas (personal del municipio)',
        params: Params,
        response: { 200: Type.Array(S.ImportRow), ...errors(401, 403) },
      },
    },
    async (req) => {
      authorize(req, ['planner', 'enlace', 'council'], req.params.municipalityId);
      return service.listImports(app.db, req.params.municipalityId);
    },
  );

  app.post(
    '/municipalities/:municipalityId/emergency-calls/imports',
    {
      schema: {
        tags,
        summary: 'Cargar llamadas desde CSV o XLSX (todo o nada)',
        description:
          'multipart/form-data: "file" con columnas fecha_hora (o fecha y hora), tipo, prioridad (alta, media, baja), latitud, longitud y opcionalmente colonia y folio; dryRun=true para solo validar.',
        params: Params,
        consumes: ['multipart/form-data'],
        response: { 200: S.ImportReport, ...errors(400, 401, 403, 413, 422) },
      },
    },
    async (req) => {
      authorize(req, ['planner'], req.params.municipalityId);
      const file = await readUpload(req);
      return service.importCalls(
        app.db,
        actorOf(req),
        req.params.municipalityId,
        { name: file.nombre, bytes: file.bytes },
        { dryRun: file.field('dryRun') === 'true' },
      );
    },
  );

  app.delete(
    '/municipalities/:municipalityId/emergency-calls/imports/:id',
    {
      schema: {
        tags,
        summary: 'Eliminar una carga y sus llamadas',
        params: IdParams,
        response: { 200: Message, ...errors(401, 403, 404) },
      },
    },
    async (req) => {
      authorize(req, ['planner'], req.params.municipalityId);
      await service.deleteImport(app.db, actorOf(req), req.params.municipalityId, req.params.id);
      return { message: 'Carga eliminada con sus llamadas.' };
    },
  );

  app.post(
    '/municipalities/:municipalityId/emergency-calls/to-indicator',
    {
      schema: {
        tags,
        summary: 'Escribir las llamadas por colonia o AGEB de un periodo en una variable de indicadores',
        params: Params,
        body: Type.Object({
          variable: Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,39}$' }),
          nivel: lit('municipio', 'colonia', 'ageb'),
          periodo: Type.String({ pattern: '^[0-9]{4}(-S[12]|-T[1-4]|-(0[1-9]|1[0-2]))?$' }),
          tipo: Type.Optional(Type.Array(Type.String({ maxLength: 120 }), { maxItems: 50 })),
        }),
        response: { 200: LoadReportOut, ...errors(400, 401, 403, 422) },
      },
    },
    async (req) => {
      authorize(req, ['planner'], req.params.municipalityId);
      return service.feedIndicator(app.db, actorOf(req), req.params.municipalityId, req.body);
    },
  );
};

export default emergencyRoutes;
