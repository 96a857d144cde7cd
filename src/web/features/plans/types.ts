import type { PlanEstado } from '../../api/plans/index.ts';

export type { AlignLink, Comment, PlanEstado, PlanListItem, PlanView, TreeElement, TreeMeta } from '../../api/plans/index.ts';
export const ESTADOS: PlanEstado[] = ['borrador', 'consulta', 'validacion', 'aprobado', 'vigente', 'evaluado'];
