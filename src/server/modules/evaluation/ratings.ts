import { sql, type Kysely } from 'kysely';
import { withActor, type Actor } from '../../db/connection.ts';
import type { DB } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import type { SessionUser } from '../../plugins/auth.ts';
import { assertNotBlocked, assertResident } from '../participation/api.ts';
import { checkFile, imageVariant } from '../../files.ts';

type Db = Kysely<DB>;
const DIMENSIONES = ['calidad', 'utilidad', 'oportunidad'] as const;

async function finishedWork(db: Db, municipalityId: string, actionId: number) {
  const a = await db
    .selectFrom('shared_poa_actions')
    .select(['id', 'tipo', 'publicado', 'avance_fisico'])
    .where('id', '=', actionId)
    .where('municipality_id', '=', municipalityId)
    .executeTakeFirst();
  if (!a?.publicado) throw new AppError('BRJ_ERR_NOT_FOUND', 'La obra no existe o no está publicada.');
  return a;
}

/** Averages, the distribution of each dimension and the comments (newest first). */
export async function summary(db: Db, municipalityId: string, actionId: number, user: SessionUser | null) {
  const a = await finishedWork(db, municipalityId, actionId);
  const rows = await db
    .selectFrom('work_ratings')
    .select(['id', 'calidad', 'utilidad', 'oportunidad', 'comentario', 'created_at', 'user_id', 'is_demo'])
    .where('action_id', '=', actionId)
    .where('oculto', '=', false)
    .orderBy('created_at', 'desc')
    .execute();
  const fotos = rows.length
    ? await db
        .selectFrom('work_rating_photos')
        .select('id')
        .where(
          'rating_id',
          'in',
          rows.map((r) => r.id),
        )
        .orderBy('id', 'desc')
        .limit(24)
        .execute()
    : [];
  const avg = (k: (typeof DIMENSIONES)[number]) =>
    rows.length ? Math.round((rows.reduce((s, r) => s + r[k], 0) / rows.length) * 100) / 100 : null;
  const dist = (k: (typeof DIMENSIONES)[number]) => [1, 2, 3, 4, 5].map((v) => rows.filter((r) => r[k] === v).length);
  return {
    terminada: Number(a.avance_fisico) >= 100,
    calificaciones: rows.length,
    promedios: { calidad: avg('calidad'), utilidad: avg('utilidad'), oportunidad: avg('oportunidad') },
    distribucion: { calidad: dist('calidad'), utilidad: dist('utilidad'), oportunidad: dist('oportunidad') },
    comentarios: rows
      .filter((r) => r.comentario)
      .slice(0, 50)
      .map((r) => ({ comentario: r.comentario, created_at: r.created_at })),
    fotos: fotos.map((f) => f.id),
    mia: user ? rows.some((r) => r.user_id === user.id) : false,
  };
}

