import { sql, type Kysely } from 'kysely';
import { withActor, type Actor } from '../../db/connection.ts';
import type { DB } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import { hasRole, type SessionUser } from '../../plugins/auth.ts';
import { getElement, getPlan } from './service.ts';

/** Comments of a plan (optionally one element). Hidden comments keep their public reason, not their text. */
export async function listComments(db: Kysely<DB>, municipalityId: string, planId: number, user: SessionUser | null, elementId?: number) {
  await getPlan(db, municipalityId, planId, user);
  const moderator = hasRole(user, ['planner'], municipalityId);
  let q = db
    .selectFrom('plan_comments as c')
    .innerJoin('shared_users as u', 'u.id', 'c.user_id')
    .innerJoin('plan_elements as e', 'e.id', 'c.element_id')
    .leftJoin('shared_users as r', 'r.id', 'c.respondido_por')
    .select([
      'c.id',
      'c.element_id',
      'e.codigo',
      'c.texto',
      'c.respuesta',
      'c.respondido_at',
      'c.oculto',
      'c.motivo_oculto',
      'c.created_at',
      'u.name as autor',
      'c.user_id',
      'r.name as respondido_por',
    ])
    .where('c.plan_id', '=', planId)
    .orderBy('c.created_at')
    .orderBy('c.id');
  if (elementId) q = q.where('c.element_id', '=', elementId);
  const rows = await q.execute();
  return rows.map((c) => ({
    ...c,
    texto: c.oculto && !moderator && c.user_id !== user?.id ? null : c.texto,
    mio: user !== null && c.user_id === user.id,
  }));
}

export async function addComment(
  db: Kysely<DB>,
  actor: Actor,
  municipalityId: string,
  planId: number,
  elementId: number,
  texto: string,
  user: SessionUser,
) {
  return withActor(db, actor, async (trx) => {
    const plan = await getPlan(trx, municipalityId, planId, user);
    if (plan.estado !== 'consulta')
      throw new AppError('BRJ_ERR_CONFLICT', 'Este plan no está en consulta pública: ya no recibe comentarios.');
    const e = await getElement(trx, elementId);
    if (e.plan_id !== planId) throw new AppError('BRJ_ERR_NOT_FOUND', 'El elemento no pertenece a este plan.');
    const clean = texto.replace(/\s+/g, ' ').trim();
    if (clean.length < 3) throw new AppError('BRJ_ERR_VALIDATION', 'Escriba su comentario (al menos 3 caracteres).');
    // A daily cap per person and plan stops floods that stay under the per-minute rate limit.
    const today = await trx
      .selectFrom('plan_comments')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('user_id', '=', user.id)
      .where('plan_id', '=', planId)
      .where('created_at', '>', sql<Date>`now() - interval '1 day'`)
      .executeTakeFirstOrThrow();
    if (today.n >= 50)
      throw new AppError(
        'BRJ_ERR_RATE_LIMITED',
        'Alcanzó el máximo de 50 comentarios por día en este plan. Gracias por participar; continúe mañana.',
      );
    return trx
      .insertInto('plan_comments')
      .values({ municipality_id: municipalityId, plan_id: planId, element_id: elementId, user_id: user.id, texto: clean })
      .returning(['id', 'element_id', 'texto', 'created_at'])
      .executeTakeFirstOrThrow();
  });
}

export async function moderateComment(
  db: Kysely<DB>,
  actor: Actor,
  municipalityId: string,
  planId: number,
  commentId: number,
  b: { respuesta?: string; oculto?: boolean; motivoOculto?: string },
  user: SessionUser,
) {
  return withActor(db, actor, async (trx) => {
    await getPlan(trx, municipalityId, planId, user);
    const c = await trx.selectFrom('plan_comments').select(['id', 'plan_id']).where('id', '=', commentId).executeTakeFirst();
    if (!c || c.plan_id !== planId) throw new AppError('BRJ_ERR_NOT_FOUND', 'El comentario no existe en este plan.');
    if (b.oculto && (b.motivoOculto ?? '').trim().length < 3)
      throw new AppError('BRJ_ERR_VALIDATION', 'Para ocultar un comentario escriba el motivo, que se mostrará públicamente.');
    return trx
      .updateTable('plan_comments')
      .set({
        ...(b.respuesta !== undefined && {
          respuesta: b.respuesta.trim() || null,
          respondido_por: b.respuesta.trim() ? user.id : null,
          respondido_at: b.respuesta.trim() ? new Date() : null,
        }),
        ...(b.oculto !== undefined && { oculto: b.oculto, motivo_oculto: b.oculto ? b.motivoOculto!.trim() : null }),
      })
      .where('id', '=', commentId)
      .returning(['id', 'respuesta', 'oculto', 'motivo_oculto'])
      .executeTakeFirstOrThrow();
  });
}

/** Per-element summary of the consultation, for the Consejo Ciudadano. */
export async function commentSummary(db: Kysely<DB>, planId: number) {
  return sql<{
    codigo: string;
    titulo: string;
    comentarios: number;
    visibles: number;
    ocultos: number;
    respondidos: number;
    participantes: number;
  }>`
    select e.codigo, e.titulo,
           count(c.id)::int as comentarios,
           count(c.id) filter (where not c.oculto)::int as visibles,
           count(c.id) filter (where c.oculto)::int as ocultos,
           count(c.id) filter (where c.respuesta is not null)::int as respondidos,
           count(distinct c.user_id)::int as participantes
      from plan_elements e join plan_comments c on c.element_id = e.id
     where e.plan_id = ${planId}
     group by e.id, e.codigo, e.titulo
     order by e.codigo`
    .execute(db)
    .then((r) => r.rows);
}
