import { type Static, Type } from 'typebox';
import { DateTime, lit, Nullable } from '../../schemas.ts';

/** What the SIG routes take and answer. */

export const METODOS = ['igual', 'cuantiles', 'naturales', 'manual'] as const;
const Color = Type.String({ pattern: '^#[0-9a-fA-F]{6}$' });

/**
 * A layer's saved style, drawn by the map viewer: one colour, one colour per category of an
 * attribute, or classes of a numeric attribute (equal interval, quantiles or natural breaks).
 */
export const Estilo = Type.Object(
  {
    tipo: lit('unico', 'categorias', 'graduado'),
    color: Type.Optional(Color),
    opacidad: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    campo: Type.Optional(Type.String({ maxLength: 200 })),
    metodo: Type.Optional(lit(...METODOS)),
    clases: Type.Optional(Type.Integer({ minimum: 2, maximum: 9 })),
    colores: Type.Optional(Type.Array(Color, { maxItems: 12 })),
    cortes: Type.Optional(Type.Array(Type.Number(), { maxItems: 8 })),
    categorias: Type.Optional(
      Type.Array(
        Type.Object({
          valor: Type.Union([Type.Null(), Type.String({ maxLength: 500 }), Type.Number(), Type.Boolean()]),
          color: Color,
          etiqueta: Type.Optional(Type.String({ maxLength: 200 })),
        }),
        { maxItems: 50 },
      ),
    ),
  },
  { additionalProperties: false },
);
export type Estilo = Static<typeof Estilo>;

export const Attribute = Type.Object({ name: Type.String(), type: Type.String(), description: Type.String() });

/** A layer in the catalogue. */
export const LayerSummary = Type.Object({
  id: Type.Integer(),
  municipalityId: Type.String(),
  slug: Type.String(),
  titulo: Type.String(),
  descripcion: Type.String(),
  tema: Type.String(),
  fuente: Type.String(),
  fecha: Nullable(Type.String({ format: 'date' })),
  licencia: Type.String(),
  frecuencia: Type.String(),
  publico: Type.Boolean(),
  descargable: Type.Boolean(),
  geometryType: Nullable(Type.String()),
  featureCount: Type.Integer(),
  bbox: Nullable(Type.Array(Type.Number(), { minItems: 4, maxItems: 4 })),
  version: Type.Integer(),
  isDemo: Type.Boolean(),
  updatedAt: DateTime,
});

/** A layer with its attributes and style. */
export const Layer = Type.Object({
  ...LayerSummary.properties,
  contacto: Type.String(),
  atributos: Type.Array(Attribute),
  // An unstyled layer has {}; the viewer then draws it in one colour.
  estilo: Type.Union([Estilo, Type.Object({}, { additionalProperties: false })]),
  createdAt: DateTime,
});

export const Classes = Type.Object({
  campo: Type.String(),
  metodo: Type.String(),
  clases: Type.Integer(),
  n: Type.Integer(),
  min: Type.Number(),
  max: Type.Number(),
  cortes: Type.Array(Type.Number()),
});

export const Values = Type.Object({
  campo: Type.String(),
  valores: Type.Array(Type.Object({ valor: Type.Unknown({ description: 'Valor JSON del atributo' }), n: Type.Integer() })),
  mas: Type.Boolean({ description: 'Hay más valores que los listados' }),
});

const Problem = Type.Object({ n: Type.Integer(), reason: Type.String() });
export const UploadReport = Type.Object({
  dryRun: Type.Boolean(),
  committed: Type.Boolean(),
  format: Type.String(),
  layer: Nullable(Type.String()),
  layers: Type.Array(Type.String()),
  features: Type.Integer(),
  valid: Type.Integer(),
  repaired: Type.Array(Problem),
  rejected: Type.Array(Problem),
  attributes: Type.Array(Type.Object({ name: Type.String(), type: Type.String() })),
  geometryType: Nullable(Type.String()),
  warnings: Type.Array(Type.String()),
  overviews: Type.Optional(lit('none', 'built', 'pending')),
});

type Row = {
  id: number;
  municipality_id: string;
  slug: string;
  titulo: string;
  descripcion: string;
  tema: string;
  fuente: string;
  fecha: string | null;
  licencia: string;
  frecuencia: string;
  publico: boolean;
  descargable: boolean;
  geometry_type: string | null;
  feature_count: number;
  bbox: number[] | null;
  version: number;
  is_demo: boolean;
  updated_at: Date;
};

export const layerSummaryOut = (l: Row): Static<typeof LayerSummary> => ({
  id: l.id,
  municipalityId: l.municipality_id,
  slug: l.slug,
  titulo: l.titulo,
  descripcion: l.descripcion,
  tema: l.tema,
  fuente: l.fuente,
  fecha: l.fecha,
  licencia: l.licencia,
  frecuencia: l.frecuencia,
  publico: l.publico,
  descargable: l.descargable,
  geometryType: l.geometry_type,
  featureCount: l.feature_count,
  bbox: l.bbox,
  version: l.version,
  isDemo: l.is_demo,
  updatedAt: l.updated_at,
});

export const layerOut = (
  l: Row & { contacto: string; atributos: Static<typeof Attribute>[]; estilo: unknown; created_at: Date },
): Static<typeof Layer> => ({
  ...layerSummaryOut(l),
  contacto: l.contacto,
  atributos: l.atributos,
  estilo: l.estilo as Estilo,
  createdAt: l.created_at,
});
