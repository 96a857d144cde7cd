import { sql, type Kysely } from 'kysely';
import { withActor, type Actor } from '../../db/connection.ts';
import type { CouncilSector, DB, Resolucion, Sexo } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import { SECTOR_NOMBRE as SECTORES } from '../../../shared/catalogs.ts';

export { SECTORES };
import { hasRole, type SessionUser } from '../../plugins/auth.ts';
import { finishPdf, newPdf, pdfSafe, type Brand } from '../../pdf.ts';
import { institutionBrand } from '../setup/api.ts';
import type { ApprovalGate } from '../plans/api.ts';

type Db = Kysely<DB>;

export const RESOLUCION: Record<Resolucion, string> = {
  favorable: 'Favorable',
  favorable_con_observaciones: 'Favorable con observaciones',
  desfavorable: 'Desfavorable',
  sin_votos: 'Sin votos',
};
/** Seed 002: half of the members of participation bodies should be women. */
export const META_MUJERES = 50;

const today = () => new Date().toISOString().slice(0, 10);
const isStaff = (user: SessionUser | null, municipalityId: string) => hasRole(user, ['planner'], municipalityId);

/** Members in office on a date (default today). */
function inOffice(db: Db, municipalityId: string, on = today()) {
  return db
    .selectFrom('council_members as m')
    .where('m.municipality_id', '=', municipalityId)
    .where('m.inicio', '<=', on)
    .where((eb) => eb.or([eb('m.fin', 'is', null), eb('m.fin', '>=', on)]));
}

export async function members(db: Db, municipalityId: string) {
  const rows = await db
    .selectFrom('council_members')
    .select(['id', 'nombre', 'sector', 'sexo', 'cargo', 'inicio', 'fin', 'is_demo'])
    .where('municipality_id', '=', municipalityId)
    .orderBy(sql`case cargo when 'presidencia' then 0 when 'secretaria_tecnica' then 1 else 2 end`)
    .orderBy('nombre')
    .execute();
  const on = today();
  const active = rows.filter((r) => r.inicio <= on && (!r.fin || r.fin >= on));
  const mujeres = active.filter((r) => r.sexo === 'mujer').length;
  return {
    miembros: rows.map((r) => ({ ...r, activo: active.includes(r), sectorNombre: SECTORES[r.sector] })),
    paridad: {
      enFunciones: active.length,
      mujeres,
      porcentajeMujeres: active.length ? Math.round((mujeres / active.length) * 1000) / 10 : null,
      meta: META_MUJERES,
      cumple: active.length > 0 && (mujeres / active.length) * 100 >= META_MUJERES,
    },
    porSector: Object.fromEntries(Object.keys(SECTORES).map((s) => [s, active.filter((r) => r.sector === s).length])),
  };
}

export interface MemberInput {
  nombre: string;
  sector: CouncilSector;
  sexo: Sexo;
  cargo?: 'presidencia' | 'secretaria_tecnica' | 'consejero';
  inicio: string;
  fin?: string | null;
  email?: string | null;
  isDemo?: boolean;
}

export async function saveMember(db: Db, actor: Actor, municipalityId: string, b: MemberInput, id?: number) {
  if (b.fin && b.fin < b.inicio) throw new AppError('BRJ_ERR_VALIDATION', 'El periodo termina antes de empezar.');
  let userId: number | null = null;
  if (b.email) {
    const u = await db
      .selectFrom('shared_users')
      .select('id')
      .where(sql`lower(email)`, '=', b.email.trim().toLowerCase())
      .executeTakeFirst();
    if (!u)
      throw new AppError(
        'BRJ_ERR_NOT_FOUND',
        'No hay una cuenta con ese correo: la persona consejera debe registrarse primero para opinar y votar en Brújula.',
      );
    userId = u.id;
  }
  const values = {
    nombre: b.nombre.trim(),
    sector: b.sector,
    sexo: b.sexo,
    cargo: b.cargo ?? 'consejero',
    inicio: b.inicio,
    fin: b.fin ?? null,
    ...(b.email !== undefined && { user_id: userId }),
  };
  return withActor(db, actor, async (trx) => {
    if (values.cargo === 'presidencia') {
      const other = await inOffice(trx, municipalityId)
        .select('m.id')
        .where('m.cargo', '=', 'presidencia')
        .where('m.id', '<>', id ?? 0)
        .executeTakeFirst();
      if (other) throw new AppError('BRJ_ERR_CONFLICT', 'El Consejo ya tiene una presidencia en funciones.');
    }
    if (id) {
      const r = await trx
        .updateTable('council_members')
        .set(values)
        .where('id', '=', id)
        .where('municipality_id', '=', municipalityId)
        .returning(['id'])
        .executeTakeFirst();
      if (!r) throw new AppError('BRJ_ERR_NOT_FOUND', 'La persona consejera no existe.');
      return r;
    }
    return trx
      .insertInto('council_members')
      .values({ municipality_id: municipalityId, is_demo: b.isDemo ?? false, ...values })
      .returning(['id'])
      .executeTakeFirstOrThrow();
  });
}

