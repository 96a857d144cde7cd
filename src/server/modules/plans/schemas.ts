import { type Static, Type } from 'typebox';
import type { PlanEstado, PlanTipo } from '../../db/types.ts';
import { DateTime, lit, Nullable } from '../../schemas.ts';
import type { listComments } from './comments.ts';
import type { elementDetail, elementsBrief } from './service.ts';

/** What the plans routes answer. Rows from the database are mapped here, field by field. */

export const PLAN_ESTADOS = [
  'borrador',
  'consulta',
  'validacion',
  'aprobado',
  'vigente',
  'evaluado',
] as const satisfies readonly PlanEstado[];
export const PLAN_TIPOS = [
  'vision2040',
  'pmd',
  'pmot',
  'pdu',
  'sectorial',
  'poligono',
  'ped',
  'pnd',
] as const satisfies readonly PlanTipo[];
const Estado = lit(...PLAN_ESTADOS);
const Tipo = lit(...PLAN_TIPOS);
const Id = Type.Integer();

export const PlanTypes = Type.Object({
  tipos: Type.Array(Type.Object({ code: Tipo, name: Type.String() })),
  estados: Type.Array(Type.Object({ code: Estado, name: Type.String() })),
  transiciones: Type.Record(Type.String(), Type.Record(Type.String(), Type.Array(Type.String())), {
    description: 'Por estado, los estados a los que puede pasar y los roles que pueden hacerlo',
  }),
});

export const OdsGoal = Type.Object({ numero: Type.Integer(), nombre: Type.String(), nombreEn: Type.String() });
export const OdsElement = Type.Object({
  odsMeta: Type.String(),
  id: Id,
  codigo: Type.String(),
  titulo: Type.String(),
  planId: Id,
  planTitulo: Type.String(),
  municipalityId: Type.String(),
});

const PlanCore = {
  id: Id,
  municipalityId: Type.String(),
  tipo: Tipo,
  titulo: Type.String(),
  descripcion: Type.String(),
  periodoInicio: Nullable(Type.Integer()),
  periodoFin: Nullable(Type.Integer()),
  estado: Estado,
  cabildoFecha: Nullable(Type.String({ format: 'date' })),
  cabildoAcuerdo: Nullable(Type.String()),
  isDemo: Type.Boolean(),
  updatedAt: DateTime,
};
export const PlanListItem = Type.Object({ ...PlanCore, elementos: Type.Integer() });
export const Plan = Type.Object({ ...PlanCore, niveles: Type.Array(Type.String()), createdAt: DateTime });

const IndicatorRef = {
  indicatorId: Nullable(Id),
  indicatorClave: Nullable(Type.String()),
  indicatorNombre: Nullable(Type.String()),
  indicatorMunicipalityId: Nullable(Type.String()),
};
const Valores = Type.Array(Type.Object({ anio: Type.Integer(), valor: Type.Number() }));
export const TreeMeta = Type.Object({
  id: Id,
  descripcion: Type.String(),
  lineaBase: Nullable(Type.Number()),
  valores: Valores,
  posicion: Type.Integer(),
  ...IndicatorRef,
});
export const AlignLink = Type.Object({
  id: Id,
  codigo: Type.String(),
  titulo: Type.String(),
  planId: Id,
  planTitulo: Type.String(),
  planTipo: Type.String(),
  planEstado: Estado,
  municipalityId: Type.String(),
});
const ElementCore = {
  id: Id,
  parentId: Nullable(Id),
  nivel: Type.Integer(),
  posicion: Type.Integer(),
  codigo: Type.String(),
  titulo: Type.String(),
  descripcion: Type.String(),
  responsables: Type.Array(Id),
};
export const TreeElement = Type.Object({
  ...ElementCore,
  metas: Type.Array(TreeMeta),
  ods: Type.Array(Type.String()),
  alineadoA: Type.Array(AlignLink),
  alineadosDesde: Type.Array(AlignLink),
});
export const PlanView = Type.Object({
  plan: Plan,
  elements: Type.Array(TreeElement),
  versiones: Type.Array(Type.Object({ numero: Type.Integer(), estado: Estado, createdAt: DateTime })),
  historial: Type.Array(Type.Object({ de: Estado, a: Estado, nota: Type.String(), at: DateTime, usuario: Nullable(Type.String()) })),
  transicionesPermitidas: Type.Array(Estado),
  editable: Type.Boolean(),
});

