import { type Static, Type } from 'typebox';
import { DateTime, lit, Nullable, Paged, PointGeometry } from '../../schemas.ts';
import type * as proposals from './proposals.ts';
import { ESTADOS } from './proposals.ts';

/** What the PROPONLE routes answer: rows are mapped here, field by field, to camelCase. */

const Id = Type.Integer();
type Row<F extends (...a: never[]) => unknown> = Awaited<ReturnType<F>>;
type One<F extends (...a: never[]) => unknown> = Row<F> extends (infer U)[] ? U : never;

export const Estado = lit(...ESTADOS);
const Day = Nullable(Type.String({ format: 'date' }));

export const ProposalItem = Type.Object({
  id: Id,
  titulo: Type.String(),
  tema: Type.String(),
  temaNombre: Type.String(),
  estado: Estado,
  apoyos: Type.Integer(),
  comentarios: Type.Integer(),
  createdAt: DateTime,
  isDemo: Type.Boolean(),
  oculto: Type.Boolean(),
  motivoOculto: Nullable(Type.String()),
  autor: Type.String({ description: 'Nombre público de quien propone' }),
  unidad: Nullable(Type.String({ description: 'Colonia o localidad donde se ubicó' })),
  actionId: Nullable(Id),
  resumen: Type.String({ description: 'Primeros 240 caracteres del texto' }),
  ubicada: Type.Boolean(),
  imagenId: Nullable(Id),
});
export const ProposalPage = Paged(ProposalItem);
export const proposalPageOut = (r: Row<typeof proposals.list>): Static<typeof ProposalPage> => ({
  items: r.items.map((p) => ({
    id: p.id,
    titulo: p.titulo,
    tema: p.tema,
    temaNombre: p.tema_nombre,
    estado: p.estado,
    apoyos: p.apoyos,
    comentarios: p.comentarios,
    createdAt: p.created_at,
    isDemo: p.is_demo,
    oculto: p.oculto,
    motivoOculto: p.motivo_oculto,
    autor: p.autor,
    unidad: p.unidad,
    actionId: p.action_id,
    resumen: p.resumen,
    ubicada: p.ubicada,
    imagenId: p.imagen_id,
  })),
  total: r.total,
  page: r.page,
  limit: r.limit,
});

export const Similar = Type.Array(
  Type.Object({ id: Id, titulo: Type.String(), estado: Estado, apoyos: Type.Integer(), rango: Type.Number() }),
);
export const similarOut = (rows: Row<typeof proposals.similar>): Static<typeof Similar> =>
  rows.map((s) => ({ id: s.id, titulo: s.titulo, estado: s.estado, apoyos: s.apoyos, rango: Number(s.rango) }));

export const ProposalsGeoJson = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(
    Type.Object({
      type: Type.Literal('Feature'),
      id: Id,
      geometry: PointGeometry,
      properties: Type.Object({ id: Id, titulo: Type.String(), estado: Estado, tema: Type.String(), apoyos: Type.Integer() }),
    }),
  ),
});

const ProposalFile = Type.Object({
  id: Id,
  tipo: lit('imagen', 'documento'),
  nombre: Type.String(),
  mime: Type.String(),
  bytes: Type.Integer(),
  ancho: Nullable(Type.Integer()),
  alto: Nullable(Type.Integer()),
});
export { ProposalFile };
export const proposalFileOut = (f: Row<typeof proposals.addFile>): Static<typeof ProposalFile> => ({
  id: f.id,
  tipo: f.tipo,
  nombre: f.nombre,
  mime: f.mime,
  bytes: f.bytes,
  ancho: f.ancho,
  alto: f.alto,
});

