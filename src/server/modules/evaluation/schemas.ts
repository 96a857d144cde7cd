import { type Static, Type } from 'typebox';
import type { CouncilSector, Resolucion as ResolucionT } from '../../db/types.ts';
import { DateTime, lit, Nullable } from '../../schemas.ts';
import type * as committees from './committees.ts';
import type * as council from './council.ts';
import type * as ratings from './ratings.ts';
import type * as reports from './reports.ts';
import type * as scorecards from './scorecards.ts';

/**
 * What the evaluation routes answer (scorecards, frozen reports, the Consejo, contraloría social,
 * citizens' ratings). Rows and the stored report snapshots are mapped here, field by field.
 */

const Id = Type.Integer();
const Day = Type.String({ format: 'date' });
const Pct = Nullable(Type.Number({ description: '0–100 %' }));
type Row<F extends (...a: never[]) => unknown> = Awaited<ReturnType<F>>;
type One<F extends (...a: never[]) => unknown> = Row<F> extends (infer U)[] ? U : never;

export const SECTOR_CODES = [
  'empresarial',
  'academico',
  'investigacion',
  'ambientalista',
  'productores',
  'osc',
  'sociedad_civil',
  'funcionarios',
] as const satisfies readonly CouncilSector[];
const Luz = lit('verde', 'amarillo', 'rojo');
const Resolucion = lit<ResolucionT>('favorable', 'favorable_con_observaciones', 'desfavorable', 'sin_votos');
const Sexo = lit('mujer', 'hombre', 'no_binario');
const Cargo = lit('presidencia', 'secretaria_tecnica', 'consejero');

// ---------- scorecards ----------

export const Weights = Type.Object({
  metas: Type.Number({ description: 'Peso del avance de las metas' }),
  fisico: Type.Number({ description: 'Peso del avance físico' }),
  financiero: Type.Number({ description: 'Peso del avance financiero' }),
  verde: Type.Number({ description: 'Calificación desde la que el semáforo es verde' }),
  amarillo: Type.Number({ description: 'Calificación desde la que el semáforo es amarillo' }),
});
const ScoreFields = {
  metas: Pct,
  fisico: Pct,
  financiero: Pct,
  calificacion: Pct,
  semaforo: Nullable(Luz),
  nMetas: Type.Integer(),
  nAcciones: Type.Integer(),
  vigente: Type.Number(),
  ejercido: Type.Number(),
};
type ScoreIn = scorecards.Score;
const scoreOut = (s: ScoreIn) => ({
  metas: s.metas,
  fisico: s.fisico,
  financiero: s.financiero,
  calificacion: s.calificacion,
  semaforo: s.semaforo,
  nMetas: s.nMetas,
  nAcciones: s.nAcciones,
  vigente: s.vigente,
  ejercido: s.ejercido,
});
const Ciudadana = Nullable(
  Type.Object({ promedio: Type.Number({ description: 'Calificación ciudadana de las obras, 1–5' }), calificaciones: Type.Integer() }),
);
type CiudadanaIn = { promedio: number; calificaciones: number } | null | undefined;
const Total = Type.Object({ ...ScoreFields, ciudadana: Ciudadana });
const totalOut = (t: ScoreIn & { ciudadana?: CiudadanaIn }) => ({ ...scoreOut(t), ciudadana: t.ciudadana ?? null });
const Conteo = Type.Object({ verde: Type.Integer(), amarillo: Type.Integer(), rojo: Type.Integer(), sinDatos: Type.Integer() });