export const Element = Type.Object({
  ...ElementCore,
  planId: Id,
  updatedAt: DateTime,
});
/** A meta of an element up the tree, labelled with the element it belongs to. */
const InheritedMeta = Type.Object({
  id: Id,
  elementId: Id,
  elementCodigo: Type.String(),
  elementTitulo: Type.String(),
  descripcion: Type.String(),
  valores: Valores,
  lineaBase: Nullable(Type.Number()),
  ...IndicatorRef,
});
const Brief = Type.Object({ id: Id, codigo: Type.String(), titulo: Type.String(), nivel: Type.Integer() });
export const ElementDetail = Type.Object({
  plan: Type.Object({
    id: Id,
    titulo: Type.String(),
    tipo: Tipo,
    estado: Estado,
    niveles: Type.Array(Type.String()),
    municipalityId: Type.String(),
  }),
  metasHeredadas: Type.Array(InheritedMeta),
  element: Element,
  nivelNombre: Type.String(),
  ancestors: Type.Array(Brief),
  children: Type.Array(Brief),
  metas: Type.Array(
    Type.Object({ ...TreeMeta.properties, indicatorUnidad: Nullable(Type.String()), indicatorSentido: Nullable(Type.String()) }),
  ),
  ods: Type.Array(Type.String()),
  alineadoA: Type.Array(AlignLink),
  alineadosDesde: Type.Array(AlignLink),
  responsables: Type.Array(Type.Object({ id: Id, acronym: Nullable(Type.String()), name: Type.String() })),
});

export const Meta = Type.Object({
  id: Id,
  elementId: Id,
  descripcion: Type.String(),
  indicatorId: Nullable(Id),
  lineaBase: Nullable(Type.Number()),
  valores: Valores,
  posicion: Type.Integer(),
});

export const Comparison = Type.Object({
  de: Type.Union([Type.Integer(), Type.Literal('actual')]),
  a: Type.Union([Type.Integer(), Type.Literal('actual')]),
  resumen: Type.Object({ agregados: Type.Integer(), eliminados: Type.Integer(), modificados: Type.Integer() }),
  cambios: Type.Array(
    Type.Object({
      id: Id,
      codigo: Type.String(),
      titulo: Type.String(),
      cambio: lit('agregado', 'eliminado', 'modificado'),
      campos: Type.Array(Type.Object({ campo: Type.String(), antes: Type.Unknown(), despues: Type.Unknown() })),
    }),
  ),
});

export const OutlineReport = Type.Object({
  dryRun: Type.Boolean(),
  committed: Type.Boolean(),
  filas: Type.Integer(),
  porNivel: Type.Array(Type.Object({ nivel: Type.String(), elementos: Type.Integer() })),
  errores: Type.Array(Type.Object({ fila: Type.Integer(), problema: Type.String() })),
});

/** A consultation comment as the public sees it: the author's name, never their account. */
export const Comment = Type.Object({
  id: Id,
  elementId: Id,
  codigo: Type.String(),
  texto: Nullable(Type.String({ description: 'null cuando está oculto (salvo para quien lo escribió y quien modera)' })),
  respuesta: Nullable(Type.String()),
  respondidoAt: Nullable(DateTime),
  oculto: Type.Boolean(),
  motivoOculto: Nullable(Type.String()),
  createdAt: DateTime,
  autor: Type.String(),
  mio: Type.Boolean(),
});
export const NewComment = Type.Object({ id: Id, elementId: Id, texto: Type.String(), createdAt: DateTime });
export const Moderated = Type.Object({
  id: Id,
  respuesta: Nullable(Type.String()),
  oculto: Type.Boolean(),
  motivoOculto: Nullable(Type.String()),
});
export const CommentSummary = Type.Array(
  Type.Object({
    codigo: Type.String(),
    titulo: Type.String(),
    comentarios: Type.Integer(),
    visibles: Type.Integer(),
    ocultos: Type.Integer(),
    respondidos: Type.Integer(),
    participantes: Type.Integer(),
  }),
);

