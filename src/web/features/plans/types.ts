import type { PlanEstado } from '../../api/plans/index.ts';

export type { AlignLink, Comment, PlanEstado, PlanListItem, PlanView, TreeElement, TreeMeta } from '../../api/plans/index.ts';
// Responses of the programs module, hand-copied until its routes have response schemas (issue 15).

export interface Rollup {
  acciones: number;
  aprobado: number;
  modificado: number;
  ejercido: number;
  avance: number | null;
}

export interface ActionRow {
  id: number;
  clave: string;
  nombre: string;
  tipo: 'accion' | 'obra';
  avance_fisico: number;
  publicado: boolean;
  anio: number;
  programa: string;
  programa_clave: string;
  department: string;
  department_id: number;
  aprobado: number;
  modificado: number;
  ejercido: number;
  ubicada: boolean;
  beneficiarios: number | null;
}

export const ESTADOS: PlanEstado[] = ['borrador', 'consulta', 'validacion', 'aprobado', 'vigente', 'evaluado'];
