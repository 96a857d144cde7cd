import { sql } from 'kysely';
import { withActor, type Actor } from '../../db/connection.ts';
import { paginate } from '../../db/paginate.ts';
import type { ProposalEstado } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import { PROPUESTA_ESTADO_NOMBRE as ESTADO_NOMBRE } from '../../../shared/catalogs.ts';
import { hasRole, type SessionUser } from '../../plugins/auth.ts';
import {
  assertDailyCap,
  assertNotBlocked,
  hiding,
  assertResident,
  notify,
  placePoint,
  plain,
  pointSql,
  richText,
  type Db,
} from './common.ts';
import { checkFile, imageVariant } from '../../files.ts';

export const ESTADOS: ProposalEstado[] = ['recibida', 'en_revision', 'viable', 'no_viable', 'incluida', 'en_ejecucion', 'concluida'];

export const isModerator = (user: SessionUser | null, municipalityId: string) => hasRole(user, ['planner'], municipalityId);

/** Words of a query as a prefix OR-query for to_tsquery, accent- and case-insensitive. */
function orQuery(q: string) {
  const words = q
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^a-z0-9ñ]+/)
    .filter((w) => w.length >= 3)
    .slice(0, 12);
  return words.length ? words.map((w) => `${w}:*`).join(' | ') : null;
}
const tsq = (q: string) => sql`to_tsquery('spanish', ${q})`;

export interface ProposalFilter {
  q?: string;
  tema?: string;
  estado?: ProposalEstado;
  unitId?: number;
  orden?: 'recientes' | 'apoyos' | 'comentarios';
  mias?: boolean;
  ocultas?: boolean;
}

function visible(db: Db, municipalityId: string) {
  return db.selectFrom('proposals as p').where('p.municipality_id', '=', municipalityId).where('p.oculto', '=', false);
}

/** The index's query for a filter, ordered (null when the search text has no word to look for). */
export function listQuery(db: Db, municipalityId: string, f: ProposalFilter, user: SessionUser | null) {
  let q = db
    .selectFrom('proposals as p')
    .innerJoin('shared_users as u', 'u.id', 'p.user_id')
    .leftJoin('shared_units as t', 't.id', 'p.unit_id')
    .innerJoin('shared_indicator_themes as th', 'th.code', 'p.tema')
    .select([
      'p.id',
      'p.titulo',
      'p.tema',
      'th.name as tema_nombre',
      'p.estado',
      'p.apoyos',
      'p.comentarios',
      'p.created_at',
      'p.is_demo',
      'p.oculto',
      'p.motivo_oculto',
      'u.name as autor',
      't.name as unidad',
      'p.action_id',
    ])
    .select(sql<string>`left(p.cuerpo_texto, 240)`.as('resumen'))
    .select(sql<boolean>`p.geom is not null`.as('ubicada'))
    .select(
      sql<number | null>`(select f.id from proposal_files f where f.proposal_id = p.id and f.tipo = 'imagen' order by f.id limit 1)`.as(
        'imagen_id',
      ),
    )
    .where('p.municipality_id', '=', municipalityId);
  // Hidden proposals leave every public list; moderators may ask for them explicitly.
  q = f.ocultas && isModerator(user, municipalityId) ? q.where('p.oculto', '=', true) : q.where('p.oculto', '=', false);
  if (f.tema) q = q.where('p.tema', '=', f.tema);
  if (f.estado) q = q.where('p.estado', '=', f.estado);
  if (f.unitId) q = q.where('p.unit_id', '=', f.unitId);
  if (f.mias && user) q = q.where('p.user_id', '=', user.id);
  const query = f.q ? orQuery(f.q) : null;
  if (f.q && !query) return null;
  if (query) q = q.where(sql<boolean>`p.busqueda @@ ${tsq(query)}`).orderBy(sql`ts_rank(p.busqueda, ${tsq(query)})`, 'desc');
  if (f.orden === 'apoyos') q = q.orderBy('p.apoyos', 'desc');
  else if (f.orden === 'comentarios') q = q.orderBy('p.comentarios', 'desc');
  q = q.orderBy('p.created_at', 'desc').orderBy('p.id', 'desc');
  return q;
}

