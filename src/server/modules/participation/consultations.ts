import { sql } from 'kysely';
import { withActor, type Actor } from '../../db/connection.ts';
import { AppError } from '../../errors.ts';
import { hasRole, type SessionUser } from '../../plugins/auth.ts';
import { commentSummary } from '../plans/api.ts';
import { assertNotBlocked, assertResident, plain, type Db } from './common.ts';

const isPlanner = (user: SessionUser | null, municipalityId: string) => hasRole(user, ['planner'], municipalityId);

export interface QuestionInput {
  tipo: 'unica' | 'multiple' | 'abierta';
  texto: string;
  opciones?: string[];
  obligatoria?: boolean;
}
export interface ConsultationInput {
  titulo: string;
  descripcion?: string;
  planId?: number | null;
  inicio?: string | null;
  fin?: string | null;
  soloResidentes?: boolean;
  preguntas: QuestionInput[];
  isDemo?: boolean;
}

function checkQuestions(qs: QuestionInput[]) {
  if (qs.length === 0) throw new AppError('BRJ_ERR_VALIDATION', 'Agregue al menos una pregunta.');
  qs.forEach((q, i) => {
    if (plain(q.texto).length < 3) throw new AppError('BRJ_ERR_VALIDATION', `Escriba el texto de la pregunta ${i + 1}.`);
    const ops = (q.opciones ?? []).map(plain).filter(Boolean);
    if (q.tipo !== 'abierta' && ops.length < 2)
      throw new AppError('BRJ_ERR_VALIDATION', `La pregunta ${i + 1} necesita al menos dos opciones.`);
    if (new Set(ops).size !== ops.length) throw new AppError('BRJ_ERR_VALIDATION', `La pregunta ${i + 1} repite una opción.`);
  });
}

export async function create(db: Db, actor: Actor, municipalityId: string, b: ConsultationInput) {
  checkQuestions(b.preguntas);
  if (b.planId) {
    const p = await db
      .selectFrom('shared_plans')
      .select('id')
      .where('id', '=', b.planId)
      .where('municipality_id', '=', municipalityId)
      .executeTakeFirst();
    if (!p) throw new AppError('BRJ_ERR_VALIDATION', 'El plan no existe en este municipio.');
  }
  return withActor(db, actor, async (trx) => {
    const c = await trx
      .insertInto('consultations')
      .values({
        municipality_id: municipalityId,
        titulo: plain(b.titulo),
        descripcion: b.descripcion ?? '',
        plan_id: b.planId ?? null,
        inicio: b.inicio ?? null,
        fin: b.fin ?? null,
        solo_residentes: b.soloResidentes ?? false,
        is_demo: b.isDemo ?? false,
      })
      .returning(['id', 'estado'])
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('consultation_questions')
      .values(
        b.preguntas.map((q, i) => ({
          municipality_id: municipalityId,
          consultation_id: c.id,
          posicion: i,
          tipo: q.tipo,
          texto: plain(q.texto),
          opciones: q.tipo === 'abierta' ? [] : (q.opciones ?? []).map(plain).filter(Boolean),
          obligatoria: q.obligatoria ?? true,
        })),
      )
      .execute();
    return c;
  });
}

export async function list(db: Db, municipalityId: string, user: SessionUser | null) {
  let q = db
    .selectFrom('consultations as c')
    .leftJoin('shared_plans as p', 'p.id', 'c.plan_id')
    .select([
      'c.id',
      'c.titulo',
      'c.descripcion',
      'c.estado',
      'c.inicio',
      'c.fin',
      'c.plan_id',
      'p.titulo as plan',
      'c.solo_residentes',
      'c.is_demo',
    ])
    .select(sql<number>`(select count(*)::int from consultation_responses r where r.consultation_id = c.id)`.as('respuestas'))
    .where('c.municipality_id', '=', municipalityId)
    .orderBy(sql`case c.estado when 'abierta' then 0 when 'borrador' then 1 else 2 end`)
    .orderBy('c.id', 'desc');
  if (!isPlanner(user, municipalityId)) q = q.where('c.estado', '<>', 'borrador');
  return q.execute();
}

async function row(db: Db, municipalityId: string, id: number, user: SessionUser | null) {
  const c = await db
    .selectFrom('consultations as c')
    .leftJoin('shared_plans as p', 'p.id', 'c.plan_id')
    .select([
      'c.id',
      'c.titulo',
      'c.descripcion',
      'c.estado',
      'c.inicio',
      'c.fin',
      'c.plan_id',
      'p.titulo as plan',
      'p.estado as plan_estado',
      'c.solo_residentes',
      'c.is_demo',
    ])
    .where('c.id', '=', id)
    .where('c.municipality_id', '=', municipalityId)
    .executeTakeFirst();
  if (!c || (c.estado === 'borrador' && !isPlanner(user, municipalityId)))
    throw new AppError('BRJ_ERR_NOT_FOUND', 'La consulta no existe.');
  return c;
}

export async function get(db: Db, municipalityId: string, id: number, user: SessionUser | null) {
  const c = await row(db, municipalityId, id, user);
  const preguntas = await db
    .selectFrom('consultation_questions')
    .select(['id', 'tipo', 'texto', 'opciones', 'obligatoria'])
    .where('consultation_id', '=', id)
    .orderBy('posicion')
    .execute();
  const respondida = user
    ? !!(await db
        .selectFrom('consultation_responses')
        .select('id')
        .where('consultation_id', '=', id)
        .where('user_id', '=', user.id)
        .executeTakeFirst())
    : false;
  return { ...c, preguntas, respondida, editable: isPlanner(user, municipalityId) };
}