/** The council member record of a signed-in person, if they are in office. */
async function memberOf(db: Db, municipalityId: string, user: SessionUser) {
  return inOffice(db, municipalityId).select(['m.id', 'm.cargo', 'm.nombre']).where('m.user_id', '=', user.id).executeTakeFirst();
}

// ---------- sessions ----------
export interface SessionInput {
  tipo?: 'ordinaria' | 'extraordinaria';
  fecha: string;
  lugar?: string;
  convocatoria?: string;
  items: {
    titulo: string;
    tipo: 'plan' | 'programa' | 'proyecto' | 'politica' | 'informe' | 'otro';
    planId?: number | null;
    programId?: number | null;
    actionId?: number | null;
    descripcion?: string;
  }[];
  isDemo?: boolean;
}

export async function createSession(db: Db, actor: Actor, municipalityId: string, b: SessionInput) {
  if (!b.items.length) throw new AppError('BRJ_ERR_VALIDATION', 'La convocatoria necesita un orden del día con al menos un asunto.');
  return withActor(db, actor, async (trx) => {
    for (const it of b.items) {
      if (
        it.planId &&
        !(await trx
          .selectFrom('shared_plans')
          .select('id')
          .where('id', '=', it.planId)
          .where('municipality_id', '=', municipalityId)
          .executeTakeFirst())
      )
        throw new AppError('BRJ_ERR_VALIDATION', `El plan del asunto «${it.titulo}» no es de este municipio.`);
      if (
        it.actionId &&
        !(await trx
          .selectFrom('shared_poa_actions')
          .select('id')
          .where('id', '=', it.actionId)
          .where('municipality_id', '=', municipalityId)
          .executeTakeFirst())
      )
        throw new AppError('BRJ_ERR_VALIDATION', `La acción del asunto «${it.titulo}» no es de este municipio.`);
      if (
        it.programId &&
        !(await trx
          .selectFrom('shared_poa_programs')
          .select('id')
          .where('id', '=', it.programId)
          .where('municipality_id', '=', municipalityId)
          .executeTakeFirst())
      )
        throw new AppError('BRJ_ERR_VALIDATION', `El programa del asunto «${it.titulo}» no es de este municipio.`);
    }
    // Sessions are numbered in order: two convocations at once wait for each other, never share a number.
    await sql`select pg_advisory_xact_lock(hashtext(${`council_sessions:${municipalityId}`}))`.execute(trx);
    const n = await trx
      .selectFrom('council_sessions')
      .select(sql<number>`coalesce(max(numero), 0) + 1`.as('n'))
      .where('municipality_id', '=', municipalityId)
      .executeTakeFirstOrThrow();
    const s = await trx
      .insertInto('council_sessions')
      .values({
        municipality_id: municipalityId,
        numero: n.n,
        tipo: b.tipo ?? 'ordinaria',
        fecha: new Date(b.fecha),
        lugar: b.lugar ?? '',
        convocatoria: b.convocatoria ?? '',
        is_demo: b.isDemo ?? false,
      })
      .returning(['id', 'numero'])
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('council_items')
      .values(
        b.items.map((it, i) => ({
          municipality_id: municipalityId,
          session_id: s.id,
          posicion: i,
          titulo: it.titulo.trim(),
          tipo: it.tipo,
          plan_id: it.planId ?? null,
          program_id: it.programId ?? null,
          action_id: it.actionId ?? null,
          descripcion: it.descripcion ?? '',
        })),
      )
      .execute();
    return s;
  });
}

