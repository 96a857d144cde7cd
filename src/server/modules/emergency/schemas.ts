import { Type } from 'typebox';
import { DateTime, lit, Nullable } from '../../schemas.ts';

/** What the emergency-calls routes answer. */

const Count = Type.Integer({ minimum: 0 });

export const Summary = Type.Object({
  total: Count,
  desde: Nullable(DateTime),
  hasta: Nullable(DateTime),
  porTipo: Type.Array(Type.Object({ tipo: Type.String(), n: Count })),
  porPrioridad: Type.Array(Type.Object({ prioridad: Type.String(), n: Count })),
  porMes: Type.Array(Count, { description: 'Enero a diciembre' }),
  porDia: Type.Array(Count, { description: 'Domingo a sábado' }),
  porHora: Type.Array(Count, { description: '0 a 23 h' }),
});

export const Heat = Type.Object({
  type: Type.Literal('FeatureCollection'),
  celda: Type.Number({ description: 'Tamaño de la celda en grados' }),
  max: Count,
  features: Type.Array(
    Type.Object({
      type: Type.Literal('Feature'),
      properties: Type.Object({ n: Count }),
      geometry: Type.Object({ type: Type.Literal('Point'), coordinates: Type.Array(Type.Number(), { minItems: 2, maxItems: 2 }) }),
    }),
  ),
});

export const ByUnit = Type.Object({
  nivel: lit('colonia', 'ageb'),
  unidades: Type.Array(
    Type.Object({
      unitId: Type.Integer(),
      cvegeo: Type.String(),
      nombre: Type.String(),
      poblacion: Nullable(Type.Integer()),
      n: Count,
      tasaMil: Nullable(Type.Number({ description: 'Llamadas por mil habitantes' })),
    }),
  ),
  sinUnidad: Count,
});

export const ImportRow = Type.Object({
  id: Type.Integer(),
  archivo: Type.String(),
  filas: Count,
  desde: Nullable(DateTime),
  hasta: Nullable(DateTime),
  isDemo: Type.Boolean(),
  createdAt: DateTime,
  cargadoPor: Nullable(Type.String()),
});

export const ImportReport = Type.Object({
  dryRun: Type.Boolean(),
  committed: Type.Boolean(),
  importId: Nullable(Type.Integer()),
  filas: Count,
  validas: Count,
  errores: Type.Array(Type.Object({ fila: Type.Integer(), columna: Nullable(Type.String()), problema: Type.String() })),
  desde: Nullable(Type.String()),
  hasta: Nullable(Type.String()),
  porTipo: Type.Record(Type.String(), Count),
});
