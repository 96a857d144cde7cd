import { type Static, Type } from 'typebox';
import { DateTime, lit, Nullable, PointGeometry } from '../../schemas.ts';
import type * as budgets from './budgets.ts';
import { FASES } from './budgets.ts';

/** What the participatory-budget routes answer: rows mapped field by field to camelCase. */

const Id = Type.Integer();
type Row<F extends (...a: never[]) => unknown> = Awaited<ReturnType<F>>;

export const Fase = lit(...FASES);
const Estilo = lit('mochila', 'aprobacion');
const Money = Type.Number();
const Fechas = Type.Record(
  Type.String(),
  Type.Object({ inicio: Type.Optional(Type.String({ format: 'date' })), fin: Type.Optional(Type.String({ format: 'date' })) }),
  { description: 'Fechas de inicio y fin por fase' },
);
const num = (n: number | string | null) => (n === null ? null : Number(n));

export const ProcessItem = Type.Object({
  id: Id,
  anio: Type.Integer(),
  titulo: Type.String(),
  descripcion: Type.String(),
  estilo: Estilo,
  fase: Fase,
  fechas: Fechas,
  isDemo: Type.Boolean(),
  montoTotal: Money,
  proyectos: Type.Integer({ description: 'Proyectos propuestos' }),
});
export const Processes = Type.Array(ProcessItem);
export const processesOut = (rows: Row<typeof budgets.listProcesses>): Static<typeof Processes> =>
  rows.map((p) => ({
    id: p.id,
    anio: p.anio,
    titulo: p.titulo,
    descripcion: p.descripcion,
    estilo: p.estilo,
    fase: p.fase,
    fechas: p.fechas,
    isDemo: p.is_demo,
    montoTotal: Number(p.monto_total),
    proyectos: p.proyectos,
  }));

export const PhaseSet = Type.Object({ id: Id, fase: Fase });

const ResultRow = {
  territoryId: Id,
  projectId: Id,
  votos: Type.Integer(),
  posicion: Type.Integer(),
  seleccionado: Type.Boolean(),
  motivo: Type.String({ description: 'Por qué no resultó seleccionado, si es el caso' }),
};

export const Process = Type.Object({
  id: Id,
  municipalityId: Type.String(),
  anio: Type.Integer(),
  titulo: Type.String(),
  descripcion: Type.String(),
  estilo: Estilo,
  maxVotos: Nullable(Type.Integer({ description: 'En la votación por aprobación, cuántos proyectos elige cada persona' })),
  fase: Fase,
  fechas: Fechas,
  programId: Nullable(Id),
  isDemo: Type.Boolean(),
  createdAt: DateTime,
  reglaEmpate: Type.String(),
  editable: Type.Boolean({ description: 'Si quien consulta puede administrar el proceso' }),
  territorios: Type.Array(
    Type.Object({
      id: Id,
      nombre: Type.String(),
      unitId: Nullable(Id),
      monto: Money,
      unidad: Nullable(Type.String()),
      nivel: Nullable(Type.String()),
      votantes: Type.Integer(),
    }),
  ),
  proyectos: Type.Array(
    Type.Object({
      id: Id,
      territoryId: Id,
      titulo: Type.String(),
      descripcion: Type.String(),
      costo: Nullable(Money),
      viable: Nullable(Type.Boolean()),
      dictamen: Type.String(),
      evaluadores: Type.Optional(Type.Array(Id, { description: 'Solo para planeación' })),
      seleccionado: Nullable(Type.Boolean()),
      proposalId: Nullable(Id),
      actionId: Nullable(Id),
      accionClave: Nullable(Type.String()),
      avanceFisico: Nullable(Type.Number({ description: 'Cuando la acción del POA del ganador es pública' })),
      isDemo: Type.Boolean(),
      createdAt: DateTime,
      ubicacion: Nullable(PointGeometry),
      revisable: Type.Boolean({ description: 'Si quien consulta puede hacer su revisión técnica' }),
      votos: Nullable(Type.Integer()),
    }),
  ),
  resultados: Type.Array(Type.Object(ResultRow)),
});
export const processOut = (p: Row<typeof budgets.getProcess>): Static<typeof Process> => ({
  id: p.id,
  municipalityId: p.municipality_id,
  anio: p.anio,
  titulo: p.titulo,
  descripcion: p.descripcion,
  estilo: p.estilo,
  maxVotos: p.max_votos,
  fase: p.fase,
  fechas: p.fechas,
  programId: p.program_id,
  isDemo: p.is_demo,
  createdAt: p.created_at,
  reglaEmpate: p.reglaEmpate,
  editable: p.editable,
  territorios: p.territorios.map((t) => ({
    id: t.id,
    nombre: t.nombre,
    unitId: t.unit_id,
    monto: Number(t.monto),
    unidad: t.unidad,
    nivel: t.nivel,
    votantes: t.votantes,
  })),
  proyectos: p.proyectos.map((x) => ({
    id: x.id,
    territoryId: x.territory_id,
    titulo: x.titulo,
    descripcion: x.descripcion,
    costo: num(x.costo),
    viable: x.viable,
    dictamen: x.dictamen,
    evaluadores: x.evaluadores,
    seleccionado: x.seleccionado,
    proposalId: x.proposal_id,
    actionId: x.action_id,
    // The action's key shows with its progress: once the action is public.
    accionClave: x.avance_fisico === null ? null : x.accion_clave,
    avanceFisico: num(x.avance_fisico),
    isDemo: x.is_demo,
    createdAt: x.created_at,
    ubicacion: x.ubicacion,
    revisable: x.revisable,
    votos: x.votos,
  })),
  resultados: p.resultados.map((r) => ({
    territoryId: r.territory_id,
    projectId: r.project_id,
    votos: r.votos,
    posicion: r.posicion,
    seleccionado: r.seleccionado,
    motivo: r.motivo,
  })),
});