export async function listSessions(db: Db, municipalityId: string) {
  return db
    .selectFrom('council_sessions as s')
    .select(['s.id', 's.numero', 's.tipo', 's.fecha', 's.lugar', 's.estado', 's.quorum', 's.miembros', 's.is_demo'])
    .select(sql<number>`(select count(*)::int from council_items i where i.session_id = s.id)`.as('asuntos'))
    .select(sql<number>`(select count(*)::int from council_attendance a where a.session_id = s.id and a.presente)`.as('presentes'))
    .where('s.municipality_id', '=', municipalityId)
    .orderBy('s.fecha', 'desc')
    .execute();
}

async function sessionRow(db: Db, municipalityId: string, id: number) {
  const s = await db
    .selectFrom('council_sessions')
    .select([
      'id',
      'numero',
      'tipo',
      'fecha',
      'lugar',
      'convocatoria',
      'estado',
      'miembros',
      'quorum',
      'abierta_at',
      'cerrada_at',
      'is_demo',
    ])
    .where('id', '=', id)
    .where('municipality_id', '=', municipalityId)
    .executeTakeFirst();
  if (!s) throw new AppError('BRJ_ERR_NOT_FOUND', 'La sesión del Consejo no existe.');
  return s;
}

/** A session with its agenda, attendance and agreements; opinions are public once it closes (to members and staff before). */
export async function getSession(db: Db, municipalityId: string, id: number, user: SessionUser | null) {
  const s = await sessionRow(db, municipalityId, id);
  const me = user ? await memberOf(db, municipalityId, user) : undefined;
  const seeOpinions = s.estado === 'cerrada' || !!me || isStaff(user, municipalityId);
  const [items, asistencia, acuerdos, opiniones] = await Promise.all([
    db
      .selectFrom('council_items as i')
      .leftJoin('shared_plans as p', 'p.id', 'i.plan_id')
      .select([
        'i.id',
        'i.posicion',
        'i.titulo',
        'i.tipo',
        'i.plan_id',
        'p.titulo as plan',
        'i.program_id',
        'i.action_id',
        'i.descripcion',
        'i.resolucion',
        'i.votos_favor',
        'i.votos_contra',
        'i.abstenciones',
      ])
      .where('i.session_id', '=', id)
      .orderBy('i.posicion')
      .execute(),
    db
      .selectFrom('council_members as m')
      .leftJoin('council_attendance as a', (j) => j.onRef('a.member_id', '=', 'm.id').on('a.session_id', '=', id))
      .select(['m.id as member_id', 'm.nombre', 'm.cargo', 'm.sector', 'm.sexo', 'a.presente'])
      .where('m.municipality_id', '=', municipalityId)
      .where('m.inicio', '<=', sql<string>`${s.fecha}::date`)
      .where((eb) => eb.or([eb('m.fin', 'is', null), eb('m.fin', '>=', sql<string>`${s.fecha}::date`)]))
      .orderBy('m.nombre')
      .execute(),
    db.selectFrom('council_agreements').selectAll().where('session_id', '=', id).orderBy('id').execute(),
    seeOpinions
      ? db
          .selectFrom('council_opinions as o')
          .innerJoin('council_items as i', 'i.id', 'o.item_id')
          .innerJoin('council_members as m', 'm.id', 'o.member_id')
          .select(['o.item_id', 'o.member_id', 'm.nombre', 'o.opinion', 'o.texto', 'o.voto', 'o.updated_at'])
          .where('i.session_id', '=', id)
          .orderBy('m.nombre')
          .execute()
      : [],
  ]);
  return {
    ...s,
    asuntos: items.map((i) => ({ ...i, opiniones: opiniones.filter((o) => o.item_id === i.id) })),
    asistencia,
    acuerdos,
    yo: me ? { memberId: me.id, cargo: me.cargo, presente: asistencia.find((a) => a.member_id === me.id)?.presente ?? false } : null,
    gestion: isStaff(user, municipalityId),
  };
}