const HiddenProposal = Type.Object(
  { id: Id, oculto: Type.Literal(true), motivoOculto: Nullable(Type.String()), titulo: Type.Null() },
  { description: 'Una propuesta oculta por moderación: la página queda para decir por qué; su contenido no' },
);
const FullProposal = Type.Object({
  id: Id,
  municipalityId: Type.String(),
  userId: Type.Optional(Id),
  titulo: Type.String(),
  cuerpo: Type.String({ description: 'HTML saneado' }),
  tema: Type.String(),
  temaNombre: Type.String(),
  estado: Estado,
  respuesta: Type.String({ description: 'Respuesta pública del municipio' }),
  elementId: Nullable(Id),
  actionId: Nullable(Id),
  oculto: Type.Boolean(),
  motivoOculto: Nullable(Type.String()),
  apoyos: Type.Integer(),
  comentarios: Type.Integer(),
  isDemo: Type.Boolean(),
  createdAt: DateTime,
  updatedAt: DateTime,
  unitId: Nullable(Id),
  unidad: Nullable(Type.String()),
  autor: Type.String(),
  ubicacion: Nullable(PointGeometry),
  historial: Type.Array(Type.Object({ estado: Estado, respuesta: Type.String(), at: DateTime })),
  archivos: Type.Array(ProposalFile),
  accion: Nullable(
    Type.Object({
      id: Id,
      clave: Type.String(),
      nombre: Type.String(),
      tipo: lit('accion', 'obra'),
      avanceFisico: Type.Number(),
      avanceFinanciero: Nullable(Type.Number()),
      publicado: Type.Boolean(),
      fechaInicio: Day,
      fechaFin: Day,
      anio: Type.Integer(),
    }),
  ),
  elemento: Nullable(Type.Object({ id: Id, codigo: Type.String(), titulo: Type.String(), planId: Id, plan: Type.String() })),
  apoyada: Type.Boolean(),
  seguida: Type.Boolean(),
  mia: Type.Boolean(),
  moderable: Type.Boolean(),
});
export const Proposal = Type.Union([HiddenProposal, FullProposal]);
export const proposalOut = (p: Row<typeof proposals.get>): Static<typeof Proposal> => {
  if (p.titulo === null) return { id: p.id, oculto: true, motivoOculto: p.motivo_oculto, titulo: null };
  return {
    id: p.id,
    municipalityId: p.municipality_id,
    userId: p.user_id,
    titulo: p.titulo,
    cuerpo: p.cuerpo,
    tema: p.tema,
    temaNombre: p.tema_nombre,
    estado: p.estado,
    respuesta: p.respuesta,
    elementId: p.element_id,
    actionId: p.action_id,
    oculto: p.oculto,
    motivoOculto: p.motivo_oculto,
    apoyos: p.apoyos,
    comentarios: p.comentarios,
    isDemo: p.is_demo,
    createdAt: p.created_at,
    updatedAt: p.updated_at,
    unitId: p.unit_id,
    unidad: p.unidad,
    autor: p.autor,
    ubicacion: p.ubicacion,
    // Written only with a checked estado (the column is plain text).
    historial: p.historial.map((h) => ({ estado: h.estado as Static<typeof Estado>, respuesta: h.respuesta, at: h.at })),
    archivos: p.archivos,
    accion: p.accion
      ? {
          id: p.accion.id,
          clave: p.accion.clave,
          nombre: p.accion.nombre,
          tipo: p.accion.tipo,
          avanceFisico: Number(p.accion.avance_fisico),
          avanceFinanciero: p.accion.avance_financiero === null ? null : Number(p.accion.avance_financiero),
          publicado: p.accion.publicado,
          fechaInicio: p.accion.fecha_inicio,
          fechaFin: p.accion.fecha_fin,
          anio: p.accion.anio,
        }
      : null,
    elemento: p.elemento
      ? {
          id: p.elemento.id,
          codigo: p.elemento.codigo,
          titulo: p.elemento.titulo,
          planId: p.elemento.plan_id,
          plan: p.elemento.plan,
        }
      : null,
    apoyada: p.apoyada,
    seguida: p.seguida,
    mia: p.mia,
    moderable: p.moderable,
  };
};