const ScoredElementFields = {
  id: Id,
  parentId: Nullable(Id),
  nivel: Type.Integer(),
  codigo: Type.String(),
  titulo: Type.String(),
  responsables: Type.Array(Id, { description: 'Dependencias responsables' }),
  ...Total.properties,
};
export const ScoredElement = Type.Object(ScoredElementFields);
/** Live scorecards and stored snapshots share this shape (snapshots keep the stored names). */
type ElementIn = ScoreIn & {
  id: number;
  parent_id: number | null;
  nivel: number;
  codigo: string;
  titulo: string;
  responsables?: number[];
  ciudadana?: CiudadanaIn;
};
const scoredElementOut = (e: ElementIn): Static<typeof ScoredElement> => ({
  id: e.id,
  parentId: e.parent_id,
  nivel: e.nivel,
  codigo: e.codigo,
  titulo: e.titulo,
  responsables: e.responsables ?? [],
  ...totalOut(e),
});
export const MetaScore = Type.Object({
  id: Id,
  elementId: Id,
  descripcion: Type.String(),
  indicador: Nullable(Type.String({ description: 'Clave del indicador' })),
  sentido: Nullable(lit('ascendente', 'descendente')),
  valor: Nullable(Type.Number()),
  meta: Nullable(Type.Number()),
  base: Nullable(Type.Number()),
  avance: Pct,
});
const metaScoreOut = (m: scorecards.MetaScore): Static<typeof MetaScore> => ({
  id: m.id,
  elementId: m.element_id,
  descripcion: m.descripcion,
  indicador: m.indicador,
  sentido: m.sentido,
  valor: m.valor,
  meta: m.meta,
  base: m.base,
  avance: m.avance,
});
const PlanRef = Type.Object({ id: Id, titulo: Type.String(), tipo: Type.String(), niveles: Type.Array(Type.String()) });
const Regla = Type.String({ description: 'Cómo se calcula la calificación' });

export const Scorecard = Type.Object({
  plan: PlanRef,
  periodo: Type.String(),
  regla: Regla,
  pesos: Weights,
  total: Total,
  metasPorSemaforo: Conteo,
  elementos: Type.Array(ScoredElement),
  metas: Type.Array(MetaScore),
});
export const scorecardOut = (s: Row<typeof scorecards.planScorecard>): Static<typeof Scorecard> => ({
  plan: s.plan,
  periodo: s.periodo,
  regla: s.regla,
  pesos: s.pesos,
  total: totalOut(s.total),
  metasPorSemaforo: s.metasPorSemaforo,
  elementos: s.elementos.map(scoredElementOut),
  metas: s.metas.map(metaScoreOut),
});

const Change = Type.Object({
  id: Id,
  codigo: Type.String(),
  titulo: Type.String(),
  nivel: Type.Integer(),
  antes: Pct,
  despues: Pct,
  semaforoAntes: Nullable(Luz),
  semaforoDespues: Nullable(Luz),
  cambio: Nullable(Type.Number({ description: 'Puntos de calificación ganados (negativo: perdidos)' })),
});
export const Comparison = Type.Object({
  plan: PlanRef,
  de: Type.String(),
  a: Type.String(),
  regla: Regla,
  total: Type.Object({ antes: Pct, despues: Pct }),
  elementos: Type.Array(Change),
  empeoraron: Type.Array(Change, { description: 'Los diez elementos que más empeoraron' }),
});

const RatedWork = Type.Object({ id: Id, clave: Type.String(), nombre: Type.String(), promedio: Type.Number(), n: Type.Integer() });
export const Overview = Type.Object({
  periodo: Type.String(),
  regla: Regla,
  planes: Type.Array(Type.Object({ id: Id, titulo: Type.String(), total: Total, metasPorSemaforo: Conteo })),
  porDependencia: Type.Array(Type.Object({ id: Id, nombre: Type.String(), siglas: Nullable(Type.String()), ...ScoreFields })),
  porTema: Type.Array(Type.Object({ code: Type.String(), nombre: Type.String(), ...ScoreFields })),
  resoluciones: Type.Array(
    Type.Object({
      id: Id,
      titulo: Type.String(),
      resolucion: Nullable(Resolucion),
      planId: Nullable(Id),
      sessionId: Id,
      numero: Type.Integer(),
      fecha: DateTime,
    }),
  ),
  calificaciones: Type.Object({
    calificaciones: Type.Integer(),
    obras: Type.Integer(),
    promedio: Nullable(Type.Number()),
    mejores: Type.Array(RatedWork),
    peores: Type.Array(RatedWork),
  }),
});
export const overviewOut = (
  g: Row<typeof scorecards.groupScorecards>,
  resoluciones: {
    id: number;
    titulo: string;
    resolucion: ResolucionT | null;
    plan_id: number | null;
    session_id: number;
    numero: number;
    fecha: Date;
  }[],
  calificaciones: Row<typeof ratings.overview>,
): Static<typeof Overview> => ({
  periodo: g.periodo,
  regla: g.regla,
  planes: g.planes.map((p) => ({ id: p.id, titulo: p.titulo, total: totalOut(p.total), metasPorSemaforo: p.metasPorSemaforo })),
  porDependencia: g.porDependencia.map((d) => ({ id: d.id, nombre: d.nombre, siglas: d.siglas, ...scoreOut(d) })),
  porTema: g.porTema.map((t) => ({ code: t.code, nombre: t.nombre, ...scoreOut(t) })),
  resoluciones: resoluciones.map((r) => ({
    id: r.id,
    titulo: r.titulo,
    resolucion: r.resolucion,
    planId: r.plan_id,
    sessionId: r.session_id,
    numero: r.numero,
    fecha: r.fecha,
  })),
  calificaciones,
});
export const MunicipalitiesSideBySide = Type.Object({
  periodo: Type.String(),
  municipios: Type.Array(
    Type.Object({
      id: Type.String(),
      nombre: Type.String(),
      planes: Type.Integer(),
      calificacion: Pct,
      metasPorSemaforo: Conteo,
    }),
  ),
});