export async function setAttendance(
  db: Db,
  actor: Actor,
  municipalityId: string,
  id: number,
  b: { memberId: number; presente: boolean }[],
) {
  const s = await sessionRow(db, municipalityId, id);
  if (s.estado === 'cerrada' || s.estado === 'cancelada')
    throw new AppError('BRJ_ERR_CONFLICT', 'La sesión ya terminó: su asistencia no cambia.');
  const ids = b.map((x) => x.memberId);
  const valid = ids.length
    ? await db.selectFrom('council_members').select('id').where('municipality_id', '=', municipalityId).where('id', 'in', ids).execute()
    : [];
  if (valid.length !== new Set(ids).size)
    throw new AppError('BRJ_ERR_VALIDATION', 'Alguna persona no es integrante del Consejo de este municipio.');
  await withActor(db, actor, async (trx) => {
    for (const x of b) {
      await trx
        .insertInto('council_attendance')
        .values({ municipality_id: municipalityId, session_id: id, member_id: x.memberId, presente: x.presente })
        .onConflict((oc) => oc.columns(['session_id', 'member_id']).doUpdateSet({ presente: x.presente, registrado_at: new Date() }))
        .execute();
    }
  });
}

/** The technical secretariat (planners) or the chair opens the session; it needs quorum: more than half of the members in office present. */
export async function openSession(db: Db, actor: Actor, municipalityId: string, id: number, user: SessionUser) {
  if (!isStaff(user, municipalityId) && (await memberOf(db, municipalityId, user))?.cargo !== 'presidencia')
    throw new AppError('BRJ_ERR_FORBIDDEN', 'La sesión la abre la presidencia del Consejo o la secretaría técnica.');
  return withActor(db, actor, async (trx) => {
    const s = await trx
      .selectFrom('council_sessions')
      .select(['estado', 'fecha'])
      .where('id', '=', id)
      .where('municipality_id', '=', municipalityId)
      .forUpdate()
      .executeTakeFirst();
    if (!s) throw new AppError('BRJ_ERR_NOT_FOUND', 'La sesión del Consejo no existe.');
    if (s.estado !== 'convocada') throw new AppError('BRJ_ERR_CONFLICT', `La sesión está ${s.estado}: solo se abre una sesión convocada.`);
    const day = new Date(s.fecha).toISOString().slice(0, 10);
    const inOfficeIds = (await inOffice(trx, municipalityId, day).select('m.id').execute()).map((m) => m.id);
    const presentes = inOfficeIds.length
      ? (
          await trx
            .selectFrom('council_attendance')
            .select(sql<number>`count(*)::int`.as('n'))
            .where('session_id', '=', id)
            .where('presente', '=', true)
            .where('member_id', 'in', inOfficeIds)
            .executeTakeFirstOrThrow()
        ).n
      : 0;
    const quorum = Math.floor(inOfficeIds.length / 2) + 1;
    if (presentes < quorum)
      throw new AppError(
        'BRJ_ERR_CONFLICT',
        `No hay quórum: están presentes ${presentes} de ${inOfficeIds.length} integrantes y se necesitan ${quorum}.`,
        { presentes, miembros: inOfficeIds.length, quorum },
      );
    return trx
      .updateTable('council_sessions')
      .set({ estado: 'abierta', miembros: inOfficeIds.length, quorum, abierta_at: new Date() })
      .where('id', '=', id)
      .returning(['id', 'estado', 'quorum', 'miembros'])
      .executeTakeFirstOrThrow();
  });
}

