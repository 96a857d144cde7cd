export type PlanEstado = 'borrador' | 'consulta' | 'validacion' | 'aprobado' | 'vigente' | 'evaluado';

export interface PlanSummary {
  id: number;
  municipality_id: string;
  tipo: string;
  titulo: string;
  descripcion: string;
  periodo_inicio: number | null;
  periodo_fin: number | null;
  estado: PlanEstado;
  cabildo_fecha: string | null;
  cabildo_acuerdo: string | null;
  is_demo: boolean;
  elementos: number;
}

export interface Meta {
  id: number;
  descripcion: string;
  indicator_id: number | null;
  indicator_clave: string | null;
  indicator_nombre: string | null;
  indicator_municipality_id: string | null;
  linea_base: number | null;
  valores: { anio: number; valor: number }[];
}

export interface AlignLink {
  id: number;
  codigo: string;
  titulo: string;
  plan_id: number;
  plan_titulo: string;
  plan_tipo: string;
  municipality_id: string;
}

export interface TreeElement {
  id: number;
  parent_id: number | null;
  nivel: number;
  posicion: number;
  codigo: string;
  titulo: string;
  descripcion: string;
  responsables: number[];
  metas: Meta[];
  ods: string[];
  alineadoA: AlignLink[];
  alineadosDesde: AlignLink[];
}

export interface PlanView {
  plan: PlanSummary & { niveles: string[] };
  elements: TreeElement[];
  versiones: { numero: number; estado: PlanEstado; created_at: string }[];
  historial: { de: PlanEstado; a: PlanEstado; nota: string; at: string; usuario: string | null }[];
  transicionesPermitidas: PlanEstado[];
  editable: boolean;
}

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

export interface Comment {
  id: number;
  element_id: number;
  codigo: string;
  texto: string | null;
  respuesta: string | null;
  respondido_at: string | null;
  oculto: boolean;
  motivo_oculto: string | null;
  created_at: string;
  autor: string;
  mio: boolean;
}

export const ESTADOS: PlanEstado[] = ['borrador', 'consulta', 'validacion', 'aprobado', 'vigente', 'evaluado'];