// ---------- frozen progress reports ----------

export const PublishedReport = Type.Object({ id: Id, titulo: Type.String(), periodo: Type.String() });
const ReportCore = {
  id: Id,
  planId: Id,
  tipo: lit('trimestral', 'anual'),
  periodo: Type.String(),
  titulo: Type.String(),
  publicadoAt: DateTime,
  isDemo: Type.Boolean(),
};
export const ReportItem = Type.Object({ ...ReportCore, plan: Type.String(), calificacion: Pct, semaforo: Nullable(Luz) });
export const reportItemOut = (r: One<typeof reports.list>): Static<typeof ReportItem> => ({
  id: r.id,
  planId: r.plan_id,
  plan: r.plan,
  tipo: r.tipo,
  periodo: r.periodo,
  titulo: r.titulo,
  publicadoAt: r.publicado_at,
  isDemo: r.is_demo,
  calificacion: r.calificacion,
  semaforo: r.semaforo,
});
const Snapshot = Type.Object({
  municipio: Type.String(),
  plan: PlanRef,
  periodo: Type.String(),
  tipo: lit('trimestral', 'anual'),
  titulo: Type.String(),
  generado: DateTime,
  regla: Regla,
  total: Total,
  metasPorSemaforo: Conteo,
  ejes: Type.Array(Type.Object({ ...ScoredElementFields, elementos: Type.Array(ScoredElement), listaMetas: Type.Array(MetaScore) })),
  obras: Type.Array(
    Type.Object({
      id: Id,
      clave: Type.String(),
      nombre: Type.String(),
      avanceFisico: Type.Number(),
      vigente: Type.Number(),
      ejercido: Type.Number(),
      fotoId: Nullable(Id),
      calificacion: Nullable(Type.Number()),
      calificaciones: Type.Integer(),
    }),
  ),
});
export const ReportDocument = Type.Object({ ...ReportCore, snapshot: Snapshot });
export const reportDocumentOut = (r: Row<typeof reports.get>): Static<typeof ReportDocument> => {
  const s = r.snapshot as reports.ReportSnapshot;
  return {
    id: r.id,
    planId: r.plan_id,
    tipo: r.tipo,
    periodo: r.periodo,
    titulo: r.titulo,
    publicadoAt: r.publicado_at,
    isDemo: r.is_demo,
    snapshot: {
      municipio: s.municipio,
      plan: s.plan,
      periodo: s.periodo,
      tipo: s.tipo,
      titulo: s.titulo,
      generado: s.generado,
      regla: s.regla,
      total: totalOut(s.total),
      metasPorSemaforo: s.metasPorSemaforo,
      ejes: s.ejes.map((e) => ({
        ...scoredElementOut(e),
        elementos: e.elementos.map(scoredElementOut),
        listaMetas: e.listaMetas.map(metaScoreOut),
      })),
      obras: s.obras.map((o) => ({
        id: o.id,
        clave: o.clave,
        nombre: o.nombre,
        avanceFisico: o.avance_fisico,
        vigente: o.vigente,
        ejercido: o.ejercido,
        fotoId: o.foto_id,
        calificacion: o.calificacion,
        calificaciones: o.calificaciones,
      })),
    },
  };
};

