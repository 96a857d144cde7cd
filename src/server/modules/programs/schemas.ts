import { type Static, Type } from 'typebox';
import { DateTime, Geometry, lit, Nullable, Paged } from '../../schemas.ts';
import { ElementBrief, elementBriefOut, Rollup } from '../plans/schemas.ts';
import type * as service from './service.ts';

/** What the programs routes answer. Rows from the database are mapped here, field by field. */

const Id = Type.Integer();
const Day = Nullable(Type.String({ format: 'date' }));
const Money = Type.Number();
const Tipo = lit('accion', 'obra');
const Orden = lit('federal', 'estatal', 'municipal', 'otro');
const ReportEstado = lit('enviado', 'publicado', 'devuelto');
const Nivel = lit('fin', 'proposito', 'componente', 'actividad');
export const PROCEDIMIENTO = lit('licitacion_publica', 'invitacion_tres', 'adjudicacion_directa');

type Row<F extends (...a: never[]) => unknown> = Awaited<ReturnType<F>>;
type One<F extends (...a: never[]) => unknown> = Row<F> extends (infer U)[] ? U : never;

export const FundingSource = Type.Object({
  id: Id,
  municipalityId: Nullable(Type.String({ description: 'Vacío en las fuentes del catálogo común' })),
  clave: Type.String(),
  nombre: Type.String(),
  ordenGobierno: Orden,
  activo: Type.Boolean(),
});
export const fundingSourceOut = (s: One<typeof service.fundingSources>): Static<typeof FundingSource> => ({
  id: s.id,
  municipalityId: s.municipality_id,
  clave: s.clave,
  nombre: s.nombre,
  ordenGobierno: s.orden_gobierno,
  activo: s.activo,
});

const ProgramCore = {
  id: Id,
  anio: Type.Integer(),
  clave: Type.String(),
  nombre: Type.String(),
  descripcion: Type.String(),
  departmentId: Id,
  isDemo: Type.Boolean(),
};
type ProgramRow = { id: number; anio: number; clave: string; nombre: string; descripcion: string; department_id: number; is_demo: boolean };
const programCore = (p: ProgramRow) => ({
  id: p.id,
  anio: p.anio,
  clave: p.clave,
  nombre: p.nombre,
  descripcion: p.descripcion,
  departmentId: p.department_id,
  isDemo: p.is_demo,
});
export const Program = Type.Object(ProgramCore);
export const programOut = (p: ProgramRow): Static<typeof Program> => programCore(p);

export const ProgramListItem = Type.Object({
  ...ProgramCore,
  department: Type.String(),
  acciones: Type.Integer(),
  obras: Type.Integer(),
  aprobado: Money,
  modificado: Money,
  ejercido: Money,
});
export const ProgramList = Type.Object({ anios: Type.Array(Type.Integer()), programas: Type.Array(ProgramListItem) });
export const programListItemOut = (p: One<typeof service.listPrograms>): Static<typeof ProgramListItem> => ({
  ...programCore(p),
  department: p.department,
  acciones: p.acciones,
  obras: p.obras,
  aprobado: Number(p.aprobado),
  modificado: Number(p.modificado),
  ejercido: Number(p.ejercido),
});

const MirCore = {
  id: Id,
  nivel: Nivel,
  posicion: Type.Integer(),
  resumenNarrativo: Type.String(),
  indicatorId: Nullable(Id),
  indicadorTexto: Type.String(),
  mediosVerificacion: Type.String(),
  supuestos: Type.String(),
};
type MirRowDb = {
  id: number;
  nivel: 'fin' | 'proposito' | 'componente' | 'actividad';
  posicion: number;
  resumen_narrativo: string;
  indicator_id: number | null;
  indicador_texto: string;
  medios_verificacion: string;
  supuestos: string;
};
const mirCore = (r: MirRowDb) => ({
  id: r.id,
  nivel: r.nivel,
  posicion: r.posicion,
  resumenNarrativo: r.resumen_narrativo,
  indicatorId: r.indicator_id,
  indicadorTexto: r.indicador_texto,
  mediosVerificacion: r.medios_verificacion,
  supuestos: r.supuestos,
});
export const SavedMirRow = Type.Object(MirCore);
export const savedMirRowOut = (r: MirRowDb): Static<typeof SavedMirRow> => mirCore(r);
export const MirRow = Type.Object({ ...MirCore, indicatorClave: Nullable(Type.String()), indicatorNombre: Nullable(Type.String()) });
const mirRowOut = (r: One<typeof service.mirRows>): Static<typeof MirRow> => ({
  ...mirCore(r),
  indicatorClave: r.indicator_clave,
  indicatorNombre: r.indicator_nombre,
});

