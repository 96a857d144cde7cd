import type { ColumnType, Generated } from 'kysely';

// Row types of the tables in migrations/. Keep in step with the SQL files.
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = Record<string, unknown>> = ColumnType<T, string | T | undefined, string | T>;

export interface SchemaMigrations {
  name: string;
  checksum: string;
  applied_at: Timestamp;
}

export interface AuditLog {
  id: Generated<number>;
  municipality_id: string | null;
  at: Timestamp;
  actor_id: number | null;
  via: string | null;
  action: 'insert' | 'update' | 'delete' | 'event';
  entity: string;
  entity_id: string | null;
  before: Json | null;
  after: Json | null;
  is_public: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface States {
  cve_ent: string;
  name: string;
  abbreviation: string;
}

export interface Municipalities {
  id: string;
  cve_ent: string;
  name: string;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  is_demo: ColumnType<boolean, boolean | undefined, boolean>;
  settings: Json;
  created_at: Timestamp;
}

export type TerritorialLevel = 'estado' | 'municipio' | 'localidad' | 'ageb' | 'manzana' | 'colonia' | 'poligono';

export interface TerritorialUnits {
  id: Generated<number>;
  municipality_id: string;
  level: TerritorialLevel;
  cvegeo: string;
  name: string;
  parent_id: number | null;
  population: number | null;
  area_m2: number | null;
  /** Generated: planar area in EPSG:6372, as INEGI's tables give it. */
  area_planar_m2: ColumnType<number | null, never, never>;
  attributes: Json;
  geom: unknown;
  import_id: number | null;
  updated_at: Timestamp;
}

export interface TerritoryImports {
  id: Generated<number>;
  municipality_id: string | null;
  level: string;
  file_name: string;
  format: string;
  source_srid: number | null;
  features: number;
  inserted: number;
  updated: number;
  repaired: number;
  rejected: number;
  report: Json;
  created_by: number | null;
  created_at: Timestamp;
}

export interface Departments {
  id: Generated<number>;
  municipality_id: string;
  name: string;
  acronym: string | null;
}

export interface Users {
  id: Generated<number>;
  email: string;
  name: string;
  password_hash: string;
  email_verified_at: Date | null;
  status: ColumnType<'active' | 'blocked', 'active' | 'blocked' | undefined, 'active' | 'blocked'>;
  home_municipality_id: string | null;
  locale: ColumnType<string, string | undefined, string>;
  is_demo: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  last_login_at: Date | null;
}

export type Role = 'admin' | 'planner' | 'enlace' | 'council' | 'citizen';

export interface RoleGrants {
  id: Generated<number>;
  user_id: number;
  municipality_id: string | null;
  role: Role;
  department_id: number | null;
  granted_by: number | null;
  created_at: Timestamp;
}

export interface LoginFailures {
  email: string;
  at: Timestamp;
}

export interface Sessions {
  id: string;
  user_id: number;
  created_at: Timestamp;
  expires_at: Date;
  ip: string | null;
  user_agent: string | null;
}

export interface UserTokens {
  token_hash: string;
  user_id: number;
  purpose: 'verify_email' | 'reset_password' | 'invitation';
  expires_at: Date;
  used_at: Date | null;
}

export interface Installation {
  id: ColumnType<boolean, boolean | undefined, never>;
  institution_name: string | null;
  cve_ent: string | null;
  primary_color: ColumnType<string, string | undefined, string>;
  accent_color: ColumnType<string, string | undefined, string>;
  logo: Buffer | null;
  logo_version: ColumnType<number, number | undefined, number>;
  setup_token_hash: string | null;
  setup_token_created_at: Date | null;
  updated_at: Timestamp;
}

export interface Outbox {
  id: Generated<number>;
  to_address: string;
  subject: string;
  body: string;
  created_at: Timestamp;
  sent_at: Date | null;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
}

export interface IndicatorThemes {
  code: string;
  name: string;
  name_en: string;
  sort: number;
}

export interface IndicatorVariables {
  id: Generated<number>;
  municipality_id: string;
  clave: string;
  nombre: string;
  unidad: ColumnType<string, string | undefined, string>;
  fuente: ColumnType<string, string | undefined, string>;
  agregacion: ColumnType<'suma' | 'ninguna', 'suma' | 'ninguna' | undefined, 'suma' | 'ninguna'>;
  department_id: number | null;
}

type Defaulted<T> = ColumnType<T, T | undefined, T>;

export interface Indicators {
  id: Generated<number>;
  municipality_id: string;
  clave: string;
  nombre: string;
  theme_code: string;
  ods_meta: string | null;
  definicion: Defaulted<string>;
  metodo_calculo: Defaulted<string>;
  formula: string;
  unidad_medida: Defaulted<string>;
  tipo: Defaulted<'estrategico' | 'gestion'>;
  dimension: Defaulted<'eficacia' | 'eficiencia' | 'calidad' | 'economia'>;
  frecuencia: Defaulted<'anual' | 'semestral' | 'trimestral' | 'mensual'>;
  sentido: Defaulted<'ascendente' | 'descendente'>;
  linea_base_valor: number | null;
  linea_base_anio: number | null;
  semaforo_verde: Defaulted<number>;
  semaforo_amarillo: Defaulted<number>;
  department_id: number | null;
  cobertura: Defaulted<string[]>;
  desagregaciones: Defaulted<string[]>;
  nivel_mir: string | null;
  decimales: Defaulted<number>;
  notas: Defaulted<string>;
  estado: Defaulted<'borrador' | 'publicado'>;
  is_demo: Defaulted<boolean>;
  updated_at: Timestamp;
}

export interface IndicatorTargets {
  id: Generated<number>;
  municipality_id: string;
  indicator_id: number;
  anio: number;
  trimestre: number | null;
  valor: number;
}

export interface IndicatorBenchmarks {
  id: Generated<number>;
  municipality_id: string;
  indicator_id: number;
  serie: string;
  periodo: string;
  valor: number | null;
  posicion: number | null;
  de: number | null;
  fuente: Defaulted<string>;
}

export interface IndicatorLoads {
  id: Generated<number>;
  municipality_id: string;
  file_name: string;
  rows: number;
  created_by: number | null;
  created_at: Timestamp;
}

export interface IndicatorObservations {
  municipality_id: string;
  variable_id: number;
  unit_id: number;
  periodo: string;
  desagregacion: Defaulted<string>;
  valor: number;
  load_id: number | null;
  updated_by: number | null;
  updated_at: Timestamp;
}

export interface ApiTokens {
  id: Generated<number>;
  municipality_id: string;
  department_id: number;
  name: string;
  token_hash: string;
  created_by: number | null;
  created_at: Timestamp;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export type PlanTipo = 'vision2040' | 'pmd' | 'pmot' | 'pdu' | 'sectorial' | 'poligono' | 'ped' | 'pnd';
export type PlanEstado = 'borrador' | 'consulta' | 'validacion' | 'aprobado' | 'vigente' | 'evaluado';
type Num = ColumnType<number, number | string, number | string>;
type NumNull = ColumnType<number | null, number | string | null | undefined, number | string | null>;

export interface OdsGoals {
  numero: number;
  nombre: string;
  nombre_en: string;
}
export interface Plans {
  id: Generated<number>;
  municipality_id: string;
  tipo: PlanTipo;
  titulo: string;
  descripcion: Generated<string>;
  periodo_inicio: number | null;
  periodo_fin: number | null;
  niveles: Generated<string[]>;
  estado: Generated<PlanEstado>;
  cabildo_fecha: ColumnType<string | null, string | null | undefined, string | null>;
  cabildo_acuerdo: string | null;
  is_demo: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface PlanElements {
  id: Generated<number>;
  municipality_id: string;
  plan_id: number;
  parent_id: number | null;
  nivel: number;
  posicion: Generated<number>;
  codigo: string;
  titulo: string;
  descripcion: Generated<string>;
  responsables: Generated<number[]>;
  updated_at: Timestamp;
}
export interface PlanMetas {
  id: Generated<number>;
  municipality_id: string;
  element_id: number;
  descripcion: string;
  indicator_id: number | null;
  linea_base: NumNull;
  valores: Json<{ anio: number; valor: number }[]>;
  posicion: Generated<number>;
}
export interface PlanAlignments {
  municipality_id: string;
  element_id: number;
  target_id: number;
}
export interface PlanElementOds {
  municipality_id: string;
  element_id: number;
  ods_meta: string;
}
export interface PlanTransitions {
  id: Generated<number>;
  municipality_id: string;
  plan_id: number;
  de: string;
  a: string;
  nota: Generated<string>;
  user_id: number | null;
  at: Timestamp;
}
export interface PlanVersions {
  id: Generated<number>;
  municipality_id: string;
  plan_id: number;
  numero: number;
  estado: string;
  created_at: Timestamp;
  snapshot: Json<unknown>;
}
export interface PlanComments {
  id: Generated<number>;
  municipality_id: string;
  plan_id: number;
  element_id: number;
  user_id: number;
  texto: string;
  respuesta: string | null;
  respondido_por: number | null;
  respondido_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  oculto: Generated<boolean>;
  motivo_oculto: string | null;
  created_at: Timestamp;
}

export interface FundingSources {
  id: Generated<number>;
  municipality_id: string | null;
  clave: string;
  nombre: string;
  orden_gobierno: 'federal' | 'estatal' | 'municipal' | 'otro';
  activo: Generated<boolean>;
}
export interface PoaPrograms {
  id: Generated<number>;
  municipality_id: string;
  anio: number;
  department_id: number;
  clave: string;
  nombre: string;
  descripcion: Generated<string>;
  is_demo: Generated<boolean>;
}
export interface MirRows {
  id: Generated<number>;
  municipality_id: string;
  program_id: number;
  nivel: 'fin' | 'proposito' | 'componente' | 'actividad';
  posicion: Generated<number>;
  resumen_narrativo: string;
  indicator_id: number | null;
  indicador_texto: Generated<string>;
  medios_verificacion: Generated<string>;
  supuestos: Generated<string>;
}
export interface PoaActions {
  id: Generated<number>;
  municipality_id: string;
  program_id: number;
  department_id: number;
  clave: string;
  nombre: string;
  descripcion: Generated<string>;
  tipo: Generated<'accion' | 'obra'>;
  geom: ColumnType<unknown, unknown, unknown>;
  beneficiarios: number | null;
  beneficiarios_descripcion: Generated<string>;
  fecha_inicio: ColumnType<string | null, string | null | undefined, string | null>;
  fecha_fin: ColumnType<string | null, string | null | undefined, string | null>;
  publicado: Generated<boolean>;
  avance_fisico: ColumnType<number, number | string | undefined, number | string>;
  is_demo: Generated<boolean>;
  updated_at: Timestamp;
}
export interface ActionBudgets {
  municipality_id: string;
  action_id: number;
  funding_source_id: number;
  aprobado: Num;
  modificado: NumNull;
  ejercido: ColumnType<number, number | string | undefined, number | string>;
}
export interface ActionAlignments {
  municipality_id: string;
  action_id: number;
  element_id: number;
}
export interface ProgressReports {
  id: Generated<number>;
  municipality_id: string;
  action_id: number;
  periodo: string;
  avance_fisico: Num;
  ejercido: ColumnType<number, number | string | undefined, number | string>;
  narrativa: Generated<string>;
  estado: Generated<'enviado' | 'publicado' | 'devuelto'>;
  nota_revision: Generated<string>;
  reported_by: number | null;
  reviewed_by: number | null;
  created_at: Timestamp;
  reviewed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}
export interface EvidenceFiles {
  id: Generated<number>;
  municipality_id: string;
  report_id: number;
  nombre: string;
  mime: string;
  bytes: number;
  sha256: string;
  contenido: Buffer;
  created_at: Timestamp;
}
export interface Contracts {
  id: Generated<number>;
  municipality_id: string;
  action_id: number;
  procedimiento: 'licitacion_publica' | 'invitacion_tres' | 'adjudicacion_directa';
  numero_contrato: Generated<string>;
  contratista_nombre: Generated<string>;
  contratista_rfc: string | null;
  monto_contratado: NumNull;
  fecha_convocatoria: ColumnType<string | null, string | null | undefined, string | null>;
  fecha_adjudicacion: ColumnType<string | null, string | null | undefined, string | null>;
  fecha_firma: ColumnType<string | null, string | null | undefined, string | null>;
  fecha_inicio: ColumnType<string | null, string | null | undefined, string | null>;
  fecha_fin: ColumnType<string | null, string | null | undefined, string | null>;
  updated_at: Timestamp;
}
export interface ContractAmendments {
  id: Generated<number>;
  municipality_id: string;
  contract_id: number;
  fecha: ColumnType<string, string, string>;
  descripcion: string;
  monto_nuevo: NumNull;
  fecha_fin_nueva: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
}

export interface GisLayers {
  id: Generated<number>;
  municipality_id: string;
  slug: string;
  titulo: string;
  descripcion: Generated<string>;
  tema: Generated<string>;
  fuente: Generated<string>;
  fecha: ColumnType<string | null, string | null | undefined, string | null>;
  licencia: Generated<string>;
  contacto: Generated<string>;
  frecuencia: Generated<string>;
  atributos: Json<{ name: string; type: string; description: string }[]>;
  publico: Generated<boolean>;
  descargable: Generated<boolean>;
  geometry_type: string | null;
  feature_count: Generated<number>;
  bbox: number[] | null;
  estilo: Json;
  version: Generated<number>;
  origen: string | null;
  max_extent: number | null;
  is_demo: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface GisFeatures {
  layer_id: number;
  municipality_id: string;
  fid: number;
  properties: Json;
  geom: unknown;
  extent: Generated<number>;
}

export interface GisOverviewTiles {
  layer_id: number;
  z: number;
  x: number;
  y: number;
  features: number;
  cells: number;
}

export interface GisOverviews {
  layer_id: number;
  z: number;
  tx: number;
  ty: number;
  fid: number;
  n: number;
  geom: unknown;
}

export interface EmergencyCallImports {
  id: Generated<number>;
  municipality_id: string;
  archivo: string;
  filas: number;
  sha256: string;
  desde: Date | null;
  hasta: Date | null;
  is_demo: Generated<boolean>;
  created_by: number | null;
  created_at: Generated<Date>;
}

export interface EmergencyCalls {
  id: Generated<number>;
  municipality_id: string;
  import_id: number;
  folio: string | null;
  recibida: Date;
  tipo: string;
  prioridad: 'alta' | 'media' | 'baja';
  colonia_reportada: string | null;
  colonia_id: number | null;
  ageb_id: number | null;
  mes: number;
  dia_semana: number;
  hora: number;
  geom: unknown;
}

// ---------- participation (0011) ----------
type Gen<T> = Generated<T>;
type Geom = ColumnType<unknown, unknown, unknown>;
type Money = ColumnType<number, number | string, number | string>;
type MoneyNull = ColumnType<number | null, number | string | null | undefined, number | string | null>;
type DateText = ColumnType<string | null, string | null | undefined, string | null>;
type TimestampNull = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface ParticipationSettings {
  municipality_id: string;
  verificacion: ColumnType<string[], string[] | undefined, string[]>;
  limite_diario: Gen<number>;
  updated_at: Timestamp;
}
export interface ResidentVerifications {
  id: Gen<number>;
  municipality_id: string;
  user_id: number;
  metodo: 'sms' | 'presencial';
  telefono_hash: string | null;
  telefono_final: string | null;
  curp_hash: string | null;
  unit_id: number | null;
  verificado_por: number | null;
  verified_at: Timestamp;
}
export interface VerificationCodes {
  id: Gen<number>;
  municipality_id: string;
  user_id: number;
  telefono_hash: string;
  telefono_final: string;
  code_hash: string;
  intentos: Gen<number>;
  expires_at: Timestamp;
  used_at: TimestampNull;
  created_at: Timestamp;
}
export interface SmsOutbox {
  id: Gen<number>;
  municipality_id: string;
  to_number: string;
  body: string;
  created_at: Timestamp;
  sent_at: TimestampNull;
}
export interface ParticipationBlocks {
  municipality_id: string;
  user_id: number;
  motivo: string;
  bloqueado_por: number | null;
  created_at: Timestamp;
}
export interface Notifications {
  id: Gen<number>;
  municipality_id: string | null;
  user_id: number;
  titulo: string;
  cuerpo: Gen<string>;
  enlace: Gen<string>;
  created_at: Timestamp;
  read_at: TimestampNull;
}
export interface PowSpent {
  signature: string;
  expires_at: Timestamp;
}
export type ProposalEstado = 'recibida' | 'en_revision' | 'viable' | 'no_viable' | 'incluida' | 'en_ejecucion' | 'concluida';
export interface Proposals {
  id: Gen<number>;
  municipality_id: string;
  user_id: number;
  titulo: string;
  cuerpo: string;
  cuerpo_texto: string;
  tema: string;
  unit_id: number | null;
  geom: Geom;
  estado: Gen<ProposalEstado>;
  respuesta: Gen<string>;
  element_id: number | null;
  action_id: number | null;
  oculto: Gen<boolean>;
  motivo_oculto: string | null;
  apoyos: Gen<number>;
  comentarios: Gen<number>;
  busqueda: ColumnType<string, never, never>;
  is_demo: Gen<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface ProposalStatusChanges {
  id: Gen<number>;
  municipality_id: string;
  proposal_id: number;
  estado: string;
  respuesta: Gen<string>;
  user_id: number | null;
  at: Timestamp;
}
export interface ProposalSupports {
  municipality_id: string;
  proposal_id: number;
  user_id: number;
  created_at: Timestamp;
}
export interface ProposalFollowers {
  municipality_id: string;
  proposal_id: number;
  user_id: number;
}
export interface ProposalComments {
  id: Gen<number>;
  municipality_id: string;
  proposal_id: number;
  parent_id: number | null;
  user_id: number;
  texto: string;
  oculto: Gen<boolean>;
  motivo_oculto: string | null;
  created_at: Timestamp;
}
export interface ProposalFlags {
  id: Gen<number>;
  municipality_id: string;
  proposal_id: number;
  comment_id: number | null;
  user_id: number;
  motivo: string;
  resuelta_at: TimestampNull;
  created_at: Timestamp;
}
export interface ProposalFiles {
  id: Gen<number>;
  municipality_id: string;
  proposal_id: number;
  tipo: 'imagen' | 'documento';
  nombre: string;
  mime: string;
  bytes: number;
  ancho: number | null;
  alto: number | null;
  contenido: Buffer;
  miniatura: Buffer | null;
  created_at: Timestamp;
}
export type PbFase = 'borrador' | 'propuestas' | 'revision' | 'costos' | 'votacion' | 'resultados' | 'ejecucion' | 'cerrado';
export interface PbProcesses {
  id: Gen<number>;
  municipality_id: string;
  anio: number;
  titulo: string;
  descripcion: Gen<string>;
  estilo: Gen<'mochila' | 'aprobacion'>;
  max_votos: number | null;
  fase: Gen<PbFase>;
  fechas: Json<Record<string, { inicio?: string; fin?: string }>>;
  program_id: number | null;
  ballot_salt: string | null;
  is_demo: Gen<boolean>;
  created_at: Timestamp;
}
export interface PbTerritories {
  id: Gen<number>;
  municipality_id: string;
  process_id: number;
  nombre: string;
  unit_id: number | null;
  monto: Money;
}
export interface PbProjects {
  id: Gen<number>;
  municipality_id: string;
  process_id: number;
  territory_id: number;
  user_id: number | null;
  proposal_id: number | null;
  titulo: string;
  descripcion: string;
  geom: Geom;
  costo: MoneyNull;
  viable: boolean | null;
  dictamen: Gen<string>;
  evaluadores: ColumnType<number[], number[] | undefined, number[]>;
  seleccionado: boolean | null;
  action_id: number | null;
  is_demo: Gen<boolean>;
  created_at: Timestamp;
}
export interface PbVoters {
  municipality_id: string;
  process_id: number;
  territory_id: number;
  user_id: number;
}
export interface PbBallots {
  voter_key: string;
  municipality_id: string;
  process_id: number;
  territory_id: number;
  proyectos: number[];
}
export interface PbResults {
  municipality_id: string;
  process_id: number;
  territory_id: number;
  project_id: number;
  votos: number;
  posicion: number;
  seleccionado: boolean;
  motivo: Gen<string>;
}
export interface Consultations {
  id: Gen<number>;
  municipality_id: string;
  titulo: string;
  descripcion: Gen<string>;
  plan_id: number | null;
  estado: Gen<'borrador' | 'abierta' | 'cerrada'>;
  inicio: DateText;
  fin: DateText;
  solo_residentes: Gen<boolean>;
  is_demo: Gen<boolean>;
  created_at: Timestamp;
}
export interface ConsultationQuestions {
  id: Gen<number>;
  municipality_id: string;
  consultation_id: number;
  posicion: Gen<number>;
  tipo: 'unica' | 'multiple' | 'abierta';
  texto: string;
  opciones: ColumnType<string[], string[] | undefined, string[]>;
  obligatoria: Gen<boolean>;
}
export interface ConsultationResponses {
  id: Gen<number>;
  municipality_id: string;
  consultation_id: number;
  user_id: number;
  created_at: Timestamp;
}
export interface ConsultationAnswers {
  municipality_id: string;
  response_id: number;
  question_id: number;
  opciones: ColumnType<number[], number[] | undefined, number[]>;
  texto: string | null;
}
export interface ReportServices {
  id: Gen<number>;
  municipality_id: string;
  code: string;
  nombre: string;
  descripcion: Gen<string>;
  grupo: Gen<string>;
  keywords: Gen<string>;
  department_id: number | null;
  activo: Gen<boolean>;
}
export interface Open311Clients {
  id: Gen<number>;
  municipality_id: string;
  nombre: string;
  contacto: Gen<string>;
  key_hash: string;
  created_by: number | null;
  created_at: Timestamp;
  revoked_at: TimestampNull;
}
export interface CitizenReports {
  id: Gen<number>;
  municipality_id: string;
  service_id: number;
  user_id: number | null;
  client_id: number | null;
  descripcion: string;
  direccion: Gen<string>;
  geom: Geom;
  unit_id: number | null;
  email: string | null;
  nombre: string | null;
  media_url: string | null;
  estado: Gen<'open' | 'closed'>;
  status_notes: Gen<string>;
  department_id: number | null;
  oculto: Gen<boolean>;
  motivo_oculto: string | null;
  is_demo: Gen<boolean>;
  requested_at: Timestamp;
  updated_at: Timestamp;
  expected_at: TimestampNull;
}
export interface ReportPhotos {
  id: Gen<number>;
  municipality_id: string;
  report_id: number;
  mime: string;
  bytes: number;
  contenido: Buffer;
  miniatura: Buffer | null;
  created_at: Timestamp;
}
export interface ReportUpdates {
  id: Gen<number>;
  municipality_id: string;
  report_id: number;
  estado: string;
  nota: Gen<string>;
  user_id: number | null;
  at: Timestamp;
}
export interface ReportFollowers {
  municipality_id: string;
  report_id: number;
  user_id: number;
}

// ---------- evaluation (0012) ----------
type NumberDefault = ColumnType<number, number | string | undefined, number | string>;
export interface EvaluationSettings {
  municipality_id: string;
  peso_metas: NumberDefault;
  peso_fisico: NumberDefault;
  peso_financiero: NumberDefault;
  umbral_verde: NumberDefault;
  umbral_amarillo: NumberDefault;
  updated_at: Timestamp;
}
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
export interface CouncilMembers {
  id: Gen<number>;
  municipality_id: string;
  user_id: number | null;
  nombre: string;
  sector: CouncilSector;
  sexo: Sexo;
  cargo: Gen<'presidencia' | 'secretaria_tecnica' | 'consejero'>;
  inicio: string;
  fin: DateText;
  is_demo: Gen<boolean>;
  created_at: Timestamp;
}
export interface CouncilSessions {
  id: Gen<number>;
  municipality_id: string;
  numero: number;
  tipo: Gen<'ordinaria' | 'extraordinaria'>;
  fecha: Timestamp;
  lugar: Gen<string>;
  convocatoria: Gen<string>;
  estado: Gen<'convocada' | 'abierta' | 'cerrada' | 'cancelada'>;
  miembros: number | null;
  quorum: number | null;
  abierta_at: TimestampNull;
  cerrada_at: TimestampNull;
  acta_pdf: Buffer | null;
  is_demo: Gen<boolean>;
}
export interface CouncilAttendance {
  municipality_id: string;
  session_id: number;
  member_id: number;
  presente: boolean;
  registrado_at: Timestamp;
}
export type Resolucion = 'favorable' | 'favorable_con_observaciones' | 'desfavorable' | 'sin_votos';
export interface CouncilItems {
  id: Gen<number>;
  municipality_id: string;
  session_id: number;
  posicion: Gen<number>;
  titulo: string;
  tipo: 'plan' | 'programa' | 'proyecto' | 'politica' | 'informe' | 'otro';
  plan_id: number | null;
  program_id: number | null;
  action_id: number | null;
  descripcion: Gen<string>;
  resolucion: Resolucion | null;
  votos_favor: number | null;
  votos_contra: number | null;
  abstenciones: number | null;
}
export interface CouncilOpinions {
  municipality_id: string;
  item_id: number;
  member_id: number;
  opinion: 'favorable' | 'con_observaciones' | 'desfavorable';
  texto: Gen<string>;
  voto: 'a_favor' | 'en_contra' | 'abstencion';
  updated_at: Timestamp;
}
export interface CouncilAgreements {
  id: Gen<number>;
  municipality_id: string;
  session_id: number;
  item_id: number | null;
  texto: string;
  responsable: string;
  fecha_limite: DateText;
  estado: Gen<'pendiente' | 'en_proceso' | 'cumplido' | 'cancelado'>;
  seguimiento: Gen<string>;
  updated_at: Timestamp;
}
export interface WorkRatings {
  id: Gen<number>;
  municipality_id: string;
  action_id: number;
  user_id: number;
  calidad: number;
  utilidad: number;
  oportunidad: number;
  comentario: Gen<string>;
  oculto: Gen<boolean>;
  is_demo: Gen<boolean>;
  created_at: Timestamp;
}
export interface WorkRatingPhotos {
  id: Gen<number>;
  municipality_id: string;
  rating_id: number;
  mime: string;
  bytes: number;
  contenido: Buffer;
  miniatura: Buffer | null;
  created_at: Timestamp;
}
export interface SocialCommittees {
  id: Gen<number>;
  municipality_id: string;
  nombre: string;
  constituido: string;
  validado: Gen<boolean>;
  is_demo: Gen<boolean>;
  created_at: Timestamp;
}
export interface CommitteeMembers {
  id: Gen<number>;
  municipality_id: string;
  committee_id: number;
  nombre: string;
  sexo: Sexo;
  cargo: Gen<string>;
}
export interface CommitteeWorks {
  municipality_id: string;
  committee_id: number;
  action_id: number;
}
export interface CommitteeReports {
  id: Gen<number>;
  municipality_id: string;
  committee_id: number;
  action_id: number | null;
  fecha: string;
  tipo: Gen<'informe' | 'hallazgo' | 'queja'>;
  texto: string;
  estado: Gen<'abierto' | 'en_atencion' | 'atendido'>;
  respuesta: Gen<string>;
  updated_at: Timestamp;
}
export interface EvaluationReports {
  id: Gen<number>;
  municipality_id: string;
  plan_id: number;
  tipo: 'trimestral' | 'anual';
  periodo: string;
  titulo: string;
  snapshot: Json<unknown>;
  pdf: Buffer | null;
  publicado_por: number | null;
  publicado_at: Timestamp;
  is_demo: Gen<boolean>;
}

export interface DB {
  login_failures: LoginFailures;
  evaluation_settings: EvaluationSettings;
  council_members: CouncilMembers;
  council_sessions: CouncilSessions;
  council_attendance: CouncilAttendance;
  council_items: CouncilItems;
  council_opinions: CouncilOpinions;
  council_agreements: CouncilAgreements;
  work_ratings: WorkRatings;
  work_rating_photos: WorkRatingPhotos;
  social_committees: SocialCommittees;
  committee_members: CommitteeMembers;
  committee_works: CommitteeWorks;
  committee_reports: CommitteeReports;
  evaluation_reports: EvaluationReports;
  participation_settings: ParticipationSettings;
  resident_verifications: ResidentVerifications;
  verification_codes: VerificationCodes;
  sms_outbox: SmsOutbox;
  participation_blocks: ParticipationBlocks;
  notifications: Notifications;
  pow_spent: PowSpent;
  proposals: Proposals;
  proposal_status_changes: ProposalStatusChanges;
  proposal_supports: ProposalSupports;
  proposal_followers: ProposalFollowers;
  proposal_comments: ProposalComments;
  proposal_flags: ProposalFlags;
  proposal_files: ProposalFiles;
  pb_processes: PbProcesses;
  pb_territories: PbTerritories;
  pb_projects: PbProjects;
  pb_voters: PbVoters;
  pb_ballots: PbBallots;
  pb_results: PbResults;
  consultations: Consultations;
  consultation_questions: ConsultationQuestions;
  consultation_responses: ConsultationResponses;
  consultation_answers: ConsultationAnswers;
  report_services: ReportServices;
  open311_clients: Open311Clients;
  citizen_reports: CitizenReports;
  report_photos: ReportPhotos;
  report_updates: ReportUpdates;
  report_followers: ReportFollowers;
  emergency_call_imports: EmergencyCallImports;
  emergency_calls: EmergencyCalls;
  gis_layers: GisLayers;
  gis_features: GisFeatures;
  gis_overviews: GisOverviews;
  gis_overview_tiles: GisOverviewTiles;
  ods_goals: OdsGoals;
  plans: Plans;
  plan_elements: PlanElements;
  plan_metas: PlanMetas;
  plan_alignments: PlanAlignments;
  plan_element_ods: PlanElementOds;
  plan_transitions: PlanTransitions;
  plan_versions: PlanVersions;
  plan_comments: PlanComments;
  funding_sources: FundingSources;
  poa_programs: PoaPrograms;
  mir_rows: MirRows;
  poa_actions: PoaActions;
  action_budgets: ActionBudgets;
  action_alignments: ActionAlignments;
  progress_reports: ProgressReports;
  evidence_files: EvidenceFiles;
  contracts: Contracts;
  contract_amendments: ContractAmendments;
  api_tokens: ApiTokens;
  indicator_themes: IndicatorThemes;
  indicator_variables: IndicatorVariables;
  indicators: Indicators;
  indicator_targets: IndicatorTargets;
  indicator_benchmarks: IndicatorBenchmarks;
  indicator_loads: IndicatorLoads;
  indicator_observations: IndicatorObservations;
  schema_migrations: SchemaMigrations;
  audit_log: AuditLog;
  states: States;
  municipalities: Municipalities;
  territory_imports: TerritoryImports;
  territorial_units: TerritorialUnits;
  departments: Departments;
  users: Users;
  role_grants: RoleGrants;
  sessions: Sessions;
  user_tokens: UserTokens;
  outbox: Outbox;
  installation: Installation;
}