// ---------- Consejo Ciudadano ----------

export const Members = Type.Object({
  miembros: Type.Array(
    Type.Object({
      id: Id,
      nombre: Type.String(),
      sector: lit(...SECTOR_CODES),
      sectorNombre: Type.String(),
      sexo: Sexo,
      cargo: Cargo,
      inicio: Day,
      fin: Nullable(Day),
      activo: Type.Boolean({ description: 'En funciones hoy' }),
      isDemo: Type.Boolean(),
    }),
  ),
  paridad: Type.Object({
    enFunciones: Type.Integer(),
    mujeres: Type.Integer(),
    porcentajeMujeres: Pct,
    meta: Type.Number({ description: 'Proporción mínima de mujeres, en %' }),
    cumple: Type.Boolean(),
  }),
  porSector: Type.Record(Type.String(), Type.Integer(), { description: 'Personas en funciones por sector' }),
});
export const membersOut = (m: Row<typeof council.members>): Static<typeof Members> => ({
  miembros: m.miembros.map((x) => ({
    id: x.id,
    nombre: x.nombre,
    sector: x.sector,
    sectorNombre: x.sectorNombre,
    sexo: x.sexo,
    cargo: x.cargo,
    inicio: x.inicio,
    fin: x.fin,
    activo: x.activo,
    isDemo: x.is_demo,
  })),
  paridad: m.paridad,
  porSector: m.porSector,
});
export const Saved = Type.Object({ id: Id });

const SessionEstado = lit('convocada', 'abierta', 'cerrada', 'cancelada');
const SessionCore = {
  id: Id,
  numero: Type.Integer(),
  tipo: lit('ordinaria', 'extraordinaria'),
  fecha: DateTime,
  lugar: Type.String(),
  estado: SessionEstado,
  quorum: Nullable(Type.Integer({ description: 'Personas presentes requeridas, fijado al abrir' })),
  miembros: Nullable(Type.Integer({ description: 'Personas en funciones al abrir' })),
  isDemo: Type.Boolean(),
};
type SessionCoreIn = {
  id: number;
  numero: number;
  tipo: 'ordinaria' | 'extraordinaria';
  fecha: Date;
  lugar: string;
  estado: 'convocada' | 'abierta' | 'cerrada' | 'cancelada';
  quorum: number | null;
  miembros: number | null;
  is_demo: boolean;
};
const sessionCore = (s: SessionCoreIn) => ({
  id: s.id,
  numero: s.numero,
  tipo: s.tipo,
  fecha: s.fecha,
  lugar: s.lugar,
  estado: s.estado,
  quorum: s.quorum,
  miembros: s.miembros,
  isDemo: s.is_demo,
});
export const SessionListItem = Type.Object({ ...SessionCore, asuntos: Type.Integer(), presentes: Type.Integer() });
export const sessionListItemOut = (s: One<typeof council.listSessions>): Static<typeof SessionListItem> => ({
  ...sessionCore(s),
  asuntos: s.asuntos,
  presentes: s.presentes,
});
export const NewSession = Type.Object({ id: Id, numero: Type.Integer() });

