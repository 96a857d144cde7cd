import { lit, Nullable } from '../../schemas.ts';
import { Type, type Static } from 'typebox';

export const Clave = Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9][A-Za-z0-9_.\\-]*$' });
export const VarClave = Type.String({
  pattern: '^[A-Za-z][A-Za-z0-9_]{0,39}$',
  description: 'Letras, números y guion bajo; empieza con letra',
});

/** The ficha técnica as the API speaks it (PbR-SED terms). */
export const FichaFields = {
  nombre: Type.String({ minLength: 3, maxLength: 300 }),
  tema: Type.String({ minLength: 2, maxLength: 60 }),
  odsMeta: Type.Optional(Nullable(Type.String({ pattern: '^[0-9]{1,2}\\.[0-9a-z]{1,2}$', description: 'Meta ODS, p. ej. 11.1' }))),
  definicion: Type.Optional(Type.String({ maxLength: 4000 })),
  metodoCalculo: Type.Optional(Type.String({ maxLength: 2000, description: 'Fórmula en lenguaje humano' })),
  formula: Type.String({
    minLength: 1,
    maxLength: 500,
    description: 'Fórmula sobre claves de variables, p. ej. DEF_HOM / POB_TOT * 100000',
  }),
  unidadMedida: Type.Optional(Type.String({ maxLength: 100 })),
  tipo: Type.Optional(lit('estrategico', 'gestion')),
  dimension: Type.Optional(lit('eficacia', 'eficiencia', 'calidad', 'economia')),
  frecuencia: Type.Optional(lit('anual', 'semestral', 'trimestral', 'mensual')),
  sentido: Type.Optional(lit('ascendente', 'descendente')),
  lineaBaseValor: Type.Optional(Nullable(Type.Number())),
  lineaBaseAnio: Type.Optional(Nullable(Type.Integer({ minimum: 1900, maximum: 2200 }))),
  semaforoVerde: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  semaforoAmarillo: Type.Optional(Type.Number({ minimum: 0, maximum: 1000 })),
  departmentId: Type.Optional(Nullable(Type.Integer())),
  cobertura: Type.Optional(Type.Array(lit('municipio', 'localidad', 'ageb', 'manzana', 'colonia', 'poligono'), { minItems: 1 })),
  desagregaciones: Type.Optional(Type.Array(lit('sexo', 'grupo_edad', 'ambito'))),
  nivelMir: Type.Optional(Nullable(lit('fin', 'proposito', 'componente', 'actividad'))),
  decimales: Type.Optional(Type.Integer({ minimum: 0, maximum: 6 })),
  notas: Type.Optional(Type.String({ maxLength: 4000 })),
  estado: Type.Optional(lit('borrador', 'publicado')),
};

export const CreateIndicator = Type.Object({ clave: Clave, ...FichaFields });
export const UpdateIndicator = Type.Partial(Type.Object(FichaFields));
export type CreateIndicatorBody = Static<typeof CreateIndicator>;

export const Meta = Type.Object({
  anio: Type.Integer({ minimum: 1900, maximum: 2200 }),
  trimestre: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 4 }))),
  valor: Type.Number(),
});
export const Benchmark = Type.Object({
  serie: Type.String({ minLength: 1, maxLength: 80, description: 'estatal, nacional, municipio:32017…' }),
  periodo: Type.String({ pattern: '^[0-9]{4}(-S[12]|-T[1-4]|-(0[1-9]|1[0-2]))?$' }),
  valor: Nullable(Type.Number()),
  posicion: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
  de: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
  fuente: Type.Optional(Type.String({ maxLength: 500 })),
});

export const Variable = Type.Object({
  clave: VarClave,
  nombre: Type.String({ minLength: 2, maxLength: 300 }),
  unidad: Type.Optional(Type.String({ maxLength: 100 })),
  fuente: Type.Optional(Type.String({ maxLength: 500, description: 'Medio de verificación' })),
  agregacion: Type.Optional(lit('suma', 'ninguna')),
  departmentId: Type.Optional(Nullable(Type.Integer())),
});

export const VariableOut = Type.Object({
  id: Type.Integer(),
  clave: Type.String(),
  nombre: Type.String(),
  unidad: Type.String(),
  fuente: Type.String(),
  agregacion: Type.String(),
  departmentId: Nullable(Type.Integer()),
});
/** A variable row as the API names it. */
export const variableOut = (v: {
  id: number;
  clave: string;
  nombre: string;
  unidad: string;
  fuente: string;
  agregacion: string;
  department_id: number | null;
}): Static<typeof VariableOut> => ({
  id: v.id,
  clave: v.clave,
  nombre: v.nombre,
  unidad: v.unidad,
  fuente: v.fuente,
  agregacion: v.agregacion,
  departmentId: v.department_id,
});

