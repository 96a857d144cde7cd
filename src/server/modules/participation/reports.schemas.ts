import { type Static, Type } from 'typebox';
import { DateTime, lit, Nullable, Paged, PointGeometry } from '../../schemas.ts';
import type * as reports from './reports.ts';

/**
 * What the web routes of citizen reports answer, camelCase. (The Open311 GeoReport v2 routes keep
 * the standard's own snake_case names; see open311.ts.)
 */

const Id = Type.Integer();
type Row<F extends (...a: never[]) => unknown> = Awaited<ReturnType<F>>;
type One<F extends (...a: never[]) => unknown> = Row<F> extends (infer U)[] ? U : never;
export const ReportEstado = lit('open', 'closed');

export const ReportService = Type.Object({
  id: Id,
  code: Type.String(),
  nombre: Type.String(),
  descripcion: Type.String(),
  grupo: Type.String(),
  keywords: Type.String(),
  departmentId: Nullable(Id),
  activo: Type.Boolean(),
  dependencia: Nullable(Type.String({ description: 'Dependencia que atiende la categoría' })),
});
export const ReportServices = Type.Array(ReportService);
export const servicesOut = (rows: Row<typeof reports.services>): Static<typeof ReportServices> =>
  rows.map((s) => ({
    id: s.id,
    code: s.code,
    nombre: s.nombre,
    descripcion: s.descripcion,
    grupo: s.grupo,
    keywords: s.keywords,
    departmentId: s.department_id,
    activo: s.activo,
    dependencia: s.dependencia,
  }));
export const ServiceSaved = Type.Object({ id: Id, code: Type.String(), nombre: Type.String() });

const ReportCore = {
  id: Id,
  estado: ReportEstado,
  statusNotes: Nullable(Type.String({ description: 'Última nota de atención' })),
  descripcion: Type.String(),
  direccion: Type.String(),
  requestedAt: DateTime,
  updatedAt: DateTime,
  expectedAt: Nullable(DateTime),
  mediaUrl: Nullable(Type.String()),
  departmentId: Nullable(Id),
  isDemo: Type.Boolean(),
  oculto: Type.Boolean(),
  motivoOculto: Nullable(Type.String()),
  serviceCode: Type.String(),
  serviceName: Type.String(),
  dependencia: Nullable(Type.String()),
  colonia: Nullable(Type.String()),
  lat: Type.Number(),
  lon: Type.Number(),
  photoId: Nullable(Id),
};
type BaseRow = One<typeof reports.nearby>;
const coreOut = (r: Omit<BaseRow, 'distancia_m'>) => ({
  id: r.id,
  estado: r.estado,
  statusNotes: r.status_notes,
  descripcion: r.descripcion,
  direccion: r.direccion,
  requestedAt: r.requested_at,
  updatedAt: r.updated_at,
  expectedAt: r.expected_at,
  mediaUrl: r.media_url,
  departmentId: r.department_id,
  isDemo: r.is_demo,
  oculto: r.oculto,
  motivoOculto: r.motivo_oculto,
  serviceCode: r.service_code,
  serviceName: r.service_name,
  dependencia: r.agency_responsible,
  colonia: r.colonia,
  lat: r.lat,
  lon: r.long,
  photoId: r.photo_id,
});

export const ReportItem = Type.Object(ReportCore);
export const ReportPage = Paged(ReportItem);
export const reportPageOut = (r: Row<typeof reports.list>): Static<typeof ReportPage> => ({
  items: r.items.map(coreOut),
  total: r.total,
  page: r.page,
  limit: r.limit,
});
export const Nearby = Type.Array(Type.Object({ ...ReportCore, distanciaM: Type.Integer({ description: 'Distancia en metros' }) }));
export const nearbyOut = (rows: Row<typeof reports.nearby>): Static<typeof Nearby> =>
  rows.map((r) => ({ ...coreOut(r), distanciaM: r.distancia_m }));

const HiddenReport = Type.Object(
  { id: Id, oculto: Type.Literal(true), motivoOculto: Nullable(Type.String()) },
  { description: 'Un reporte oculto por moderación: queda el motivo, no el contenido' },
);
const FullReport = Type.Object({
  ...ReportCore,
  historial: Type.Array(Type.Object({ estado: ReportEstado, nota: Type.String(), at: DateTime })),
  fotos: Type.Array(Id),
  seguido: Type.Boolean(),
  mio: Type.Boolean(),
  atendible: Type.Boolean({ description: 'Si quien consulta puede atenderlo' }),
});
export const Report = Type.Union([FullReport, HiddenReport]);
export const reportOut = (r: Row<typeof reports.get>): Static<typeof Report> =>
  'historial' in r
    ? {
        ...coreOut(r),
        // Written only with a checked estado (the column is plain text).
        historial: r.historial.map((h) => ({ estado: h.estado as Static<typeof ReportEstado>, nota: h.nota, at: h.at })),
        fotos: r.fotos,
        seguido: r.seguido,
        mio: r.mio,
        atendible: r.atendible,
      }
    : { id: r.id, oculto: true, motivoOculto: r.motivo_oculto };

export const ReportsGeoJson = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(
    Type.Object({
      type: Type.Literal('Feature'),
      id: Id,
      geometry: PointGeometry,
      properties: Type.Object({ id: Id, estado: ReportEstado, serviceCode: Type.String(), serviceName: Type.String() }),
    }),
  ),
});
export const geojsonOut = (g: Row<typeof reports.geojson>): Static<typeof ReportsGeoJson> => ({
  type: 'FeatureCollection',
  features: g.features.map((f) => ({
    type: 'Feature',
    id: f.id,
    geometry: f.geometry,
    properties: {
      id: f.properties.id,
      estado: f.properties.estado,
      serviceCode: f.properties.service_code,
      serviceName: f.properties.service_name,
    },
  })),
});

export const ReportCreated = Type.Object({ id: Id, departmentId: Nullable(Id) });
export const ReportUpdated = Type.Object({
  id: Id,
  estado: ReportEstado,
  statusNotes: Nullable(Type.String()),
  departmentId: Nullable(Id),
  expectedAt: Nullable(DateTime),
});
export const reportUpdatedOut = (u: Row<typeof reports.update>): Static<typeof ReportUpdated> => ({
  id: u.id,
  estado: u.estado,
  statusNotes: u.status_notes,
  departmentId: u.department_id,
  expectedAt: u.expected_at,
});
export const ReportFollowed = Type.Object({ seguido: Type.Boolean() });
export const PhotoAdded = Type.Object({ id: Id });

export const Open311Clients = Type.Array(
  Type.Object({ id: Id, nombre: Type.String(), contacto: Type.String(), createdAt: DateTime, revokedAt: Nullable(DateTime) }),
);
export const clientsOut = (rows: Row<typeof reports.clients>): Static<typeof Open311Clients> =>
  rows.map((c) => ({ id: c.id, nombre: c.nombre, contacto: c.contacto, createdAt: c.created_at, revokedAt: c.revoked_at }));
export const Open311ClientCreated = Type.Object({
  id: Id,
  nombre: Type.String(),
  apiKey: Type.String({ description: 'Se muestra una sola vez; solo se guarda su huella' }),
});
