import { type Static, Type } from 'typebox';
import { lit, Nullable } from '../../schemas.ts';
import { CommentSummary } from '../plans/schemas.ts';
import type * as consultations from './consultations.ts';

/** What the consultation routes answer: rows mapped field by field to camelCase. */

const Id = Type.Integer();
type Row<F extends (...a: never[]) => unknown> = Awaited<ReturnType<F>>;
const Day = Nullable(Type.String({ format: 'date' }));
export const ConsultaEstado = lit('borrador', 'abierta', 'cerrada');
const Tipo = lit('unica', 'multiple', 'abierta');

const Core = {
  id: Id,
  titulo: Type.String(),
  descripcion: Type.String(),
  estado: ConsultaEstado,
  inicio: Day,
  fin: Day,
  planId: Nullable(Id),
  plan: Nullable(Type.String({ description: 'Título del plan en consulta, si es sobre un plan' })),
  soloResidentes: Type.Boolean(),
  isDemo: Type.Boolean(),
};
type CoreRow = Row<typeof consultations.list>[number];
const coreOut = (c: Omit<CoreRow, 'respuestas'>) => ({
  id: c.id,
  titulo: c.titulo,
  descripcion: c.descripcion,
  estado: c.estado,
  inicio: c.inicio,
  fin: c.fin,
  planId: c.plan_id,
  plan: c.plan,
  soloResidentes: c.solo_residentes,
  isDemo: c.is_demo,
});

export const Consultations = Type.Array(Type.Object({ ...Core, respuestas: Type.Integer() }));
export const consultationsOut = (rows: Row<typeof consultations.list>): Static<typeof Consultations> =>
  rows.map((c) => ({ ...coreOut(c), respuestas: c.respuestas }));

export const Consultation = Type.Object({
  ...Core,
  planEstado: Nullable(Type.String()),
  preguntas: Type.Array(
    Type.Object({
      id: Id,
      tipo: Tipo,
      texto: Type.String(),
      opciones: Type.Array(Type.String()),
      obligatoria: Type.Boolean(),
    }),
  ),
  respondida: Type.Boolean({ description: 'Si quien consulta ya respondió' }),
  editable: Type.Boolean(),
});
export const consultationOut = (c: Row<typeof consultations.get>): Static<typeof Consultation> => ({
  ...coreOut(c),
  planEstado: c.plan_estado,
  preguntas: c.preguntas.map((q) => ({ id: q.id, tipo: q.tipo, texto: q.texto, opciones: q.opciones, obligatoria: q.obligatoria })),
  respondida: c.respondida,
  editable: c.editable,
});

export const ConsultationState = Type.Object({ id: Id, estado: ConsultaEstado });

export const ConsultationResults = Type.Object({
  id: Id,
  titulo: Type.String(),
  estado: ConsultaEstado,
  planId: Nullable(Id),
  plan: Nullable(Type.String()),
  participantes: Type.Integer(),
  preguntas: Type.Array(
    Type.Object({
      id: Id,
      tipo: Tipo,
      texto: Type.String(),
      respuestas: Type.Integer(),
      opciones: Type.Array(Type.Object({ opcion: Type.String(), votos: Type.Integer() })),
      abiertas: Type.Array(Type.String(), { description: 'Respuestas abiertas, sin nombres' }),
    }),
  ),
  comentariosPlan: CommentSummary,
});
export const resultsOut = (r: Row<typeof consultations.results>): Static<typeof ConsultationResults> => ({
  id: r.id,
  titulo: r.titulo,
  estado: r.estado,
  planId: r.plan_id,
  plan: r.plan,
  participantes: r.participantes,
  preguntas: r.preguntas,
  comentariosPlan: r.comentariosPlan,
});