export async function setState(db: Db, actor: Actor, municipalityId: string, id: number, estado: 'abierta' | 'cerrada') {
  return withActor(db, actor, async (trx) => {
    const c = await trx
      .selectFrom('consultations')
      .select(['estado'])
      .where('id', '=', id)
      .where('municipality_id', '=', municipalityId)
      .executeTakeFirst();
    if (!c) throw new AppError('BRJ_ERR_NOT_FOUND', 'La consulta no existe.');
    const ok = (c.estado === 'borrador' && estado === 'abierta') || (c.estado === 'abierta' && estado === 'cerrada');
    if (!ok) throw new AppError('BRJ_ERR_CONFLICT', `Una consulta ${c.estado} no puede pasar a ${estado}.`);
    return trx.updateTable('consultations').set({ estado }).where('id', '=', id).returning(['id', 'estado']).executeTakeFirstOrThrow();
  });
}

/** One response per person; every required question answered, options within range. */
export async function respond(
  db: Db,
  actor: Actor,
  municipalityId: string,
  id: number,
  user: SessionUser,
  respuestas: { preguntaId: number; opciones?: number[]; texto?: string }[],
) {
  const c = await get(db, municipalityId, id, user);
  if (c.estado !== 'abierta') throw new AppError('BRJ_ERR_CONFLICT', 'La consulta no está abierta.');
  const today = new Date().toISOString().slice(0, 10);
  if ((c.inicio && today < c.inicio) || (c.fin && today > c.fin))
    throw new AppError('BRJ_ERR_CONFLICT', 'La consulta está fuera de sus fechas.');
  if (c.solo_residentes) await assertResident(db, municipalityId, user);
  await assertNotBlocked(db, municipalityId, user.id);
  const byQ = new Map(respuestas.map((r) => [r.preguntaId, r]));
  const rows: { question_id: number; opciones: number[]; texto: string | null }[] = [];
  for (const q of c.preguntas) {
    const r = byQ.get(q.id);
    const opciones = [...new Set(r?.opciones ?? [])];
    const texto = r?.texto?.trim() || null;
    const empty = q.tipo === 'abierta' ? !texto : opciones.length === 0;
    if (empty) {
      if (q.obligatoria) throw new AppError('BRJ_ERR_VALIDATION', `Responda la pregunta «${q.texto}».`);
      continue;
    }
    if (q.tipo !== 'abierta') {
      if (opciones.some((o) => !Number.isInteger(o) || o < 0 || o >= q.opciones.length))
        throw new AppError('BRJ_ERR_VALIDATION', `Una opción elegida en «${q.texto}» no existe.`);
      if (q.tipo === 'unica' && opciones.length > 1) throw new AppError('BRJ_ERR_VALIDATION', `En «${q.texto}» elija una sola opción.`);
    }
    rows.push({ question_id: q.id, opciones: q.tipo === 'abierta' ? [] : opciones, texto: q.tipo === 'abierta' ? texto : null });
  }
  const unknown = respuestas.find((r) => !c.preguntas.some((q) => q.id === r.preguntaId));
  if (unknown) throw new AppError('BRJ_ERR_VALIDATION', 'Una respuesta no corresponde a las preguntas de esta consulta.');
  return withActor(db, actor, async (trx) => {
    const r = await trx
      .insertInto('consultation_responses')
      .values({ municipality_id: municipalityId, consultation_id: id, user_id: user.id })
      .onConflict((oc) => oc.columns(['consultation_id', 'user_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!r) throw new AppError('BRJ_ERR_CONFLICT', 'Usted ya respondió esta consulta. Gracias por participar.');
    if (rows.length)
      await trx
        .insertInto('consultation_answers')
        .values(rows.map((x) => ({ municipality_id: municipalityId, response_id: r.id, ...x })))
        .execute();
    return { message: 'Respuesta registrada. Gracias por participar.' };
  });
}

/** Counts per option and the open answers (without names), plus the plan's comment summary. */
export async function results(db: Db, municipalityId: string, id: number, user: SessionUser | null) {
  const c = await get(db, municipalityId, id, user);
  const total = (
    await db
      .selectFrom('consultation_responses')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('consultation_id', '=', id)
      .executeTakeFirstOrThrow()
  ).n;
  const answers = await db
    .selectFrom('consultation_answers as a')
    .innerJoin('consultation_responses as r', 'r.id', 'a.response_id')
    .select(['a.question_id', 'a.opciones', 'a.texto'])
    .where('r.consultation_id', '=', id)
    .orderBy('r.id')
    .execute();
  const preguntas = c.preguntas.map((q) => {
    const mine = answers.filter((a) => a.question_id === q.id);
    return {
      id: q.id,
      tipo: q.tipo,
      texto: q.texto,
      respuestas: mine.length,
      opciones: q.opciones.map((o, i) => ({ opcion: o, votos: mine.filter((a) => a.opciones.map(Number).includes(i)).length })),
      abiertas: q.tipo === 'abierta' ? mine.map((a) => a.texto!).filter(Boolean) : [],
    };
  });
  const comentariosPlan = c.plan_id ? await commentSummary(db, c.plan_id) : [];
  return {
    id: c.id,
    titulo: c.titulo,
    estado: c.estado,
    plan_id: c.plan_id,
    plan: c.plan,
    participantes: total,
    preguntas,
    comentariosPlan,
  };
}
