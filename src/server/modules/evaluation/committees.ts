import type { Kysely } from 'kysely';
import { withActor, type Actor } from '../../db/connection.ts';
import type { DB, Sexo } from '../../db/types.ts';
import { AppError } from '../../errors.ts';

/** Contraloría social committees with their members (share of women), the works they watch and their reports. */
export async function list(db: Kysely<DB>, municipalityId: string) {
  const committees = await db
    .selectFrom('social_committees')
    .select(['id', 'nombre', 'constituido', 'validado', 'is_demo'])
    .where('municipality_id', '=', municipalityId)
    .orderBy('nombre')
    .execute();
  if (!committees.length) return [];
  const ids = committees.map((c) => c.id);
  const [members, works, reports] = await Promise.all([
    db
      .selectFrom('committee_members')
      .select(['committee_id', 'nombre', 'sexo', 'cargo'])
      .where('committee_id', 'in', ids)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('committee_works as w')
      .innerJoin('shared_poa_actions as a', 'a.id', 'w.action_id')
      .select(['w.committee_id', 'a.id', 'a.clave', 'a.nombre', 'a.avance_fisico'])
      .where('w.committee_id', 'in', ids)
      .where('a.publicado', '=', true)
      .execute(),
    db
      .selectFrom('committee_reports')
      .select(['id', 'committee_id', 'action_id', 'fecha', 'tipo', 'texto', 'estado', 'respuesta'])
      .where('committee_id', 'in', ids)
      .orderBy('fecha', 'desc')
      .execute(),
  ]);
  return committees.map((c) => {
    const m = members.filter((x) => x.committee_id === c.id);
    return {
      ...c,
      integrantes: m.map(({ committee_id: _, ...x }) => x),
      porcentajeMujeres: m.length ? Math.round((m.filter((x) => x.sexo === 'mujer').length / m.length) * 1000) / 10 : null,
      obras: works
        .filter((w) => w.committee_id === c.id)
        .map(({ committee_id: _, ...w }) => ({ ...w, avance_fisico: Number(w.avance_fisico) })),
      informes: reports.filter((r) => r.committee_id === c.id).map(({ committee_id: _, ...r }) => r),
      pendientes: reports.filter((r) => r.committee_id === c.id && r.estado !== 'atendido').length,
    };
  });
}

export interface CommitteeInput {
  nombre: string;
  constituido: string;
  validado?: boolean;
  integrantes: { nombre: string; sexo: Sexo; cargo?: string }[];
  obras: number[];
  isDemo?: boolean;
}

async function assertWorks(db: Kysely<DB>, municipalityId: string, ids: number[]) {
  if (!ids.length) return;
  const found = await db
    .selectFrom('shared_poa_actions')
    .select('id')
    .where('municipality_id', '=', municipalityId)
    .where('id', 'in', ids)
    .execute();
  if (found.length !== new Set(ids).size) throw new AppError('BRJ_ERR_VALIDATION', 'Alguna obra no es de este municipio.');
}

/** Registers a committee with its members and the works it watches (planners). */
export async function create(db: Kysely<DB>, actor: Actor, municipalityId: string, b: CommitteeInput) {
  if (!b.integrantes.length) throw new AppError('BRJ_ERR_VALIDATION', 'Registre al menos a una persona integrante del comité.');
  await assertWorks(db, municipalityId, b.obras);
  return withActor(db, actor, async (trx) => {
    const c = await trx
      .insertInto('social_committees')
      .values({
        municipality_id: municipalityId,
        nombre: b.nombre.trim(),
        constituido: b.constituido,
        validado: b.validado ?? false,
        is_demo: b.isDemo ?? false,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('committee_members')
      .values(
        b.integrantes.map((m) => ({
          municipality_id: municipalityId,
          committee_id: c.id,
          nombre: m.nombre.trim(),
          sexo: m.sexo,
          cargo: m.cargo ?? 'integrante',
        })),
      )
      .execute();
    if (b.obras.length)
      await trx
        .insertInto('committee_works')
        .values([...new Set(b.obras)].map((a) => ({ municipality_id: municipalityId, committee_id: c.id, action_id: a })))
        .execute();
    return c;
  });
}

export async function update(
  db: Kysely<DB>,
  actor: Actor,
  municipalityId: string,
  id: number,
  b: { validado?: boolean; obras?: number[] },
) {
  if (b.obras) await assertWorks(db, municipalityId, b.obras);
  return withActor(db, actor, async (trx) => {
    const c = await trx
      .selectFrom('social_committees')
      .select('id')
      .where('id', '=', id)
      .where('municipality_id', '=', municipalityId)
      .executeTakeFirst();
    if (!c) throw new AppError('BRJ_ERR_NOT_FOUND', 'El comité no existe.');
    if (b.validado !== undefined) await trx.updateTable('social_committees').set({ validado: b.validado }).where('id', '=', id).execute();
    if (b.obras) {
      await trx.deleteFrom('committee_works').where('committee_id', '=', id).execute();
      if (b.obras.length)
        await trx
          .insertInto('committee_works')
          .values([...new Set(b.obras)].map((a) => ({ municipality_id: municipalityId, committee_id: id, action_id: a })))
          .execute();
    }
    return { id };
  });
}

/** A committee's report or finding, registered by staff on the committee's behalf. */
export async function addReport(
  db: Kysely<DB>,
  actor: Actor,
  municipalityId: string,
  id: number,
  b: { fecha: string; tipo: 'informe' | 'hallazgo' | 'queja'; texto: string; actionId?: number | null },
) {
  const c = await db
    .selectFrom('social_committees')
    .select('id')
    .where('id', '=', id)
    .where('municipality_id', '=', municipalityId)
    .executeTakeFirst();
  if (!c) throw new AppError('BRJ_ERR_NOT_FOUND', 'El comité no existe.');
  if (b.actionId) {
    const w = await db
      .selectFrom('committee_works')
      .select('action_id')
      .where('committee_id', '=', id)
      .where('action_id', '=', b.actionId)
      .executeTakeFirst();
    if (!w) throw new AppError('BRJ_ERR_VALIDATION', 'El comité no vigila esa obra.');
  }
  return withActor(db, actor, (trx) =>
    trx
      .insertInto('committee_reports')
      .values({
        municipality_id: municipalityId,
        committee_id: id,
        action_id: b.actionId ?? null,
        fecha: b.fecha,
        tipo: b.tipo,
        texto: b.texto.trim(),
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
}

/** Follow-up of a finding: its state and the municipality's answer. */
export async function answerReport(
  db: Kysely<DB>,
  actor: Actor,
  municipalityId: string,
  reportId: number,
  b: { estado: 'abierto' | 'en_atencion' | 'atendido'; respuesta?: string },
) {
  if (b.estado === 'atendido' && (b.respuesta ?? '').trim().length < 3)
    throw new AppError('BRJ_ERR_VALIDATION', 'Para dar por atendido un hallazgo escriba la respuesta.');
  return withActor(db, actor, async (trx) => {
    const r = await trx
      .updateTable('committee_reports')
      .set({ estado: b.estado, ...(b.respuesta !== undefined && { respuesta: b.respuesta.trim() }), updated_at: new Date() })
      .where('id', '=', reportId)
      .where('municipality_id', '=', municipalityId)
      .returning(['id', 'estado'])
      .executeTakeFirst();
    if (!r) throw new AppError('BRJ_ERR_NOT_FOUND', 'El informe del comité no existe.');
    return r;
  });
}