export const Evaluators = Type.Array(
  Type.Object({ id: Id, name: Type.String(), acronym: Nullable(Type.String({ description: 'Siglas de sus dependencias' })) }),
);

export const ProjectAdded = Type.Object({ id: Id, titulo: Type.String() });
export const ProjectReviewed = Type.Object({
  id: Id,
  costo: Nullable(Money),
  viable: Nullable(Type.Boolean()),
  dictamen: Type.String(),
  evaluadores: Type.Array(Id),
});
export const projectReviewedOut = (x: Row<typeof budgets.reviewProject>): Static<typeof ProjectReviewed> => ({
  id: x.id,
  costo: num(x.costo),
  viable: x.viable,
  dictamen: x.dictamen,
  evaluadores: x.evaluadores.map(Number),
});

export const BallotCast = Type.Object({
  territorio: Type.String(),
  proyectos: Type.Array(Id),
  total: Money,
  monto: Money,
});
export const MyBallots = Type.Array(
  Type.Object({
    territoryId: Id,
    proyectos: Nullable(Type.Array(Id, { description: 'Solo mientras la votación está abierta' })),
  }),
);
export const myBallotsOut = (rows: Row<typeof budgets.myBallots>): Static<typeof MyBallots> =>
  rows.map((b) => ({ territoryId: b.territory_id, proyectos: b.proyectos }));

export const Results = Type.Object({
  reglaEmpate: Type.String(),
  resultados: Type.Array(Type.Object({ ...ResultRow, territorio: Type.String(), titulo: Type.String(), costo: Nullable(Money) })),
});
export const resultsOut = (rows: Row<typeof budgets.publishedResults>, reglaEmpate: string): Static<typeof Results> => ({
  reglaEmpate,
  resultados: rows.map((r) => ({
    territoryId: r.territory_id,
    territorio: r.territorio,
    projectId: r.project_id,
    titulo: r.titulo,
    costo: num(r.costo),
    votos: r.votos,
    posicion: r.posicion,
    seleccionado: r.seleccionado,
    motivo: r.motivo,
  })),
});
export const Ballots = Type.Array(Type.Object({ territoryId: Id, proyectos: Type.Array(Id) }), {
  description: 'Boletas anónimas: territorio y proyectos elegidos, nunca quién',
});
export const ballotsOut = (rows: Row<typeof budgets.ballotsExport>): Static<typeof Ballots> =>
  rows.map((b) => ({ territoryId: b.territory_id, proyectos: b.proyectos }));

export const ActionCreated = Type.Object({ id: Id, clave: Type.String() });