export const ActionRow = Type.Object({
  id: Id,
  clave: Type.String(),
  nombre: Type.String(),
  tipo: Tipo,
  avanceFisico: Type.Number({ description: 'Último avance físico publicado, en %' }),
  publicado: Type.Boolean(),
  fechaInicio: Day,
  fechaFin: Day,
  beneficiarios: Nullable(Type.Integer()),
  isDemo: Type.Boolean(),
  anio: Type.Integer(),
  programaClave: Type.String(),
  programa: Type.String(),
  department: Type.String(),
  departmentId: Id,
  aprobado: Money,
  modificado: Money,
  ejercido: Money,
  ubicada: Type.Boolean(),
});
type ActionDb = {
  id: number;
  clave: string;
  nombre: string;
  tipo: 'accion' | 'obra';
  avance_fisico: number;
  publicado: boolean;
  fecha_inicio: string | null;
  fecha_fin: string | null;
  beneficiarios: number | null;
  is_demo: boolean;
  anio: number;
  programa_clave: string;
  programa: string;
  department: string;
  department_id: number;
  aprobado: number;
  modificado: number;
  ejercido: number;
  ubicada: boolean;
};
export const actionRowOut = (a: ActionDb): Static<typeof ActionRow> => ({
  id: a.id,
  clave: a.clave,
  nombre: a.nombre,
  tipo: a.tipo,
  avanceFisico: Number(a.avance_fisico),
  publicado: a.publicado,
  fechaInicio: a.fecha_inicio,
  fechaFin: a.fecha_fin,
  beneficiarios: a.beneficiarios,
  isDemo: a.is_demo,
  anio: a.anio,
  programaClave: a.programa_clave,
  programa: a.programa,
  department: a.department,
  departmentId: a.department_id,
  aprobado: Number(a.aprobado),
  modificado: Number(a.modificado),
  ejercido: Number(a.ejercido),
  ubicada: a.ubicada,
});
export const ActionPage = Paged(ActionRow);

export const ProgramDetail = Type.Object({
  ...ProgramCore,
  department: Type.String(),
  departmentAcronym: Nullable(Type.String()),
  mir: Type.Array(MirRow),
  acciones: Type.Array(ActionRow),
});
export const programDetailOut = (
  p: Row<typeof service.getProgram>,
  mir: Row<typeof service.mirRows>,
  acciones: ActionDb[],
): Static<typeof ProgramDetail> => ({
  ...programCore(p),
  department: p.department,
  departmentAcronym: p.department_acronym,
  mir: mir.map(mirRowOut),
  acciones: acciones.map(actionRowOut),
});

export const ActionCreated = Type.Object({ id: Id, clave: Type.String() });
export const ActionUpdated = Type.Object({ id: Id });

export const Evidence = Type.Object({ id: Id, nombre: Type.String(), mime: Type.String(), bytes: Type.Integer() });
export const Report = Type.Object({
  id: Id,
  actionId: Id,
  accionClave: Type.String(),
  accion: Type.String(),
  departmentId: Id,
  periodo: Type.String({ description: 'Trimestre (2026-T2) o mes (2026-05)' }),
  avanceFisico: Type.Number(),
  ejercido: Money,
  narrativa: Type.String(),
  estado: ReportEstado,
  notaRevision: Type.String(),
  createdAt: DateTime,
  reviewedAt: Nullable(DateTime),
  reportadoPor: Nullable(Type.String({ description: 'Nombre de quien reportó' })),
  evidencias: Type.Array(Evidence),
});
export const reportOut = (r: One<typeof service.reports>): Static<typeof Report> => ({
  id: r.id,
  actionId: r.action_id,
  accionClave: r.accion_clave,
  accion: r.accion,
  departmentId: r.department_id,
  periodo: r.periodo,
  avanceFisico: Number(r.avance_fisico),
  ejercido: Number(r.ejercido),
  narrativa: r.narrativa,
  estado: r.estado,
  notaRevision: r.nota_revision,
  createdAt: r.created_at,
  reviewedAt: r.reviewed_at,
  reportadoPor: r.reportado_por,
  evidencias: r.evidencias ?? [],
});
export const SubmittedReport = Type.Object({
  id: Id,
  actionId: Id,
  periodo: Type.String(),
  avanceFisico: Type.Number(),
  ejercido: Money,
  narrativa: Type.String(),
  estado: ReportEstado,
});
export const submittedReportOut = (r: Row<typeof service.submitReport>): Static<typeof SubmittedReport> => ({
  id: r.id,
  actionId: r.action_id,
  periodo: r.periodo,
  avanceFisico: Number(r.avance_fisico),
  ejercido: Number(r.ejercido),
  narrativa: r.narrativa,
  estado: r.estado,
});
export const Reviewed = Type.Object({ id: Id, estado: lit('publicado', 'devuelto') });

