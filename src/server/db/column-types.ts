import type { ColumnType, Generated } from 'kysely';

/**
 * What the SQL of migrations/ cannot tell the type generator: the values a text column's CHECK
 * allows and the shape of a jsonb column. `scripts/db-types.ts` maps columns to these types; the
 * row types themselves are generated into `types.ts`.
 */

/** A jsonb column: read as T, written as T or as JSON text. */
export type Json<T = Record<string, unknown>> = ColumnType<T, string | T | undefined, string | T>;
/** A column with a default: optional on insert. */
export type Defaulted<T> = ColumnType<T, T | undefined, T>;
export type { Generated };

export type TerritorialLevel = 'estado' | 'municipio' | 'localidad' | 'ageb' | 'manzana' | 'colonia' | 'poligono';
export type Role = 'admin' | 'planner' | 'enlace' | 'council' | 'citizen';
export type PlanTipo = 'vision2040' | 'pmd' | 'pmot' | 'pdu' | 'sectorial' | 'poligono' | 'ped' | 'pnd';
export type PlanEstado = 'borrador' | 'consulta' | 'validacion' | 'aprobado' | 'vigente' | 'evaluado';
export type ProposalEstado = 'recibida' | 'en_revision' | 'viable' | 'no_viable' | 'incluida' | 'en_ejecucion' | 'concluida';
export type PbFase = 'borrador' | 'propuestas' | 'revision' | 'costos' | 'votacion' | 'resultados' | 'ejecucion' | 'cerrado';
export type CouncilSector =
  | 'empresarial'
  | 'academico'
  | 'investigacion'
  | 'ambientalista'
  | 'productores'
  | 'osc'
  | 'sociedad_civil'
  | 'funcionarios';
export type Sexo = 'mujer' | 'hombre' | 'no_binario';
export type Resolucion = 'favorable' | 'favorable_con_observaciones' | 'desfavorable' | 'sin_votos';

export type PhaseDates = Record<string, { inicio?: string; fin?: string }>;
export type LayerAttribute = { name: string; type: string; description: string };
export type MetaValue = { anio: number; valor: number };
