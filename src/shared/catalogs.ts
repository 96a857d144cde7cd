// Fixed vocabularies that the server (API validation, PDFs, exports, notices) and the web app (the
// Spanish messages, select options) both need: one copy here, data only, no code of either side.
import type { CouncilSector, PbFase, PlanEstado, PlanTipo, ProposalEstado } from '../server/db/column-types.ts';

/** Themes of the SIG's layer catalogue. */
export const LAYER_THEMES = [
  'general',
  'ordenamiento',
  'infraestructura',
  'vialidades',
  'educacion',
  'salud',
  'industria',
  'recreacion',
  'areas-verdes',
  'cultura',
  'vivienda',
  'obras',
  'programas-sociales',
  'riesgos',
  'seguridad',
  'social',
] as const;

/** The instruments of the planning system, by their official names. */
export const PLAN_TIPO_NOMBRE: Record<PlanTipo, string> = {
  vision2040: 'Plan Estratégico Visión 2040',
  pmd: 'Plan Municipal de Desarrollo',
  pmot: 'Programa Municipal de Ordenamiento Territorial',
  pdu: 'Plan Director de Desarrollo Urbano',
  sectorial: 'Programa sectorial',
  poligono: 'Plan parcial de polígono',
  ped: 'Plan Estatal de Desarrollo',
  pnd: 'Plan Nacional de Desarrollo',
};

/** The states a plan goes through, from draft to evaluation. */
export const PLAN_ESTADO_NOMBRE: Record<PlanEstado, string> = {
  borrador: 'Borrador',
  consulta: 'Consulta pública',
  validacion: 'Validado por el Consejo Ciudadano',
  aprobado: 'Aprobado por cabildo',
  vigente: 'Vigente',
  evaluado: 'Evaluado',
};

/** The sectors of the Consejo de Planeación (seed 001). */
export const SECTOR_NOMBRE: Record<CouncilSector, string> = {
  empresarial: 'Empresarial',
  academico: 'Académico',
  investigacion: 'Investigación',
  ambientalista: 'Ambientalista',
  productores: 'Productores',
  osc: 'Organizaciones de la sociedad civil',
  sociedad_civil: 'Sociedad civil',
  funcionarios: 'Funcionarios',
};

/** The phases of a participatory budget, in order. */
export const FASE_NOMBRE: Record<PbFase, string> = {
  borrador: 'Borrador',
  propuestas: 'Propuestas',
  revision: 'Revisión técnica',
  costos: 'Publicación de costos',
  votacion: 'Votación',
  resultados: 'Resultados',
  ejecucion: 'Ejecución',
  cerrado: 'Cerrado',
};

/** The states of a citizen proposal, in order. */
export const PROPUESTA_ESTADO_NOMBRE: Record<ProposalEstado, string> = {
  recibida: 'Recibida',
  en_revision: 'En revisión',
  viable: 'Viable',
  no_viable: 'No viable',
  incluida: 'Incluida en plan/POA',
  en_ejecucion: 'En ejecución',
  concluida: 'Concluida',
};