/** Only members of the council in office, present at an open session, record opinions and votes. */
export async function opine(
  db: Db,
  actor: Actor,
  municipalityId: string,
  id: number,
  itemId: number,
  user: SessionUser,
  b: { opinion: 'favorable' | 'con_observaciones' | 'desfavorable'; texto?: string; voto: 'a_favor' | 'en_contra' | 'abstencion' },
) {
  const me = await memberOf(db, municipalityId, user);
  if (!me)
    throw new AppError(
      'BRJ_ERR_FORBIDDEN',
      'Solo las personas integrantes del Consejo Ciudadano en funciones registran opiniones y votos.',
    );
  const s = await sessionRow(db, municipalityId, id);
  if (s.estado !== 'abierta') throw new AppError('BRJ_ERR_CONFLICT', 'Las opiniones y votos se registran con la sesión abierta.');
  const item = await db.selectFrom('council_items').select('id').where('id', '=', itemId).where('session_id', '=', id).executeTakeFirst();
  if (!item) throw new AppError('BRJ_ERR_NOT_FOUND', 'El asunto no está en el orden del día de esta sesión.');
  const present = await db
    .selectFrom('council_attendance')
    .select('presente')
    .where('session_id', '=', id)
    .where('member_id', '=', me.id)
    .executeTakeFirst();
  if (!present?.presente)
    throw new AppError(
      'BRJ_ERR_FORBIDDEN',
      'Su asistencia a esta sesión no está registrada: pida a la secretaría técnica que la registre.',
    );
  const texto = (b.texto ?? '').trim();
  if (b.opinion !== 'favorable' && texto.length < 3)
    throw new AppError('BRJ_ERR_VALIDATION', 'Explique sus observaciones o su opinión desfavorable.');
  return withActor(db, actor, (trx) =>
    trx
      .insertInto('council_opinions')
      .values({ municipality_id: municipalityId, item_id: itemId, member_id: me.id, opinion: b.opinion, texto, voto: b.voto })
      .onConflict((oc) =>
        oc.columns(['item_id', 'member_id']).doUpdateSet({ opinion: b.opinion, texto, voto: b.voto, updated_at: new Date() }),
      )
      .returning(['item_id', 'opinion', 'voto'])
      .executeTakeFirstOrThrow(),
  );
}

/** Majority of the votes cast; favourable with observations when any favourable vote came with observations. */
export function resolve(votes: { opinion: string; voto: string }[]): {
  resolucion: Resolucion;
  favor: number;
  contra: number;
  abst: number;
} {
  const favor = votes.filter((v) => v.voto === 'a_favor').length;
  const contra = votes.filter((v) => v.voto === 'en_contra').length;
  const abst = votes.filter((v) => v.voto === 'abstencion').length;
  if (favor + contra === 0) return { resolucion: 'sin_votos', favor, contra, abst };
  if (favor > contra) {
    const obs = votes.some((v) => v.voto === 'a_favor' && v.opinion === 'con_observaciones');
    return { resolucion: obs ? 'favorable_con_observaciones' : 'favorable', favor, contra, abst };
  }
  return { resolucion: 'desfavorable', favor, contra, abst };
}

/** The chair (presidencia) closes the session: each item's resolution is counted and the acta is generated. */
export async function closeSession(db: Db, actor: Actor, municipalityId: string, id: number, user: SessionUser, municipio: string) {
  const me = await memberOf(db, municipalityId, user);
  if (me?.cargo !== 'presidencia' && !hasRole(user, ['admin'], municipalityId))
    throw new AppError('BRJ_ERR_FORBIDDEN', 'Solo la presidencia del Consejo cierra la sesión.');
  return withActor(db, actor, (trx) => finalizeSession(trx, municipalityId, id, municipio));
}

/** Counts every item's resolution, closes the session and writes its acta (inside the caller's transaction). */
export async function finalizeSession(trx: Db, municipalityId: string, id: number, municipio: string) {
  const s = await trx
    .selectFrom('council_sessions')
    .select(['estado'])
    .where('id', '=', id)
    .where('municipality_id', '=', municipalityId)
    .forUpdate()
    .executeTakeFirst();
  if (!s) throw new AppError('BRJ_ERR_NOT_FOUND', 'La sesión del Consejo no existe.');
  if (s.estado !== 'abierta') throw new AppError('BRJ_ERR_CONFLICT', 'Solo se cierra una sesión abierta.');
  const items = await trx.selectFrom('council_items').select(['id']).where('session_id', '=', id).execute();
  for (const it of items) {
    const votes = await trx.selectFrom('council_opinions').select(['opinion', 'voto']).where('item_id', '=', it.id).execute();
    const r = resolve(votes);
    await trx
      .updateTable('council_items')
      .set({ resolucion: r.resolucion, votos_favor: r.favor, votos_contra: r.contra, abstenciones: r.abst })
      .where('id', '=', it.id)
      .execute();
  }
  await trx.updateTable('council_sessions').set({ estado: 'cerrada', cerrada_at: new Date() }).where('id', '=', id).execute();
  const full = await getSession(trx, municipalityId, id, null);
  await trx
    .updateTable('council_sessions')
    .set({ acta_pdf: await actaPdf(full, municipio, await institutionBrand(trx)) })
    .where('id', '=', id)
    .execute();
  return {
    id,
    estado: 'cerrada' as const,
    resoluciones: full.asuntos.map((a) => ({ id: a.id, titulo: a.titulo, resolucion: a.resolucion })),
  };
}