const Agreement = Type.Object({
  id: Id,
  itemId: Nullable(Id),
  texto: Type.String(),
  responsable: Type.String(),
  fechaLimite: Nullable(Day),
  estado: lit('pendiente', 'en_proceso', 'cumplido', 'cancelado'),
  seguimiento: Type.String(),
  updatedAt: DateTime,
});
type AgreementIn = {
  id: number;
  item_id: number | null;
  texto: string;
  responsable: string;
  fecha_limite: string | null;
  estado: 'pendiente' | 'en_proceso' | 'cumplido' | 'cancelado';
  seguimiento: string;
  updated_at: Date;
};
const agreementOut = (a: AgreementIn): Static<typeof Agreement> => ({
  id: a.id,
  itemId: a.item_id,
  texto: a.texto,
  responsable: a.responsable,
  fechaLimite: a.fecha_limite,
  estado: a.estado,
  seguimiento: a.seguimiento,
  updatedAt: a.updated_at,
});
export const SessionView = Type.Object({
  ...SessionCore,
  convocatoria: Type.String(),
  abiertaAt: Nullable(DateTime),
  cerradaAt: Nullable(DateTime),
  asuntos: Type.Array(
    Type.Object({
      id: Id,
      posicion: Type.Integer(),
      titulo: Type.String(),
      tipo: lit('plan', 'programa', 'proyecto', 'politica', 'informe', 'otro'),
      planId: Nullable(Id),
      plan: Nullable(Type.String()),
      programId: Nullable(Id),
      actionId: Nullable(Id),
      descripcion: Type.String(),
      resolucion: Nullable(Resolucion),
      votosFavor: Nullable(Type.Integer()),
      votosContra: Nullable(Type.Integer()),
      abstenciones: Nullable(Type.Integer()),
      opiniones: Type.Array(
        Type.Object({
          memberId: Id,
          nombre: Type.String(),
          opinion: lit('favorable', 'con_observaciones', 'desfavorable'),
          texto: Type.String(),
          voto: lit('a_favor', 'en_contra', 'abstencion'),
          updatedAt: DateTime,
        }),
        { description: 'Públicas al cerrar la sesión; antes, solo para integrantes y planeación' },
      ),
    }),
  ),
  asistencia: Type.Array(
    Type.Object({
      memberId: Id,
      nombre: Type.String(),
      cargo: Cargo,
      sector: lit(...SECTOR_CODES),
      sexo: Sexo,
      presente: Nullable(Type.Boolean()),
    }),
  ),
  acuerdos: Type.Array(Agreement),
  yo: Nullable(Type.Object({ memberId: Id, cargo: Cargo, presente: Nullable(Type.Boolean()) })),
  gestion: Type.Boolean({ description: 'Quien consulta administra la sesión (planeación)' }),
});
export const sessionViewOut = (s: Row<typeof council.getSession>): Static<typeof SessionView> => ({
  ...sessionCore(s),
  convocatoria: s.convocatoria,
  abiertaAt: s.abierta_at,
  cerradaAt: s.cerrada_at,
  asuntos: s.asuntos.map((i) => ({
    id: i.id,
    posicion: i.posicion,
    titulo: i.titulo,
    tipo: i.tipo,
    planId: i.plan_id,
    plan: i.plan,
    programId: i.program_id,
    actionId: i.action_id,
    descripcion: i.descripcion,
    resolucion: i.resolucion,
    votosFavor: i.votos_favor,
    votosContra: i.votos_contra,
    abstenciones: i.abstenciones,
    opiniones: i.opiniones.map((o) => ({
      memberId: o.member_id,
      nombre: o.nombre,
      opinion: o.opinion,
      texto: o.texto,
      voto: o.voto,
      updatedAt: o.updated_at,
    })),
  })),
  asistencia: s.asistencia.map((a) => ({
    memberId: a.member_id,
    nombre: a.nombre,
    cargo: a.cargo,
    sector: a.sector,
    sexo: a.sexo,
    presente: a.presente,
  })),
  acuerdos: s.acuerdos.map(agreementOut),
  yo: s.yo,
  gestion: s.gestion,
});
export const Opened = Type.Object({ id: Id, estado: SessionEstado, quorum: Nullable(Type.Integer()), miembros: Nullable(Type.Integer()) });
export const Opinion = Type.Object({
  itemId: Id,
  opinion: lit('favorable', 'con_observaciones', 'desfavorable'),
  voto: lit('a_favor', 'en_contra', 'abstencion'),
});
export const Closed = Type.Object({
  id: Id,
  estado: lit('cerrada'),
  resoluciones: Type.Array(Type.Object({ id: Id, titulo: Type.String(), resolucion: Nullable(Resolucion) })),
});
export const AgreementState = Type.Object({ id: Id, estado: lit('pendiente', 'en_proceso', 'cumplido', 'cancelado') });
export const AgreementListItem = Type.Object({
  ...Agreement.properties,
  sesion: Type.Integer({ description: 'Número de la sesión' }),
  sessionId: Id,
  vencido: Type.Boolean(),
});
export const agreementListItemOut = (a: One<typeof council.agreements>): Static<typeof AgreementListItem> => ({
  ...agreementOut(a),
  sesion: a.sesion,
  sessionId: a.session_id,
  vencido: a.vencido,
});
export const PlanResolution = Type.Object({
  id: Id,
  titulo: Type.String(),
  resolucion: Nullable(Resolucion),
  votosFavor: Nullable(Type.Integer()),
  votosContra: Nullable(Type.Integer()),
  abstenciones: Nullable(Type.Integer()),
  sessionId: Id,
  numero: Type.Integer(),
  fecha: DateTime,
  cerradaAt: Nullable(DateTime),
});
export const planResolutionOut = (r: One<typeof council.planResolutions>): Static<typeof PlanResolution> => ({
  id: r.id,
  titulo: r.titulo,
  resolucion: r.resolucion,
  votosFavor: r.votos_favor,
  votosContra: r.votos_contra,
  abstenciones: r.abstenciones,
  sessionId: r.session_id,
  numero: r.numero,
  fecha: r.fecha,
  cerradaAt: r.cerrada_at,
});