/** A verified resident rates a finished work once (1–5 on quality, usefulness and timeliness). */
export async function rate(
  db: Db,
  actor: Actor,
  municipalityId: string,
  actionId: number,
  user: SessionUser,
  b: { calidad: number; utilidad: number; oportunidad: number; comentario?: string },
) {
  const a = await finishedWork(db, municipalityId, actionId);
  if (a.tipo !== 'obra') throw new AppError('BRJ_ERR_VALIDATION', 'Solo se califican obras públicas.');
  if (Number(a.avance_fisico) < 100)
    throw new AppError('BRJ_ERR_CONFLICT', 'La obra aún no termina: se califica cuando su avance físico llega al 100 %.');
  await assertResident(db, municipalityId, user);
  await assertNotBlocked(db, municipalityId, user.id);
  return withActor(db, actor, async (trx) => {
    const r = await trx
      .insertInto('work_ratings')
      .values({
        municipality_id: municipalityId,
        action_id: actionId,
        user_id: user.id,
        calidad: b.calidad,
        utilidad: b.utilidad,
        oportunidad: b.oportunidad,
        comentario: (b.comentario ?? '').trim(),
      })
      .onConflict((oc) => oc.columns(['action_id', 'user_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!r) throw new AppError('BRJ_ERR_CONFLICT', 'Usted ya calificó esta obra. Gracias por su evaluación.');
    return r;
  });
}

/** Ratings of a set of actions, for scorecards: average of the three dimensions per action. */
export async function averagesFor(db: Db, actionIds: number[]) {
  if (!actionIds.length) return new Map<number, { promedio: number; n: number }>();
  const rows = await sql<{ action_id: number; promedio: number; n: number }>`
    select action_id, round(avg((calidad + utilidad + oportunidad) / 3.0), 2)::float8 as promedio, count(*)::int as n
      from work_ratings where action_id = any(${actionIds}::bigint[]) and not oculto group by action_id`.execute(db);
  return new Map(rows.rows.map((r) => [Number(r.action_id), { promedio: Number(r.promedio), n: r.n }]));
}

/** The municipality's rated works: overall average, the five best and the worst (never the same work in both lists). */
export async function overview(db: Db, municipalityId: string) {
  const rows = await sql<{ id: number; clave: string; nombre: string; promedio: number; n: number }>`
    select a.id, a.clave, a.nombre, round(avg((r.calidad + r.utilidad + r.oportunidad) / 3.0), 2)::float8 as promedio, count(*)::int as n
      from work_ratings r join shared_poa_actions a on a.id = r.action_id
     where r.municipality_id = ${municipalityId} and not r.oculto and a.publicado
     group by a.id, a.clave, a.nombre order by promedio desc, n desc`.execute(db);
  const n = rows.rows.reduce((s, r) => s + r.n, 0);
  const promedio = n ? Math.round((rows.rows.reduce((s, r) => s + r.promedio * r.n, 0) / n) * 100) / 100 : null;
  return {
    calificaciones: n,
    obras: rows.rows.length,
    promedio,
    mejores: rows.rows.slice(0, 5),
    peores: [...rows.rows].reverse().slice(0, Math.min(5, Math.max(0, rows.rows.length - 5))),
  };
}

/** A photo of the work, attached to the person's own rating (up to three), re-encoded without EXIF. */
export async function addPhoto(
  db: Db,
  actor: Actor,
  municipalityId: string,
  actionId: number,
  user: SessionUser,
  file: { nombre: string; bytes: Buffer },
) {
  const r = await db
    .selectFrom('work_ratings')
    .select('id')
    .where('action_id', '=', actionId)
    .where('user_id', '=', user.id)
    .where('municipality_id', '=', municipalityId)
    .executeTakeFirst();
  if (!r) throw new AppError('BRJ_ERR_CONFLICT', 'Primero califique la obra; las fotos acompañan su calificación.');
  const img = await checkFile(file.bytes, file.nombre, { images: true, pdf: false });
  return withActor(db, actor, async (trx) => {
    const n = await trx
      .selectFrom('work_rating_photos')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('rating_id', '=', r.id)
      .executeTakeFirstOrThrow();
    if (n.n >= 3) throw new AppError('BRJ_ERR_VALIDATION', 'Una calificación admite hasta 3 fotos.');
    return trx
      .insertInto('work_rating_photos')
      .values({
        municipality_id: municipalityId,
        rating_id: r.id,
        mime: img.mime,
        bytes: img.contenido.length,
        contenido: img.contenido,
        miniatura: img.miniatura,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
  });
}

/** Exists before an upload is read: only someone who rated the work may attach photos to it. */
export async function assertRated(db: Db, municipalityId: string, actionId: number, user: SessionUser) {
  const r = await db
    .selectFrom('work_ratings')
    .select('id')
    .where('action_id', '=', actionId)
    .where('user_id', '=', user.id)
    .where('municipality_id', '=', municipalityId)
    .executeTakeFirst();
  if (!r) throw new AppError('BRJ_ERR_CONFLICT', 'Primero califique la obra; las fotos acompañan su calificación.');
}

export async function photo(db: Db, municipalityId: string, id: number, thumb: boolean) {
  const p = await db
    .selectFrom('work_rating_photos as p')
    .innerJoin('work_ratings as r', 'r.id', 'p.rating_id')
    .select(['p.mime', 'p.contenido', 'p.miniatura'])
    .where('p.id', '=', id)
    .where('p.municipality_id', '=', municipalityId)
    .where('r.oculto', '=', false)
    .executeTakeFirst();
  if (!p) throw new AppError('BRJ_ERR_NOT_FOUND', 'La foto no existe.');
  return imageVariant(p, thumb);
}