export async function list(db: Db, municipalityId: string, f: ProposalFilter, page: number, limit: number, user: SessionUser | null) {
  const q = listQuery(db, municipalityId, f, user);
  if (!q) return { items: [], total: 0, page, limit };
  const r = await paginate(q, page, limit);
  return { ...r, page, limit };
}

/** Visible proposals like the text being typed, to curb duplicates (best matches first). */
export async function similar(db: Db, municipalityId: string, text: string) {
  const query = orQuery(text);
  if (!query) return [];
  return visible(db, municipalityId)
    .select(['p.id', 'p.titulo', 'p.estado', 'p.apoyos'])
    .select(sql<number>`round(ts_rank(p.busqueda, ${tsq(query)})::numeric, 4)`.as('rango'))
    .where(sql<boolean>`p.busqueda @@ ${tsq(query)}`)
    .orderBy(sql`ts_rank(p.busqueda, ${tsq(query)})`, 'desc')
    .orderBy('p.apoyos', 'desc')
    .limit(5)
    .execute();
}

export async function geojson(db: Db, municipalityId: string, f: ProposalFilter) {
  let q = visible(db, municipalityId)
    .select(['p.id', 'p.titulo', 'p.estado', 'p.tema', 'p.apoyos'])
    .select(sql<{ type: 'Point'; coordinates: [number, number] }>`st_asgeojson(p.geom, 6)::jsonb`.as('geometry'))
    .where('p.geom', 'is not', null);
  if (f.tema) q = q.where('p.tema', '=', f.tema);
  if (f.estado) q = q.where('p.estado', '=', f.estado);
  const rows = await q.orderBy('p.id').execute();
  return {
    type: 'FeatureCollection' as const,
    features: rows.map(({ geometry, ...properties }) => ({ type: 'Feature' as const, id: properties.id, geometry, properties })),
  };
}

/** Rows for the CSV download and the Atom feed: only what the public may see. */
export async function exportRows(db: Db, municipalityId: string, limit = 100_000) {
  return visible(db, municipalityId)
    .innerJoin('shared_indicator_themes as th', 'th.code', 'p.tema')
    .leftJoin('shared_units as t', 't.id', 'p.unit_id')
    .select([
      'p.id',
      'p.titulo',
      'p.cuerpo_texto',
      'th.name as tema',
      'p.estado',
      'p.respuesta',
      'p.apoyos',
      'p.comentarios',
      't.name as unidad',
      'p.action_id',
      'p.element_id',
      'p.created_at',
      'p.updated_at',
      'p.is_demo',
    ])
    .select(sql<number | null>`st_y(p.geom)`.as('latitud'))
    .select(sql<number | null>`st_x(p.geom)`.as('longitud'))
    .orderBy('p.id', 'desc')
    .limit(limit)
    .execute();
}

