import { Type, type TSchema } from 'typebox';

/** The one error shape every route returns on failure. */
export const ErrorSchema = Type.Object(
  {
    code: Type.String({ description: 'Código estable, p. ej. BRJ_ERR_NOT_FOUND' }),
    message: Type.String({ description: 'Mensaje en español para mostrar a la persona usuaria' }),
    details: Type.Optional(Type.Unknown()),
  },
  { $id: 'Error' },
);

export const ErrorRef = Type.Ref('Error');

/** Standard error responses to spread into a route's `response` schema. */
export const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, ErrorRef]));

export const MunicipalityId = Type.String({ pattern: '^[0-9]{5}$', description: 'Clave INEGI CVE_ENT+CVE_MUN, p. ej. 32056' });

export const PageQuery = {
  page: Type.Integer({ minimum: 1, default: 1 }),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
};

export const Paged = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), total: Type.Integer(), page: Type.Integer(), limit: Type.Integer() });

export const Message = Type.Object({ message: Type.String() });

/** The bytes of a file in a response: a Buffer or text on the server, binary in the document. */
export const Binary = Type.Unsafe<Buffer | string>({ type: 'string', format: 'binary' });
/** A response that is a file (CSV, XLSX, PDF, an image…): its media types, as binary. */
export const FileOf = (description: string, ...types: string[]) => ({
  description,
  content: Object.fromEntries(types.map((t) => [t, { schema: Binary }])),
});
export const CSV = 'text/csv';
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const PDF = 'application/pdf';
export const IMAGE = ['image/jpeg', 'image/png', 'image/webp'];

/** A GeoJSON FeatureCollection in EPSG:4326; each feature's properties are named by its route. */
export const FeatureCollection = Type.Object(
  {
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(
      Type.Object({
        type: Type.Literal('Feature'),
        id: Type.Optional(Type.Union([Type.Integer(), Type.String()])),
        geometry: Type.Unknown(),
        properties: Type.Record(Type.String(), Type.Unknown()),
      }),
    ),
  },
  { additionalProperties: true },
);

/** An OCDS 1.1 release package (EDCA‑MX); it validates against OCDS's release-package-schema.json. */
export const OcdsPackage = Type.Object(
  {
    uri: Type.String(),
    version: Type.Literal('1.1'),
    publishedDate: Type.String(),
    publisher: Type.Object({ name: Type.String() }, { additionalProperties: true }),
    releases: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  },
  {
    additionalProperties: true,
    description: 'Paquete de releases OCDS 1.1: https://standard.open-contracting.org/1.1/es/schema/release_package/',
  },
);

/** A string that is one of these values (an enum in the OpenAPI document, a union in TypeScript). */
export const lit = <T extends string>(...v: T[]) => Type.Unsafe<T>({ type: 'string', enum: v });
// Null first: with type coercion on, Ajv would otherwise turn a null into 0 or "" for the other type.
export const Nullable = <T extends TSchema>(t: T) => Type.Union([Type.Null(), t]);
/** A timestamp: the server may hand a Date, the client always reads ISO 8601 text. */
export const DateTime = Type.Unsafe<Date | string>({ type: 'string', format: 'date-time' });

/** A GeoJSON geometry in EPSG:4326 (point, line or polygon), in a request or a response. */
export const Geometry = Type.Object(
  {
    type: lit('Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'),
    coordinates: Type.Array(Type.Unknown(), { description: 'Coordenadas [longitud, latitud] anidadas según el tipo' }),
  },
  { description: 'Geometría GeoJSON en EPSG:4326 (punto, línea o polígono)' },
);
/** A bounding box [west, south, east, north] in EPSG:4326 (a tuple in TypeScript; OpenAPI 3.0 says four numbers). */
export const BBox = Type.Unsafe<[number, number, number, number]>({
  type: 'array',
  items: { type: 'number' },
  minItems: 4,
  maxItems: 4,
  description: '[oeste, sur, este, norte] en EPSG:4326',
});
/** A GeoJSON point in EPSG:4326. */
export const PointGeometry = Type.Object(
  {
    type: Type.Literal('Point'), // A tuple in TypeScript; OpenAPI 3.0 has no tuples, so the document says two numbers.
    coordinates: Type.Unsafe<[number, number]>({
      type: 'array',
      items: { type: 'number' },
      minItems: 2,
      maxItems: 2,
      description: '[longitud, latitud]',
    }),
  },
  { description: 'Punto GeoJSON en EPSG:4326' },
);

/** An OCDS 1.1 record package: per contracting process, its releases and the compiled release. */
export const OcdsRecordPackage = Type.Object(
  {
    uri: Type.String(),
    version: Type.Literal('1.1'),
    publishedDate: Type.String(),
    publisher: Type.Object({ name: Type.String() }, { additionalProperties: true }),
    packages: Type.Array(Type.String()),
    records: Type.Array(
      Type.Object({
        ocid: Type.String(),
        releases: Type.Array(Type.Record(Type.String(), Type.Unknown())),
        compiledRelease: Type.Record(Type.String(), Type.Unknown()),
      }),
    ),
  },
  {
    additionalProperties: true,
    description: 'Paquete de registros OCDS 1.1: https://standard.open-contracting.org/1.1/es/schema/record_package/',
  },
);