const ContractCore = {
  id: Id,
  actionId: Id,
  procedimiento: PROCEDIMIENTO,
  numeroContrato: Type.String(),
  contratistaNombre: Type.String(),
  contratistaRfc: Nullable(Type.String()),
  montoContratado: Nullable(Money),
  fechaConvocatoria: Day,
  fechaAdjudicacion: Day,
  fechaFirma: Day,
  fechaInicio: Day,
  fechaFin: Day,
  updatedAt: DateTime,
};
type ContractDb = Row<typeof service.saveContract>;
const contractCore = (c: ContractDb) => ({
  id: c.id,
  actionId: c.action_id,
  procedimiento: c.procedimiento,
  numeroContrato: c.numero_contrato,
  contratistaNombre: c.contratista_nombre,
  contratistaRfc: c.contratista_rfc,
  montoContratado: c.monto_contratado === null ? null : Number(c.monto_contratado),
  fechaConvocatoria: c.fecha_convocatoria,
  fechaAdjudicacion: c.fecha_adjudicacion,
  fechaFirma: c.fecha_firma,
  fechaInicio: c.fecha_inicio,
  fechaFin: c.fecha_fin,
  updatedAt: c.updated_at,
});
export const SavedContract = Type.Object(ContractCore);
export const savedContractOut = (c: ContractDb): Static<typeof SavedContract> => contractCore(c);
export const Amendment = Type.Object({
  id: Id,
  fecha: Type.String({ format: 'date' }),
  descripcion: Type.String(),
  montoNuevo: Nullable(Money),
  fechaFinNueva: Day,
  createdAt: DateTime,
});
type AmendmentDb = {
  id: number;
  fecha: string;
  descripcion: string;
  monto_nuevo: number | null;
  fecha_fin_nueva: string | null;
  created_at: Date;
};
export const amendmentOut = (a: AmendmentDb): Static<typeof Amendment> => ({
  id: a.id,
  fecha: a.fecha,
  descripcion: a.descripcion,
  montoNuevo: a.monto_nuevo === null ? null : Number(a.monto_nuevo),
  fechaFinNueva: a.fecha_fin_nueva,
  createdAt: a.created_at,
});
export const Contract = Type.Object({ ...ContractCore, procedimientoNombre: Type.String(), modificaciones: Type.Array(Amendment) });

export const ActionDetail = Type.Object({
  id: Id,
  municipalityId: Type.String(),
  clave: Type.String(),
  nombre: Type.String(),
  descripcion: Type.String(),
  tipo: Tipo,
  avanceFisico: Type.Number(),
  publicado: Type.Boolean(),
  fechaInicio: Day,
  fechaFin: Day,
  beneficiarios: Nullable(Type.Integer()),
  beneficiariosDescripcion: Type.String(),
  isDemo: Type.Boolean(),
  updatedAt: DateTime,
  departmentId: Id,
  department: Type.String(),
  programId: Id,
  anio: Type.Integer(),
  programaClave: Type.String(),
  programa: Type.String(),
  ubicacion: Nullable(Geometry),
  presupuesto: Type.Array(
    Type.Object({
      clave: Type.String(),
      nombre: Type.String(),
      ordenGobierno: Orden,
      aprobado: Money,
      modificado: Nullable(Money),
      ejercido: Money,
    }),
  ),
  totales: Type.Object({
    aprobado: Money,
    modificado: Money,
    ejercido: Money,
    avanceFinanciero: Nullable(Type.Number({ description: 'Ejercido ÷ vigente, en %' })),
  }),
  lineas: Type.Array(ElementBrief),
  reportes: Type.Array(Report),
  contrato: Nullable(Contract),
});
export const actionDetailOut = (d: Row<typeof service.actionDetail>): Static<typeof ActionDetail> => ({
  id: d.id,
  municipalityId: d.municipality_id,
  clave: d.clave,
  nombre: d.nombre,
  descripcion: d.descripcion,
  tipo: d.tipo,
  avanceFisico: Number(d.avance_fisico),
  publicado: d.publicado,
  fechaInicio: d.fecha_inicio,
  fechaFin: d.fecha_fin,
  beneficiarios: d.beneficiarios,
  beneficiariosDescripcion: d.beneficiarios_descripcion,
  isDemo: d.is_demo,
  updatedAt: d.updated_at,
  departmentId: d.department_id,
  department: d.department,
  programId: d.program_id,
  anio: d.anio,
  programaClave: d.programa_clave,
  programa: d.programa,
  ubicacion: d.ubicacion,
  presupuesto: d.presupuesto.map((b) => ({
    clave: b.clave,
    nombre: b.nombre,
    ordenGobierno: b.orden_gobierno,
    aprobado: Number(b.aprobado),
    modificado: b.modificado === null ? null : Number(b.modificado),
    ejercido: Number(b.ejercido),
  })),
  totales: d.totales,
  lineas: d.lineas.map(elementBriefOut),
  reportes: d.reportes.map(reportOut),
  contrato: d.contrato && {
    ...contractCore(d.contrato),
    procedimientoNombre: d.contrato.procedimientoNombre,
    modificaciones: d.contrato.modificaciones.map(amendmentOut),
  },
});

const Regla = Type.String({ description: 'Cómo se calcula el avance ponderado' });
export const ElementRollup = Type.Object({ regla: Regla, rollup: Rollup, acciones: Type.Array(ActionRow) });
export const PlanRollup = Type.Object({
  regla: Regla,
  elementos: Type.Record(Type.String(), Rollup, { description: 'Por id de elemento, solo los que tienen acciones alineadas' }),
});