// ---------- rows → API ----------

type PlanRow = {
  id: number;
  municipality_id: string;
  tipo: PlanTipo;
  titulo: string;
  descripcion: string;
  periodo_inicio: number | null;
  periodo_fin: number | null;
  estado: PlanEstado;
  cabildo_fecha: string | null;
  cabildo_acuerdo: string | null;
  is_demo: boolean;
  updated_at: Date;
};
const planCore = (p: PlanRow) => ({
  id: p.id,
  municipalityId: p.municipality_id,
  tipo: p.tipo,
  titulo: p.titulo,
  descripcion: p.descripcion,
  periodoInicio: p.periodo_inicio,
  periodoFin: p.periodo_fin,
  estado: p.estado,
  cabildoFecha: p.cabildo_fecha,
  cabildoAcuerdo: p.cabildo_acuerdo,
  isDemo: p.is_demo,
  updatedAt: p.updated_at,
});
export const planListItemOut = (p: PlanRow & { elementos: number | null }): Static<typeof PlanListItem> => ({
  ...planCore(p),
  elementos: p.elementos ?? 0,
});
export const planOut = (p: PlanRow & { niveles: string[]; created_at: Date }): Static<typeof Plan> => ({
  ...planCore(p),
  niveles: p.niveles,
  createdAt: p.created_at,
});

type IndicatorRow = {
  indicator_id: number | null;
  indicator_clave: string | null;
  indicator_nombre: string | null;
  indicator_municipality_id: string | null;
};
const indicatorRef = (m: IndicatorRow) => ({
  indicatorId: m.indicator_id,
  indicatorClave: m.indicator_clave,
  indicatorNombre: m.indicator_nombre,
  indicatorMunicipalityId: m.indicator_municipality_id,
});
type MetaRow = IndicatorRow & {
  id: number;
  descripcion: string;
  linea_base: number | null;
  valores: { anio: number; valor: number }[];
  posicion: number;
};
const treeMetaOut = (m: MetaRow) => ({
  id: m.id,
  descripcion: m.descripcion,
  lineaBase: m.linea_base,
  valores: m.valores,
  posicion: m.posicion,
  ...indicatorRef(m),
});
const inheritedMetaOut = (
  m: Omit<MetaRow, 'posicion'> & { element_id: number; element_codigo: string; element_titulo: string },
): Static<typeof InheritedMeta> => ({
  id: m.id,
  elementId: m.element_id,
  elementCodigo: m.element_codigo,
  elementTitulo: m.element_titulo,
  descripcion: m.descripcion,
  valores: m.valores,
  lineaBase: m.linea_base,
  ...indicatorRef(m),
});
type AlignRow = {
  id: number;
  codigo: string;
  titulo: string;
  plan_id: number;
  plan_titulo: string;
  plan_tipo: string;
  plan_estado: PlanEstado;
  municipality_id: string;
};
export const alignOut = (a: AlignRow): Static<typeof AlignLink> => ({
  id: a.id,
  codigo: a.codigo,
  titulo: a.titulo,
  planId: a.plan_id,
  planTitulo: a.plan_titulo,
  planTipo: a.plan_tipo,
  planEstado: a.plan_estado,
  municipalityId: a.municipality_id,
});
type TreeRow = CoreRow & {
  metas: MetaRow[];
  ods: string[];
  alineadoA: AlignRow[];
  alineadosDesde: AlignRow[];
};
type CoreRow = {
  id: number;
  parent_id: number | null;
  nivel: number;
  posicion: number;
  codigo: string;
  titulo: string;
  descripcion: string;
  responsables: number[];
};
const elementCore = (e: CoreRow) => ({
  id: e.id,
  parentId: e.parent_id,
  nivel: e.nivel,
  posicion: e.posicion,
  codigo: e.codigo,
  titulo: e.titulo,
  descripcion: e.descripcion,
  responsables: e.responsables,
});
export const treeElementOut = (e: TreeRow): Static<typeof TreeElement> => ({
  ...elementCore(e),
  metas: e.metas.map(treeMetaOut),
  ods: e.ods,
  alineadoA: e.alineadoA.map(alignOut),
  alineadosDesde: e.alineadosDesde.map(alignOut),
});
export const elementOut = (e: CoreRow & { plan_id: number; updated_at: Date }): Static<typeof Element> => ({
  ...elementCore(e),
  planId: e.plan_id,
  updatedAt: e.updated_at,
});
export const metaOut = (m: {
  id: number;
  element_id: number;
  descripcion: string;
  indicator_id: number | null;
  linea_base: number | null;
  valores: { anio: number; valor: number }[];
  posicion: number;
}): Static<typeof Meta> => ({
  id: m.id,
  elementId: m.element_id,
  descripcion: m.descripcion,
  indicatorId: m.indicator_id,
  lineaBase: m.linea_base,
  valores: m.valores,
  posicion: m.posicion,
});