export const ProposalCreated = Type.Object({ id: Id, titulo: Type.String(), estado: Estado, createdAt: DateTime });
export const proposalCreatedOut = (p: Row<typeof proposals.create>): Static<typeof ProposalCreated> => ({
  id: p.id,
  titulo: p.titulo,
  estado: p.estado,
  createdAt: p.created_at,
});
export const ProposalUpdated = Type.Object({ id: Id, titulo: Type.String() });
export const Supported = Type.Object({ apoyos: Type.Integer(), nuevo: Type.Boolean({ description: 'Falso si ya la apoyaba' }) });
export const Followed = Type.Object({ seguida: Type.Boolean() });
export const Hidden = Type.Object({ id: Id, oculto: Type.Boolean(), motivoOculto: Nullable(Type.String()) });
export const hiddenOut = (h: { id: number; oculto: boolean; motivo_oculto: string | null }): Static<typeof Hidden> => ({
  id: h.id,
  oculto: h.oculto,
  motivoOculto: h.motivo_oculto,
});
export const StatusSet = Type.Object({
  id: Id,
  estado: Estado,
  respuesta: Type.String(),
  elementId: Nullable(Id),
  actionId: Nullable(Id),
});
export const statusSetOut = (s: Row<typeof proposals.setStatus>): Static<typeof StatusSet> => ({
  id: s.id,
  estado: s.estado,
  respuesta: s.respuesta,
  elementId: s.element_id,
  actionId: s.action_id,
});

export const Comment = Type.Object({
  id: Id,
  parentId: Nullable(Id),
  texto: Nullable(Type.String({ description: 'Vacío si se ocultó (salvo para moderación y su autor)' })),
  oculto: Type.Boolean(),
  motivoOculto: Nullable(Type.String()),
  createdAt: DateTime,
  autor: Type.String(),
  mio: Type.Boolean(),
});
export const Comments = Type.Array(Comment);
export const commentsOut = (rows: Row<typeof proposals.comments>): Static<typeof Comments> =>
  rows.map((c) => ({
    id: c.id,
    parentId: c.parent_id,
    texto: c.texto,
    oculto: c.oculto,
    motivoOculto: c.motivo_oculto,
    createdAt: c.created_at,
    autor: c.autor,
    mio: c.mio,
  }));
export const CommentCreated = Type.Object({ id: Id, parentId: Nullable(Id), texto: Type.String(), createdAt: DateTime });
export const commentCreatedOut = (c: Row<typeof proposals.addComment>): Static<typeof CommentCreated> => ({
  id: c.id,
  parentId: c.parent_id,
  texto: c.texto,
  createdAt: c.created_at,
});

export const ModerationItem = Type.Object({
  proposalId: Id,
  commentId: Nullable(Id),
  titulo: Type.String(),
  propuestaOculta: Type.Boolean(),
  autorPropuesta: Id,
  comentario: Nullable(Type.String()),
  comentarioOculto: Nullable(Type.Boolean()),
  autorComentario: Nullable(Id),
  denuncias: Type.Integer(),
  motivos: Type.Array(Type.String()),
  ultima: DateTime,
});
export const Moderation = Type.Array(ModerationItem);
export const moderationOut = (rows: Row<typeof proposals.moderationQueue>): Static<typeof Moderation> =>
  rows.map((f: One<typeof proposals.moderationQueue>) => ({
    proposalId: f.proposal_id,
    commentId: f.comment_id,
    titulo: f.titulo,
    propuestaOculta: f.propuesta_oculta,
    autorPropuesta: f.autor_propuesta,
    comentario: f.comentario,
    comentarioOculto: f.comentario_oculto,
    autorComentario: f.autor_comentario,
    denuncias: f.denuncias,
    motivos: f.motivos,
    ultima: f.ultima,
  }));