export async function addAgreement(
  db: Db,
  actor: Actor,
  municipalityId: string,
  id: number,
  b: { texto: string; responsable: string; fechaLimite?: string | null; itemId?: number | null },
) {
  await sessionRow(db, municipalityId, id);
  if (
    b.itemId &&
    !(await db.selectFrom('council_items').select('id').where('id', '=', b.itemId).where('session_id', '=', id).executeTakeFirst())
  )
    throw new AppError('BRJ_ERR_VALIDATION', 'El asunto no es de esta sesión.');
  return withActor(db, actor, (trx) =>
    trx
      .insertInto('council_agreements')
      .values({
        municipality_id: municipalityId,
        session_id: id,
        item_id: b.itemId ?? null,
        texto: b.texto.trim(),
        responsable: b.responsable.trim(),
        fecha_limite: b.fechaLimite ?? null,
      })
      .returning(['id'])
      .executeTakeFirstOrThrow(),
  );
}

export async function updateAgreement(
  db: Db,
  actor: Actor,
  municipalityId: string,
  agreementId: number,
  b: { estado: 'pendiente' | 'en_proceso' | 'cumplido' | 'cancelado'; seguimiento?: string },
) {
  return withActor(db, actor, async (trx) => {
    const r = await trx
      .updateTable('council_agreements')
      .set({ estado: b.estado, ...(b.seguimiento !== undefined && { seguimiento: b.seguimiento }), updated_at: new Date() })
      .where('id', '=', agreementId)
      .where('municipality_id', '=', municipalityId)
      .returning(['id', 'estado'])
      .executeTakeFirst();
    if (!r) throw new AppError('BRJ_ERR_NOT_FOUND', 'El acuerdo no existe.');
    return r;
  });
}

/** Agreements with their follow-up, overdue ones flagged. */
export async function agreements(db: Db, municipalityId: string) {
  const rows = await db
    .selectFrom('council_agreements as a')
    .innerJoin('council_sessions as s', 's.id', 'a.session_id')
    .select([
      'a.id',
      'a.item_id',
      'a.texto',
      'a.responsable',
      'a.fecha_limite',
      'a.estado',
      'a.seguimiento',
      'a.updated_at',
      's.numero as sesion',
      's.id as session_id',
    ])
    .where('a.municipality_id', '=', municipalityId)
    .orderBy('a.fecha_limite')
    .execute();
  const on = today();
  return rows.map((r) => ({ ...r, vencido: !!r.fecha_limite && r.fecha_limite < on && !['cumplido', 'cancelado'].includes(r.estado) }));
}

/** The council's resolutions on a plan (for the plan page and the validation gate). */
export async function planResolutions(db: Db, planId: number) {
  return db
    .selectFrom('council_items as i')
    .innerJoin('council_sessions as s', 's.id', 'i.session_id')
    .select([
      'i.id',
      'i.titulo',
      'i.resolucion',
      'i.votos_favor',
      'i.votos_contra',
      'i.abstenciones',
      's.id as session_id',
      's.numero',
      's.fecha',
      's.cerrada_at',
    ])
    .where('i.plan_id', '=', planId)
    .where('s.estado', '=', 'cerrada')
    .orderBy('s.fecha', 'desc')
    .execute();
}

export async function hasFavourableResolution(db: Db, planId: number) {
  return (await planResolutions(db, planId)).some((r) => r.resolucion === 'favorable' || r.resolucion === 'favorable_con_observaciones');
}

/** Passing the council's validation takes a favourable resolution of the Consejo Ciudadano on the plan. */
export const councilApprovalGate: ApprovalGate = async (db, planId) =>
  (await hasFavourableResolution(db, planId))
    ? null
    : 'El Consejo Ciudadano no ha emitido una resolución favorable sobre este plan: inclúyalo en el orden del día de una sesión y ciérrela con su votación.';