export const elementDetailOut = (d: Awaited<ReturnType<typeof elementDetail>>): Static<typeof ElementDetail> => ({
  plan: {
    id: d.plan.id,
    titulo: d.plan.titulo,
    tipo: d.plan.tipo,
    estado: d.plan.estado,
    niveles: d.plan.niveles,
    municipalityId: d.plan.municipality_id,
  },
  metasHeredadas: d.metasHeredadas.map(inheritedMetaOut),
  element: elementOut(d.element),
  nivelNombre: d.nivelNombre,
  ancestors: d.ancestors,
  children: d.children,
  metas: d.metas.map((m) => ({ ...treeMetaOut(m), indicatorUnidad: m.indicator_unidad, indicatorSentido: m.indicator_sentido })),
  ods: d.ods,
  alineadoA: d.alineadoA.map(alignOut),
  alineadosDesde: d.alineadosDesde.map(alignOut),
  responsables: d.responsables,
});

export const commentOut = (c: Awaited<ReturnType<typeof listComments>>[number]): Static<typeof Comment> => ({
  id: c.id,
  elementId: c.element_id,
  codigo: c.codigo,
  texto: c.texto,
  respuesta: c.respuesta,
  respondidoAt: c.respondido_at,
  oculto: c.oculto,
  motivoOculto: c.motivo_oculto,
  createdAt: c.created_at,
  autor: c.autor,
  mio: c.mio,
});

/** Budget-weighted progress of a plan element (see ROLLUP_RULE). */
export const Rollup = Type.Object({
  acciones: Type.Integer(),
  aprobado: Type.Number(),
  modificado: Type.Number(),
  ejercido: Type.Number(),
  avance: Nullable(Type.Number({ description: 'Avance físico ponderado por presupuesto, en %' })),
});

/** A plan line that an action serves, with its path up the tree and the metas along it. */
export const ElementBrief = Type.Object({
  id: Id,
  codigo: Type.String(),
  titulo: Type.String(),
  nivel: Type.Integer(),
  nivelNombre: Type.String(),
  planId: Id,
  planTitulo: Type.String(),
  planTipo: Tipo,
  planEstado: Estado,
  municipalityId: Type.String(),
  ruta: Type.Array(Type.Object({ id: Id, codigo: Type.String(), titulo: Type.String() })),
  metas: Type.Array(InheritedMeta),
});
export const elementBriefOut = (b: Awaited<ReturnType<typeof elementsBrief>>[number]): Static<typeof ElementBrief> => ({
  id: b.id,
  codigo: b.codigo,
  titulo: b.titulo,
  nivel: b.nivel,
  nivelNombre: b.nivelNombre,
  planId: b.plan_id,
  planTitulo: b.plan_titulo,
  planTipo: b.plan_tipo,
  planEstado: b.plan_estado,
  municipalityId: b.municipality_id,
  ruta: b.ruta,
  metas: b.metas.map(inheritedMetaOut),
});