export const Semaforo = lit('verde', 'amarillo', 'rojo');

export const IndicatorSummary = Type.Object({
  id: Type.Integer(),
  clave: Type.String(),
  nombre: Type.String(),
  tema: Type.String(),
  temaNombre: Type.String(),
  odsMeta: Nullable(Type.String()),
  unidadMedida: Type.String(),
  sentido: lit('ascendente', 'descendente'),
  estado: Type.String(),
  isDemo: Type.Boolean(),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const Ficha = Type.Object({
  ...IndicatorSummary.properties,
  municipalityId: Type.String(),
  definicion: Type.String(),
  metodoCalculo: Type.String(),
  formula: Type.String(),
  tipo: Type.String(),
  dimension: Type.String(),
  frecuencia: Type.String(),
  lineaBaseValor: Nullable(Type.Number()),
  lineaBaseAnio: Nullable(Type.Integer()),
  semaforoVerde: Type.Number(),
  semaforoAmarillo: Type.Number(),
  departmentId: Nullable(Type.Integer()),
  departmentName: Nullable(Type.String()),
  cobertura: Type.Array(Type.String()),
  desagregaciones: Type.Array(Type.String()),
  nivelMir: Nullable(Type.String()),
  decimales: Type.Integer(),
  notas: Type.String(),
  variables: Type.Array(VariableOut),
  metas: Type.Array(Type.Object({ anio: Type.Integer(), trimestre: Nullable(Type.Integer()), valor: Type.Number() })),
  comparativos: Type.Array(
    Type.Object({
      serie: Type.String(),
      periodo: Type.String(),
      valor: Nullable(Type.Number()),
      posicion: Nullable(Type.Integer()),
      de: Nullable(Type.Integer()),
      fuente: Type.String(),
    }),
  ),
});

export const ValueRow = Type.Object({
  unitId: Type.Integer(),
  cvegeo: Type.String(),
  unidad: Type.String(),
  periodo: Type.String(),
  desagregacion: Type.String(),
  valor: Nullable(Type.Number()),
  motivo: Nullable(Type.String()),
  meta: Nullable(Type.Number()),
  semaforo: Nullable(Semaforo),
  avance: Nullable(Type.Number()),
});

export const LoadReportOut = Type.Object({
  dryRun: Type.Boolean(),
  committed: Type.Boolean(),
  loadId: Nullable(Type.Integer()),
  filas: Type.Integer(),
  validas: Type.Integer(),
  insertadas: Type.Integer(),
  actualizadas: Type.Integer(),
  errores: Type.Array(Type.Object({ fila: Type.Integer(), columna: Nullable(Type.String()), problema: Type.String() })),
  variables: Type.Array(Type.String()),
});

/** ¿Cómo vamos?: the semáforo per theme, the largest changes and the latest loads. */
export const Dashboard = Type.Object({
  temas: Type.Array(
    Type.Object({
      tema: Type.String(),
      nombre: Type.String(),
      verde: Type.Integer(),
      amarillo: Type.Integer(),
      rojo: Type.Integer(),
      sinDato: Type.Integer(),
    }),
  ),
  indicadores: Type.Array(
    Type.Object({
      clave: Type.String(),
      nombre: Type.String(),
      tema: Type.String(),
      odsMeta: Type.Union([Type.Null(), Type.String()]),
      unidadMedida: Type.String(),
      periodo: Type.Union([Type.Null(), Type.String()]),
      valor: Type.Union([Type.Null(), Type.Number()]),
      anterior: Type.Union([Type.Null(), Type.Number()]),
      cambio: Type.Union([Type.Null(), Type.Number()]),
      mejora: Type.Union([Type.Null(), Type.Boolean()]),
      meta: Type.Union([Type.Null(), Type.Number()]),
      semaforo: Nullable(Semaforo),
      actualizado: Type.String({ format: 'date-time' }),
    }),
  ),
  ultimasCargas: Type.Array(
    Type.Object({
      archivo: Type.String(),
      filas: Type.Integer(),
      fecha: Type.String({ format: 'date-time' }),
      por: Type.Union([Type.Null(), Type.String()]),
    }),
  ),
});

export const Themes = Type.Array(Type.Object({ code: Type.String(), name: Type.String(), nameEn: Type.String() }));