export async function acta(db: Db, municipalityId: string, id: number) {
  const s = await db
    .selectFrom('council_sessions')
    .select(['numero', 'acta_pdf'])
    .where('id', '=', id)
    .where('municipality_id', '=', municipalityId)
    .executeTakeFirst();
  if (!s?.acta_pdf) throw new AppError('BRJ_ERR_NOT_FOUND', 'El acta se genera al cerrar la sesión.');
  return { numero: s.numero, acta_pdf: s.acta_pdf };
}

type FullSession = Awaited<ReturnType<typeof getSession>>;
const fecha = (d: Date | string) =>
  new Intl.DateTimeFormat('es-MX', { dateStyle: 'long', timeStyle: 'short', timeZone: 'America/Mexico_City' }).format(new Date(d));
const VOTO: Record<string, string> = { a_favor: 'a favor', en_contra: 'en contra', abstencion: 'abstención' };
const OPINION: Record<string, string> = { favorable: 'favorable', con_observaciones: 'con observaciones', desfavorable: 'desfavorable' };

/** The minutes (acta) of a closed session: attendance and quorum, each item with opinions, votes and resolution, agreements. */
async function actaPdf(s: FullSession, municipio: string, brand: Brand): Promise<Buffer> {
  const title = `Acta de la sesión ${s.tipo} número ${s.numero} del Consejo Ciudadano`;
  const { doc, done, width } = await newPdf(title, `Municipio de ${municipio}`, brand);
  const t = pdfSafe;
  doc
    .font('Helvetica')
    .fontSize(11)
    .fillColor('#555')
    .text(t(`Consejo Ciudadano IMPLAN — ${municipio}`), { align: 'center' });
  doc.moveDown(0.5).font('Helvetica-Bold').fontSize(16).fillColor('#000').text(t(title), { align: 'center' });
  doc
    .moveDown(0.5)
    .font('Helvetica')
    .fontSize(10)
    .text(t(`${fecha(s.fecha)}${s.lugar ? ` · ${s.lugar}` : ''}`), { align: 'center' });
  const presentes = s.asistencia.filter((a) => a.presente);
  doc.moveDown(1).font('Helvetica-Bold').fontSize(12).text(t('Asistencia y quórum'));
  doc
    .font('Helvetica')
    .fontSize(10)
    .text(
      t(
        `Presentes ${presentes.length} de ${s.miembros ?? s.asistencia.length} integrantes en funciones; quórum requerido: ${s.quorum ?? '—'}.`,
      ),
    );
  doc.fontSize(9).text(t(presentes.map((a) => a.nombre).join(', ') || '—'), { width });
  doc.moveDown(1).font('Helvetica-Bold').fontSize(12).text(t('Orden del día y resoluciones'));
  for (const a of s.asuntos) {
    doc
      .moveDown(0.6)
      .font('Helvetica-Bold')
      .fontSize(11)
      .text(t(`${a.posicion + 1}. ${a.titulo}`));
    if (a.descripcion) doc.font('Helvetica').fontSize(9).text(t(a.descripcion), { width });
    doc
      .font('Helvetica')
      .fontSize(10)
      .text(
        t(
          `Resolución: ${a.resolucion ? RESOLUCION[a.resolucion] : '—'} (a favor ${a.votos_favor ?? 0}, en contra ${a.votos_contra ?? 0}, abstenciones ${a.abstenciones ?? 0}).`,
        ),
      );
    for (const o of a.opiniones)
      doc
        .fontSize(9)
        .fillColor('#333')
        .text(t(`• ${o.nombre}: opinión ${OPINION[o.opinion]}, voto ${VOTO[o.voto]}${o.texto ? `. ${o.texto}` : ''}`), 84, undefined, {
          width: width - 12,
        })
        .fillColor('#000');
  }
  if (s.acuerdos.length) {
    doc.moveDown(1).font('Helvetica-Bold').fontSize(12).text(t('Acuerdos'), 72);
    for (const g of s.acuerdos)
      doc
        .font('Helvetica')
        .fontSize(10)
        .text(
          t(`• ${g.texto} — Responsable: ${g.responsable}${g.fecha_limite ? `; fecha límite: ${g.fecha_limite}` : ''}.`),
          72,
          undefined,
          { width },
        );
  }
  finishPdf(doc, title);
  return done;
}