// ---------- contraloría social ----------

const CommitteeReportEstado = lit('abierto', 'en_atencion', 'atendido');
export const Committee = Type.Object({
  id: Id,
  nombre: Type.String(),
  constituido: Day,
  validado: Type.Boolean(),
  isDemo: Type.Boolean(),
  integrantes: Type.Optional(
    Type.Array(Type.Object({ nombre: Type.String(), sexo: Sexo, cargo: Type.String() }), {
      description: 'Solo para planeación y enlaces: son datos personales de vecinos',
    }),
  ),
  nIntegrantes: Type.Integer(),
  porcentajeMujeres: Pct,
  obras: Type.Array(Type.Object({ id: Id, clave: Type.String(), nombre: Type.String(), avanceFisico: Type.Number() })),
  informes: Type.Array(
    Type.Object({
      id: Id,
      actionId: Nullable(Id),
      fecha: Day,
      tipo: lit('informe', 'hallazgo', 'queja'),
      texto: Type.String(),
      estado: CommitteeReportEstado,
      respuesta: Type.String(),
    }),
  ),
  pendientes: Type.Integer(),
});
export const committeeOut = (c: One<typeof committees.list>, staff: boolean): Static<typeof Committee> => ({
  id: c.id,
  nombre: c.nombre,
  constituido: c.constituido,
  validado: c.validado,
  isDemo: c.is_demo,
  ...(staff && { integrantes: c.integrantes }),
  nIntegrantes: c.integrantes.length,
  porcentajeMujeres: c.porcentajeMujeres,
  obras: c.obras.map((w) => ({ id: w.id, clave: w.clave, nombre: w.nombre, avanceFisico: w.avance_fisico })),
  informes: c.informes.map((r) => ({
    id: r.id,
    actionId: r.action_id,
    fecha: r.fecha,
    tipo: r.tipo,
    texto: r.texto,
    estado: r.estado,
    respuesta: r.respuesta,
  })),
  pendientes: c.pendientes,
});
export const CommitteeReportState = Type.Object({ id: Id, estado: CommitteeReportEstado });

// ---------- citizens' ratings of works ----------

const Votes = Type.Array(Type.Integer(), { minItems: 5, maxItems: 5 });
export const RatingSummary = Type.Object({
  terminada: Type.Boolean({ description: 'La obra llegó al 100 % de avance físico y puede calificarse' }),
  calificaciones: Type.Integer(),
  promedios: Type.Object({
    calidad: Nullable(Type.Number()),
    utilidad: Nullable(Type.Number()),
    oportunidad: Nullable(Type.Number()),
  }),
  distribucion: Type.Object(
    { calidad: Votes, utilidad: Votes, oportunidad: Votes },
    { description: 'Por dimensión, cuántas personas dieron 1, 2, 3, 4 y 5' },
  ),
  comentarios: Type.Array(Type.Object({ comentario: Type.String(), createdAt: DateTime })),
  fotos: Type.Array(Id),
  mia: Type.Boolean({ description: 'Quien consulta ya calificó la obra' }),
});
export const ratingSummaryOut = (s: Row<typeof ratings.summary>): Static<typeof RatingSummary> => ({
  ...s,
  distribucion: s.distribucion,
  comentarios: s.comentarios.map((c) => ({ comentario: c.comentario, createdAt: c.created_at })),
});