export async function get(db: Db, municipalityId: string, id: number, user: SessionUser | null) {
  const p = await db
    .selectFrom('proposals as p')
    .innerJoin('shared_users as u', 'u.id', 'p.user_id')
    .innerJoin('shared_indicator_themes as th', 'th.code', 'p.tema')
    .leftJoin('shared_units as t', 't.id', 'p.unit_id')
    .select([
      'p.id',
      'p.municipality_id',
      'p.user_id',
      'p.titulo',
      'p.cuerpo',
      'p.tema',
      'th.name as tema_nombre',
      'p.estado',
      'p.respuesta',
      'p.element_id',
      'p.action_id',
      'p.oculto',
      'p.motivo_oculto',
      'p.apoyos',
      'p.comentarios',
      'p.is_demo',
      'p.created_at',
      'p.updated_at',
      'p.unit_id',
      't.name as unidad',
      'u.name as autor',
    ])
    .select(sql<{ type: 'Point'; coordinates: [number, number] } | null>`st_asgeojson(p.geom, 6)::jsonb`.as('ubicacion'))
    .where('p.id', '=', id)
    .where('p.municipality_id', '=', municipalityId)
    .executeTakeFirst();
  if (!p) throw new AppError('BRJ_ERR_NOT_FOUND', 'La propuesta no existe.');
  const moderator = isModerator(user, municipalityId);
  const mine = user?.id === p.user_id;
  if (p.oculto && !moderator && !mine) {
    // The page stays to say why it was hidden; its content does not.
    return { id: p.id, oculto: true as const, motivo_oculto: p.motivo_oculto, titulo: null };
  }
  const [historial, archivos, accion, elemento, yo] = await Promise.all([
    db
      .selectFrom('proposal_status_changes')
      .select(['estado', 'respuesta', 'at'])
      .where('proposal_id', '=', id)
      .orderBy('at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('proposal_files')
      .select(['id', 'tipo', 'nombre', 'mime', 'bytes', 'ancho', 'alto'])
      .where('proposal_id', '=', id)
      .orderBy('id')
      .execute(),
    p.action_id
      ? db
          .selectFrom('shared_poa_actions as a')
          .innerJoin('shared_poa_programs as g', 'g.id', 'a.program_id')
          .select(['a.id', 'a.clave', 'a.nombre', 'a.tipo', 'a.avance_fisico', 'a.publicado', 'a.fecha_inicio', 'a.fecha_fin', 'g.anio'])
          .select(
            sql<
              number | null
            >`(select case when sum(coalesce(b.modificado, b.aprobado)) > 0 then round(100 * sum(b.ejercido) / sum(coalesce(b.modificado, b.aprobado)), 2) end from shared_action_budgets b where b.action_id = a.id)`.as(
              'avance_financiero',
            ),
          )
          .where('a.id', '=', p.action_id)
          .executeTakeFirst()
      : null,
    p.element_id
      ? db
          .selectFrom('shared_plan_elements as e')
          .innerJoin('shared_plans as pl', 'pl.id', 'e.plan_id')
          .select(['e.id', 'e.codigo', 'e.titulo', 'e.plan_id', 'pl.titulo as plan'])
          .where('e.id', '=', p.element_id)
          .executeTakeFirst()
      : null,
    user
      ? sql<{
          apoyo: boolean;
          sigo: boolean;
        }>`select exists (select 1 from proposal_supports where proposal_id = ${id} and user_id = ${user.id}) as apoyo,
                                                    exists (select 1 from proposal_followers where proposal_id = ${id} and user_id = ${user.id}) as sigo`
          .execute(db)
          .then((r) => r.rows[0])
      : { apoyo: false, sigo: false },
  ]);
  const accionVisible = accion && (accion.publicado || hasRole(user, ['planner', 'enlace', 'council'], municipalityId)) ? accion : null;
  return {
    ...p,
    user_id: mine || moderator ? p.user_id : undefined,
    historial,
    archivos,
    accion: accionVisible,
    elemento,
    apoyada: yo.apoyo,
    seguida: yo.sigo,
    mia: mine,
    moderable: moderator,
  };
}

export interface ProposalInput {
  titulo: string;
  cuerpo: string;
  tema: string;
  lon?: number | null;
  lat?: number | null;
}

async function checkInput(db: Db, municipalityId: string, b: ProposalInput) {
  const titulo = plain(b.titulo);
  if (titulo.length < 8) throw new AppError('BRJ_ERR_VALIDATION', 'El título debe tener al menos 8 caracteres.');
  const { html, text } = richText(b.cuerpo);
  if (text.length < 20) throw new AppError('BRJ_ERR_VALIDATION', 'Describa su propuesta con al menos 20 caracteres.');
  const tema = await db.selectFrom('shared_indicator_themes').select('code').where('code', '=', b.tema).executeTakeFirst();
  if (!tema) throw new AppError('BRJ_ERR_VALIDATION', 'Elija un tema de la lista.');
  let unitId: number | null = null;
  if (b.lon != null && b.lat != null) unitId = (await placePoint(db, municipalityId, b.lon, b.lat)).unitId;
  return { titulo, html, text, unitId };
}

export async function create(db: Db, actor: Actor, municipalityId: string, user: SessionUser, b: ProposalInput & { isDemo?: boolean }) {
  await assertNotBlocked(db, municipalityId, user.id);
  await assertDailyCap(db, municipalityId, user.id);
  const c = await checkInput(db, municipalityId, b);
  return withActor(db, actor, async (trx) => {
    const p = await trx
      .insertInto('proposals')
      .values({
        municipality_id: municipalityId,
        user_id: user.id,
        titulo: c.titulo,
        cuerpo: c.html,
        cuerpo_texto: c.text,
        tema: b.tema,
        unit_id: c.unitId,
        geom: b.lon != null && b.lat != null ? pointSql(b.lon, b.lat) : null,
        is_demo: b.isDemo ?? false,
      })
      .returning(['id', 'titulo', 'estado', 'created_at'])
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('proposal_status_changes')
      .values({ municipality_id: municipalityId, proposal_id: p.id, estado: 'recibida', respuesta: '', user_id: user.id })
      .execute();
    await trx.insertInto('proposal_followers').values({ municipality_id: municipalityId, proposal_id: p.id, user_id: user.id }).execute();
    return p;
  });
}

/** The author may correct a proposal until the municipality starts reviewing it. */
export async function update(db: Db, actor: Actor, municipalityId: string, id: number, user: SessionUser, b: ProposalInput) {
  const p = await db
    .selectFrom('proposals')
    .select(['user_id', 'estado'])
    .where('id', '=', id)
    .where('municipality_id', '=', municipalityId)
    .executeTakeFirst();
  if (!p) throw new AppError('BRJ_ERR_NOT_FOUND', 'La propuesta no existe.');
  if (p.user_id !== user.id) throw new AppError('BRJ_ERR_FORBIDDEN', 'Solo quien hizo la propuesta puede editarla.');
  if (p.estado !== 'recibida') throw new AppError('BRJ_ERR_CONFLICT', 'La propuesta ya está en revisión y no se puede editar.');
  const c = await checkInput(db, municipalityId, b);
  return withActor(db, actor, (trx) =>
    trx
      .updateTable('proposals')
      .set({
        titulo: c.titulo,
        cuerpo: c.html,
        cuerpo_texto: c.text,
        tema: b.tema,
        unit_id: c.unitId,
        geom: b.lon != null && b.lat != null ? pointSql(b.lon, b.lat) : null,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returning(['id', 'titulo'])
      .executeTakeFirstOrThrow(),
  );
}

async function visibleProposal(db: Db, municipalityId: string, id: number) {
  const p = await db
    .selectFrom('proposals')
    .select(['id', 'user_id', 'titulo', 'oculto', 'estado'])
    .where('id', '=', id)
    .where('municipality_id', '=', municipalityId)
    .executeTakeFirst();
  if (!p || p.oculto) throw new AppError('BRJ_ERR_NOT_FOUND', 'La propuesta no existe o fue ocultada.');
  return p;
}

/** One support per verified resident: the primary key settles concurrent clicks. */
export async function support(db: Db, actor: Actor, municipalityId: string, id: number, user: SessionUser) {
  await assertResident(db, municipalityId, user);
  await assertNotBlocked(db, municipalityId, user.id);
  await visibleProposal(db, municipalityId, id);
  return withActor(db, actor, async (trx) => {
    const added = await trx
      .insertInto('proposal_supports')
      .values({ municipality_id: municipalityId, proposal_id: id, user_id: user.id })
      .onConflict((oc) => oc.columns(['proposal_id', 'user_id']).doNothing())
      .returning('user_id')
      .executeTakeFirst();
    const r = added
      ? await trx
          .updateTable('proposals')
          .set((eb) => ({ apoyos: eb('apoyos', '+', 1) }))
          .where('id', '=', id)
          .returning('apoyos')
          .executeTakeFirstOrThrow()
      : await trx.selectFrom('proposals').select('apoyos').where('id', '=', id).executeTakeFirstOrThrow();
    return { apoyos: r.apoyos, nuevo: !!added };
  });
}

export async function follow(db: Db, actor: Actor, municipalityId: string, id: number, user: SessionUser, on: boolean) {
  await visibleProposal(db, municipalityId, id);
  await withActor(db, actor, async (trx) => {
    if (on) {
      await trx
        .insertInto('proposal_followers')
        .values({ municipality_id: municipalityId, proposal_id: id, user_id: user.id })
        .onConflict((oc) => oc.columns(['proposal_id', 'user_id']).doNothing())
        .execute();
    } else {
      await trx.deleteFrom('proposal_followers').where('proposal_id', '=', id).where('user_id', '=', user.id).execute();
    }
  });
  return { seguida: on };
}

// ---------- comments ----------
export async function comments(db: Db, municipalityId: string, id: number, user: SessionUser | null) {
  const p = await db
    .selectFrom('proposals')
    .select(['oculto', 'user_id'])
    .where('id', '=', id)
    .where('municipality_id', '=', municipalityId)
    .executeTakeFirst();
  const moderator = isModerator(user, municipalityId);
  if (!p || (p.oculto && !moderator && p.user_id !== user?.id))
    throw new AppError('BRJ_ERR_NOT_FOUND', 'La propuesta no existe o fue ocultada.');
  const rows = await db
    .selectFrom('proposal_comments as c')
    .innerJoin('shared_users as u', 'u.id', 'c.user_id')
    .select(['c.id', 'c.parent_id', 'c.texto', 'c.oculto', 'c.motivo_oculto', 'c.created_at', 'c.user_id', 'u.name as autor'])
    .where('c.proposal_id', '=', id)
    .orderBy('c.created_at')
    .orderBy('c.id')
    .execute();
  return rows.map(({ user_id, ...c }) => ({
    ...c,
    texto: c.oculto && !moderator && user_id !== user?.id ? null : c.texto,
    mio: user?.id === user_id,
  }));
}

export async function addComment(
  db: Db,
  actor: Actor,
  municipalityId: string,
  id: number,
  user: SessionUser,
  b: { texto: string; parentId?: number | null },
  publicUrl: string,
) {
  await assertNotBlocked(db, municipalityId, user.id);
  await assertDailyCap(db, municipalityId, user.id);
  const p = await visibleProposal(db, municipalityId, id);
  const texto = b.texto.trim();
  if (texto.length < 2) throw new AppError('BRJ_ERR_VALIDATION', 'Escriba su comentario.');
  return withActor(db, actor, async (trx) => {
    let parentAuthor: number | null = null;
    if (b.parentId) {
      const parent = await trx
        .selectFrom('proposal_comments')
        .select(['proposal_id', 'user_id'])
        .where('id', '=', b.parentId)
        .executeTakeFirst();
      if (!parent || parent.proposal_id !== id)
        throw new AppError('BRJ_ERR_VALIDATION', 'El comentario al que responde no está en esta propuesta.');
      parentAuthor = parent.user_id;
    }
    const c = await trx
      .insertInto('proposal_comments')
      .values({ municipality_id: municipalityId, proposal_id: id, parent_id: b.parentId ?? null, user_id: user.id, texto })
      .returning(['id', 'parent_id', 'texto', 'created_at'])
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('proposals')
      .set((eb) => ({ comentarios: eb('comentarios', '+', 1) }))
      .where('id', '=', id)
      .execute();
    if (parentAuthor && parentAuthor !== user.id) {
      await notify(
        trx,
        municipalityId,
        [parentAuthor],
        {
          titulo: `Respondieron su comentario en «${p.titulo}»`,
          cuerpo: texto.slice(0, 300),
          enlace: `/m/${municipalityId}/propuestas/${id}`,
        },
        publicUrl,
      );
    }
    return c;
  });
}

export async function hideComment(
  db: Db,
  actor: Actor,
  municipalityId: string,
  id: number,
  commentId: number,
  b: { oculto: boolean; motivo?: string },
) {
  const set = hiding(b);
  return withActor(db, actor, async (trx) => {
    const r = await trx
      .updateTable('proposal_comments')
      .set(set)
      .where('id', '=', commentId)
      .where('proposal_id', '=', id)
      .where('municipality_id', '=', municipalityId)
      .returning(['id', 'oculto', 'motivo_oculto'])
      .executeTakeFirst();
    if (!r) throw new AppError('BRJ_ERR_NOT_FOUND', 'El comentario no existe en esta propuesta.');
    await trx
      .updateTable('proposal_flags')
      .set({ resuelta_at: new Date() })
      .where('comment_id', '=', commentId)
      .where('resuelta_at', 'is', null)
      .execute();
    return r;
  });
}

// ---------- moderation ----------
export async function flag(
  db: Db,
  actor: Actor,
  municipalityId: string,
  id: number,
  user: SessionUser,
  b: { motivo: string; commentId?: number | null },
) {
  const p = await db
    .selectFrom('proposals')
    .select('id')
    .where('id', '=', id)
    .where('municipality_id', '=', municipalityId)
    .executeTakeFirst();
  if (!p) throw new AppError('BRJ_ERR_NOT_FOUND', 'La propuesta no existe.');
  if (b.commentId) {
    const c = await db.selectFrom('proposal_comments').select('proposal_id').where('id', '=', b.commentId).executeTakeFirst();
    if (!c || c.proposal_id !== id) throw new AppError('BRJ_ERR_VALIDATION', 'El comentario no está en esta propuesta.');
  }
  const motivo = plain(b.motivo);
  if (motivo.length < 3) throw new AppError('BRJ_ERR_VALIDATION', 'Diga brevemente por qué lo denuncia.');
  await withActor(db, actor, (trx) =>
    trx
      .insertInto('proposal_flags')
      .values({ municipality_id: municipalityId, proposal_id: id, comment_id: b.commentId ?? null, user_id: user.id, motivo })
      .onConflict((oc) => oc.doNothing())
      .execute(),
  );
  return { message: 'Gracias. El equipo de moderación revisará su denuncia.' };
}

export async function moderationQueue(db: Db, municipalityId: string) {
  return db
    .selectFrom('proposal_flags as f')
    .innerJoin('proposals as p', 'p.id', 'f.proposal_id')
    .leftJoin('proposal_comments as c', 'c.id', 'f.comment_id')
    .select([
      'f.proposal_id',
      'f.comment_id',
      'p.titulo',
      'p.oculto as propuesta_oculta',
      'p.user_id as autor_propuesta',
      'c.texto as comentario',
      'c.oculto as comentario_oculto',
      'c.user_id as autor_comentario',
    ])
    .select(sql<number>`count(*)::int`.as('denuncias'))
    .select(sql<string[]>`array_agg(f.motivo order by f.id)`.as('motivos'))
    .select(sql<Date>`max(f.created_at)`.as('ultima'))
    .where('f.municipality_id', '=', municipalityId)
    .where('f.resuelta_at', 'is', null)
    .groupBy(['f.proposal_id', 'f.comment_id', 'p.titulo', 'p.oculto', 'p.user_id', 'c.texto', 'c.oculto', 'c.user_id'])
    .orderBy(sql`count(*)`, 'desc')
    .limit(200)
    .execute();
}

export async function dismissFlags(db: Db, actor: Actor, municipalityId: string, id: number, commentId: number | null) {
  await withActor(db, actor, (trx) =>
    trx
      .updateTable('proposal_flags')
      .set({ resuelta_at: new Date() })
      .where('municipality_id', '=', municipalityId)
      .where('proposal_id', '=', id)
      .where((eb) => (commentId ? eb('comment_id', '=', commentId) : eb('comment_id', 'is', null)))
      .where('resuelta_at', 'is', null)
      .execute(),
  );
}

export async function hide(
  db: Db,
  actor: Actor,
  municipalityId: string,
  id: number,
  b: { oculto: boolean; motivo?: string },
  publicUrl: string,
) {
  const set = hiding(b);
  return withActor(db, actor, async (trx) => {
    const r = await trx
      .updateTable('proposals')
      .set({ ...set, updated_at: new Date() })
      .where('id', '=', id)
      .where('municipality_id', '=', municipalityId)
      .returning(['id', 'user_id', 'titulo', 'oculto', 'motivo_oculto'])
      .executeTakeFirst();
    if (!r) throw new AppError('BRJ_ERR_NOT_FOUND', 'La propuesta no existe.');
    await trx
      .updateTable('proposal_flags')
      .set({ resuelta_at: new Date() })
      .where('proposal_id', '=', id)
      .where('comment_id', 'is', null)
      .where('resuelta_at', 'is', null)
      .execute();
    if (b.oculto) {
      await notify(
        trx,
        municipalityId,
        [r.user_id],
        {
          titulo: `Su propuesta «${r.titulo}» fue ocultada`,
          cuerpo: `Motivo: ${r.motivo_oculto}`,
          enlace: `/m/${municipalityId}/propuestas/${id}`,
        },
        publicUrl,
      );
    }
    return { id: r.id, oculto: r.oculto, motivo_oculto: r.motivo_oculto };
  });
}

export async function block(db: Db, actor: Actor, municipalityId: string, staff: SessionUser, b: { userId: number; motivo: string }) {
  const motivo = plain(b.motivo);
  if (motivo.length < 3) throw new AppError('BRJ_ERR_VALIDATION', 'Escriba el motivo del bloqueo.');
  if (b.userId === staff.id) throw new AppError('BRJ_ERR_VALIDATION', 'No puede bloquear su propia cuenta.');
  const u = await db.selectFrom('shared_users').select('id').where('id', '=', b.userId).executeTakeFirst();
  if (!u) throw new AppError('BRJ_ERR_NOT_FOUND', 'La persona usuaria no existe.');
  await withActor(db, actor, (trx) =>
    trx
      .insertInto('participation_blocks')
      .values({ municipality_id: municipalityId, user_id: b.userId, motivo, bloqueado_por: staff.id })
      .onConflict((oc) => oc.columns(['municipality_id', 'user_id']).doUpdateSet({ motivo, bloqueado_por: staff.id }))
      .execute(),
  );
}

export async function unblock(db: Db, actor: Actor, municipalityId: string, userId: number) {
  await withActor(db, actor, (trx) =>
    trx.deleteFrom('participation_blocks').where('municipality_id', '=', municipalityId).where('user_id', '=', userId).execute(),
  );
}

// ---------- status with public answers ----------
export async function setStatus(
  db: Db,
  actor: Actor,
  municipalityId: string,
  id: number,
  user: SessionUser,
  b: { estado: ProposalEstado; respuesta?: string; elementId?: number | null; actionId?: number | null },
  publicUrl: string,
) {
  const respuesta = (b.respuesta ?? '').trim();
  if (b.estado === 'no_viable' && respuesta.length < 3)
    throw new AppError('BRJ_ERR_VALIDATION', 'Explique por qué la propuesta no es viable; la respuesta es pública.');
  if (b.estado === 'incluida' && !b.elementId && !b.actionId)
    throw new AppError('BRJ_ERR_VALIDATION', 'Indique el elemento del plan o la acción del POA en que se incluyó.');
  return withActor(db, actor, async (trx) => {
    const p = await trx
      .selectFrom('proposals')
      .select(['id', 'titulo', 'estado', 'element_id', 'action_id'])
      .where('id', '=', id)
      .where('municipality_id', '=', municipalityId)
      .executeTakeFirst();
    if (!p) throw new AppError('BRJ_ERR_NOT_FOUND', 'La propuesta no existe.');
    if (b.actionId) {
      const a = await trx
        .selectFrom('shared_poa_actions')
        .select('id')
        .where('id', '=', b.actionId)
        .where('municipality_id', '=', municipalityId)
        .executeTakeFirst();
      if (!a) throw new AppError('BRJ_ERR_VALIDATION', 'La acción del POA no existe en este municipio.');
    }
    if (b.elementId) {
      const e = await trx
        .selectFrom('shared_plan_elements')
        .select('id')
        .where('id', '=', b.elementId)
        .where('municipality_id', '=', municipalityId)
        .executeTakeFirst();
      if (!e) throw new AppError('BRJ_ERR_VALIDATION', 'El elemento del plan no existe en este municipio.');
    }
    const r = await trx
      .updateTable('proposals')
      .set({
        estado: b.estado,
        respuesta,
        ...(b.elementId !== undefined && { element_id: b.elementId }),
        ...(b.actionId !== undefined && { action_id: b.actionId }),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returning(['id', 'estado', 'respuesta', 'element_id', 'action_id'])
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('proposal_status_changes')
      .values({ municipality_id: municipalityId, proposal_id: id, estado: b.estado, respuesta, user_id: user.id })
      .execute();
    if (b.estado !== p.estado) {
      const followers = await trx.selectFrom('proposal_followers').select('user_id').where('proposal_id', '=', id).execute();
      await notify(
        trx,
        municipalityId,
        followers.map((f) => f.user_id),
        {
          titulo: `«${p.titulo}»: ${ESTADO_NOMBRE[b.estado]}`,
          cuerpo: respuesta || `La propuesta pasó a «${ESTADO_NOMBRE[b.estado]}».`,
          enlace: `/m/${municipalityId}/propuestas/${id}`,
        },
        publicUrl,
      );
    }
    return r;
  });
}

// ---------- files ----------
export async function assertFileTarget(db: Db, municipalityId: string, id: number, user: SessionUser) {
  const p = await db
    .selectFrom('proposals')
    .select(['user_id'])
    .where('id', '=', id)
    .where('municipality_id', '=', municipalityId)
    .executeTakeFirst();
  if (!p) throw new AppError('BRJ_ERR_NOT_FOUND', 'La propuesta no existe.');
  if (p.user_id !== user.id && !isModerator(user, municipalityId))
    throw new AppError('BRJ_ERR_FORBIDDEN', 'Solo quien hizo la propuesta puede adjuntar archivos.');
}

export async function addFile(db: Db, actor: Actor, municipalityId: string, id: number, file: { nombre: string; bytes: Buffer }) {
  const values = await checkFile(file.bytes, file.nombre, { images: true, pdf: true });
  return withActor(db, actor, async (trx) => {
    const n = await trx
      .selectFrom('proposal_files')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('proposal_id', '=', id)
      .executeTakeFirstOrThrow();
    if (n.n >= 6) throw new AppError('BRJ_ERR_VALIDATION', 'Una propuesta admite hasta 6 archivos.');
    return trx
      .insertInto('proposal_files')
      .values({
        municipality_id: municipalityId,
        proposal_id: id,
        nombre: file.nombre.slice(0, 200),
        bytes: values.contenido.length,
        ...values,
      })
      .returning(['id', 'tipo', 'nombre', 'mime', 'bytes', 'ancho', 'alto'])
      .executeTakeFirstOrThrow();
  });
}

export async function getFile(db: Db, municipalityId: string, id: number, fileId: number, user: SessionUser | null, thumb: boolean) {
  const f = await db
    .selectFrom('proposal_files as f')
    .innerJoin('proposals as p', 'p.id', 'f.proposal_id')
    .select(['f.nombre', 'f.mime', 'f.contenido', 'f.miniatura', 'p.oculto', 'p.user_id'])
    .where('f.id', '=', fileId)
    .where('f.proposal_id', '=', id)
    .where('p.municipality_id', '=', municipalityId)
    .executeTakeFirst();
  if (!f || (f.oculto && !isModerator(user, municipalityId) && f.user_id !== user?.id))
    throw new AppError('BRJ_ERR_NOT_FOUND', 'El archivo no existe.');
  return { nombre: f.nombre, ...imageVariant(f, thumb) };
}

/** Where a POA action came from: the visible proposals linked to it and the budget projects it executes. */
export async function actionOrigins(db: Db, municipalityId: string, actionId: number) {
  const [propuestas, proyectos] = await Promise.all([
    visible(db, municipalityId)
      .select(['p.id', 'p.titulo', 'p.estado', 'p.apoyos'])
      .where('p.action_id', '=', actionId)
      .orderBy('p.id')
      .execute(),
    db
      .selectFrom('pb_projects as x')
      .innerJoin('pb_processes as p', 'p.id', 'x.process_id')
      .innerJoin('pb_results as r', 'r.project_id', 'x.id')
      .select(['x.id', 'x.titulo', 'x.process_id', 'p.titulo as proceso', 'r.votos'])
      .where('x.action_id', '=', actionId)
      .where('x.municipality_id', '=', municipalityId)
      .execute(),
  ]);
  return { propuestas, proyectos };
}
