import crypto from 'node:crypto';
import { sql } from 'kysely';
import { withActor, type Actor } from '../../db/connection.ts';
import type { PbFase } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import { FASE_NOMBRE } from '../../../shared/catalogs.ts';

import { hasRole, type SessionUser } from '../../plugins/auth.ts';
import { createAction } from '../programs/api.ts';
import { assertDailyCap, assertNotBlocked, assertResident, NOT_RESIDENT, placePoint, plain, pointSql, type Db } from './common.ts';

/** CONSUL's phases, in order. */
export const FASES: PbFase[] = ['borrador', 'propuestas', 'revision', 'costos', 'votacion', 'resultados', 'ejecucion', 'cerrado'];
export const TIE_RULE =
  'Los proyectos se ordenan por votos; a igualdad de votos va primero el de menor costo y, si persiste, el registrado primero. En ese orden se asigna el monto del territorio: un proyecto que ya no cabe en lo que queda se salta y se pasa al siguiente.';

const isPlanner = (user: SessionUser | null, municipalityId: string) => hasRole(user, ['planner'], municipalityId);
const money = (n: number) => new Intl.NumberFormat('es-MX', { style: 'currency', currency: 'MXN' }).format(n);
const costsPublic = (fase: PbFase) => FASES.indexOf(fase) >= FASES.indexOf('costos');

export interface ProcessInput {
  anio: number;
  titulo: string;
  descripcion?: string;
  estilo?: 'mochila' | 'aprobacion';
  maxVotos?: number | null;
  fechas?: Record<string, { inicio?: string; fin?: string }>;
  programId?: number | null;
  territorios: { nombre: string; unitId?: number | null; monto: number }[];
  isDemo?: boolean;
}

export async function listProcesses(db: Db, municipalityId: string, user: SessionUser | null) {
  let q = db
    .selectFrom('pb_processes as p')
    .select(['p.id', 'p.anio', 'p.titulo', 'p.descripcion', 'p.estilo', 'p.fase', 'p.fechas', 'p.is_demo'])
    .select(sql<number>`(select coalesce(sum(t.monto), 0) from pb_territories t where t.process_id = p.id)`.as('monto_total'))
    .select(sql<number>`(select count(*)::int from pb_projects x where x.process_id = p.id)`.as('proyectos'))
    .where('p.municipality_id', '=', municipalityId)
    .orderBy('p.anio', 'desc')
    .orderBy('p.id', 'desc');
  if (!isPlanner(user, municipalityId)) q = q.where('p.fase', '<>', 'borrador');
  return q.execute();
}

async function processRow(db: Db, municipalityId: string, id: number, user: SessionUser | null) {
  const p = await db
    .selectFrom('pb_processes')
    .selectAll()
    .where('id', '=', id)
    .where('municipality_id', '=', municipalityId)
    .executeTakeFirst();
  if (!p || (p.fase === 'borrador' && !isPlanner(user, municipalityId)))
    throw new AppError('BRJ_ERR_NOT_FOUND', 'El proceso de presupuesto participativo no existe.');
  return p;
}

async function checkTerritories(db: Db, municipalityId: string, ts: ProcessInput['territorios']) {
  if (ts.length === 0)
    throw new AppError('BRJ_ERR_VALIDATION', 'Defina al menos un territorio con su monto (colonia, zona o todo el municipio).');
  const names = new Set<string>();
  for (const t of ts) {
    const n = plain(t.nombre);
    if (names.has(n)) throw new AppError('BRJ_ERR_VALIDATION', `El territorio «${n}» aparece dos veces.`);
    names.add(n);
    if (!(t.monto > 0)) throw new AppError('BRJ_ERR_VALIDATION', `El monto de «${n}» debe ser mayor que cero.`);
    if (t.unitId) {
      const u = await db
        .selectFrom('shared_units')
        .select('id')
        .where('id', '=', t.unitId)
        .where('municipality_id', '=', municipalityId)
        .executeTakeFirst();
      if (!u) throw new AppError('BRJ_ERR_VALIDATION', `La unidad territorial de «${n}» no pertenece a este municipio.`);
    }
  }
}

/** Each phase's dates in order: a phase ends after it starts, and starts after the previous one ends. */
function checkDates(fechas: ProcessInput['fechas'] = {}) {
  let prev: { fase: string; fin: string } | null = null;
  for (const fase of FASES) {
    const f = fechas[fase];
    const nombre = FASE_NOMBRE[fase];
    if (!f) continue;
    if (f.inicio && f.fin && f.fin < f.inicio)
      throw new AppError('BRJ_ERR_VALIDATION', `La fase «${nombre}» termina (${f.fin}) antes de empezar (${f.inicio}).`);
    if (prev && f.inicio && f.inicio <= prev.fin)
      throw new AppError(
        'BRJ_ERR_VALIDATION',
        `La fase «${nombre}» empieza (${f.inicio}) antes de que termine «${prev.fase}» (${prev.fin}).`,
      );
    if (f.fin) prev = { fase: nombre, fin: f.fin };
  }
}

export async function createProcess(db: Db, actor: Actor, municipalityId: string, b: ProcessInput) {
  if (b.estilo === 'aprobacion' && !b.maxVotos)
    throw new AppError('BRJ_ERR_VALIDATION', 'En la votación por aprobación indique cuántos proyectos puede elegir cada persona.');
  checkDates(b.fechas);
  await checkTerritories(db, municipalityId, b.territorios);
  return withActor(db, actor, async (trx) => {
    if (b.programId) {
      const g = await trx
        .selectFrom('shared_poa_programs')
        .select('id')
        .where('id', '=', b.programId)
        .where('municipality_id', '=', municipalityId)
        .executeTakeFirst();
      if (!g) throw new AppError('BRJ_ERR_VALIDATION', 'El programa del POA no existe en este municipio.');
    }
    const p = await trx
      .insertInto('pb_processes')
      .values({
        municipality_id: municipalityId,
        anio: b.anio,
        titulo: plain(b.titulo),
        descripcion: b.descripcion ?? '',
        estilo: b.estilo ?? 'mochila',
        max_votos: b.estilo === 'aprobacion' ? (b.maxVotos ?? null) : null,
        fechas: JSON.stringify(b.fechas ?? {}),
        program_id: b.programId ?? null,
        is_demo: b.isDemo ?? false,
      })
      .returning(['id', 'fase'])
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('pb_territories')
      .values(
        b.territorios.map((t) => ({
          municipality_id: municipalityId,
          process_id: p.id,
          nombre: plain(t.nombre),
          unit_id: t.unitId ?? null,
          monto: t.monto,
        })),
      )
      .execute();
    return p;
  });
}

export async function getProcess(db: Db, municipalityId: string, id: number, user: SessionUser | null) {
  const p = await processRow(db, municipalityId, id, user);
  const planner = isPlanner(user, municipalityId);
  const [territorios, proyectos, resultados, votantes] = await Promise.all([
    db
      .selectFrom('pb_territories as t')
      .leftJoin('shared_units as u', 'u.id', 't.unit_id')
      .select(['t.id', 't.nombre', 't.unit_id', 't.monto', 'u.name as unidad', 'u.level as nivel'])
      .where('t.process_id', '=', id)
      .orderBy(sql`t.unit_id is not null`)
      .orderBy('t.nombre')
      .execute(),
    db
      .selectFrom('pb_projects as x')
      .leftJoin('shared_poa_actions as a', 'a.id', 'x.action_id')
      .select([
        'x.id',
        'x.territory_id',
        'x.titulo',
        'x.descripcion',
        'x.costo',
        'x.viable',
        'x.dictamen',
        'x.evaluadores',
        'x.seleccionado',
        'x.proposal_id',
        'x.action_id',
        'x.is_demo',
        'x.created_at',
        'a.avance_fisico',
        'a.clave as accion_clave',
        'a.publicado as accion_publicada',
      ])
      .select(sql<{ type: 'Point'; coordinates: [number, number] } | null>`st_asgeojson(x.geom, 6)::jsonb`.as('ubicacion'))
      .where('x.process_id', '=', id)
      .orderBy('x.territory_id')
      .orderBy('x.id')
      .execute(),
    db
      .selectFrom('pb_results')
      .select(['territory_id', 'project_id', 'votos', 'posicion', 'seleccionado', 'motivo'])
      .where('process_id', '=', id)
      .orderBy('territory_id')
      .orderBy('posicion')
      .execute(),
    sql<{
      territory_id: number;
      n: number;
    }>`select territory_id, count(*)::int as n from pb_voters where process_id = ${id} group by territory_id`
      .execute(db)
      .then((r) => r.rows),
  ]);
  const showCosts = costsPublic(p.fase) || planner;
  const { ballot_salt: _salt, ...proc } = p;
  return {
    ...proc,
    reglaEmpate: TIE_RULE,
    editable: planner,
    territorios: territorios.map((t) => ({ ...t, votantes: votantes.find((v) => v.territory_id === t.id)?.n ?? 0 })),
    proyectos: proyectos.map((x) => ({
      ...x,
      costo: showCosts ? x.costo : null,
      evaluadores: planner ? x.evaluadores.map(Number) : undefined,
      // Planners review every project; an assigned evaluator reviews theirs.
      revisable: planner || (!!user && x.evaluadores.map(Number).includes(user.id)),
      // Progress of a winner shows once its POA action is public.
      avance_fisico: x.action_id && (x.accion_publicada || planner) ? x.avance_fisico : null,
      accion_publicada: undefined,
      votos: resultados.find((r) => r.project_id === x.id)?.votos ?? null,
    })),
    resultados,
  };
}

export async function setPhase(db: Db, actor: Actor, municipalityId: string, id: number, fase: PbFase) {
  return withActor(db, actor, async (trx) => {
    const p = await trx
      .selectFrom('pb_processes')
      .selectAll()
      .where('id', '=', id)
      .where('municipality_id', '=', municipalityId)
      .forUpdate()
      .executeTakeFirst();
    if (!p) throw new AppError('BRJ_ERR_NOT_FOUND', 'El proceso no existe.');
    const from = FASES.indexOf(p.fase);
    const to = FASES.indexOf(fase);
    if (to !== from + 1)
      throw new AppError(
        'BRJ_ERR_CONFLICT',
        `El proceso está en «${FASE_NOMBRE[p.fase]}»: solo puede pasar a «${from + 1 < FASES.length ? FASE_NOMBRE[FASES[from + 1]] : '—'}». Las fases no se saltan ni se regresan.`,
      );
    if (fase === 'costos') {
      const pending = await trx
        .selectFrom('pb_projects')
        .select('titulo')
        .where('process_id', '=', id)
        .where((eb) => eb.or([eb('viable', 'is', null), eb.and([eb('viable', '=', true), eb('costo', 'is', null)])]))
        .execute();
      if (pending.length)
        throw new AppError(
          'BRJ_ERR_CONFLICT',
          `Falta la revisión técnica (viabilidad y costo) de ${pending.length} proyecto(s), p. ej. «${pending[0].titulo}».`,
        );
    }
    if (fase === 'votacion') {
      const n = await trx
        .selectFrom('pb_projects')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('process_id', '=', id)
        .where('viable', '=', true)
        .executeTakeFirstOrThrow();
      if (n.n === 0) throw new AppError('BRJ_ERR_CONFLICT', 'No hay proyectos viables con costo para votar.');
    }
    await trx
      .updateTable('pb_processes')
      .set({ fase, ...(fase === 'votacion' && { ballot_salt: crypto.randomBytes(32).toString('hex') }) })
      .where('id', '=', id)
      .execute();
    if (fase === 'resultados') await publishResults(trx, municipalityId, id);
    return { id, fase };
  });
}

export interface ResultRow {
  territory_id: number;
  project_id: number;
  votos: number;
  posicion: number;
  seleccionado: boolean;
  motivo: string;
}

/** The count, from the stored ballots only: anyone can run it again and must get the same result. */
export async function count(db: Db, processId: number): Promise<ResultRow[]> {
  const rows = await sql<{ territory_id: number; project_id: number; costo: number; votos: number; monto: number }>`
    select x.territory_id, x.id as project_id, x.costo, t.monto,
           (select count(*)::int from pb_ballots b where b.process_id = x.process_id and b.territory_id = x.territory_id and x.id = any (b.proyectos)) as votos
      from pb_projects x join pb_territories t on t.id = x.territory_id
     where x.process_id = ${processId} and x.viable and x.costo is not null
     order by x.territory_id, votos desc, x.costo asc, x.id asc`
    .execute(db)
    .then((r) => r.rows);
  const out: ResultRow[] = [];
  const left = new Map<number, number>();
  const pos = new Map<number, number>();
  for (const r of rows) {
    if (!left.has(r.territory_id)) left.set(r.territory_id, Number(r.monto));
    const posicion = (pos.get(r.territory_id) ?? 0) + 1;
    pos.set(r.territory_id, posicion);
    const costo = Number(r.costo);
    const remaining = left.get(r.territory_id)!;
    let seleccionado = false;
    let motivo = '';
    if (r.votos === 0) motivo = 'Sin votos';
    else if (costo <= remaining + 0.001) {
      seleccionado = true;
      left.set(r.territory_id, Math.round((remaining - costo) * 100) / 100);
    } else motivo = `No cabe en el monto restante (${money(remaining)})`;
    out.push({ territory_id: r.territory_id, project_id: r.project_id, votos: r.votos, posicion, seleccionado, motivo });
  }
  return out;
}

export async function publishResults(trx: Db, municipalityId: string, processId: number) {
  const rows = await count(trx, processId);
  await trx.deleteFrom('pb_results').where('process_id', '=', processId).execute();
  if (rows.length)
    await trx
      .insertInto('pb_results')
      .values(rows.map((r) => ({ municipality_id: municipalityId, process_id: processId, ...r })))
      .execute();
  for (const r of rows) await trx.updateTable('pb_projects').set({ seleccionado: r.seleccionado }).where('id', '=', r.project_id).execute();
  // Cut the last thread between people and ballots: the salt goes, and every ballot is rewritten
  // under a random key (so not even row versions line up with the pb_voters rows of the same vote).
  await sql`update pb_ballots set voter_key = encode(sha256(convert_to(voter_key || ${crypto.randomBytes(16).toString('hex')} || random()::text, 'UTF8')), 'hex') where process_id = ${processId}`.execute(
    trx,
  );
  await trx.updateTable('pb_processes').set({ ballot_salt: null }).where('id', '=', processId).execute();
}

export async function publishedResults(db: Db, municipalityId: string, id: number, user: SessionUser | null) {
  const p = await processRow(db, municipalityId, id, user);
  if (FASES.indexOf(p.fase) < FASES.indexOf('resultados'))
    throw new AppError('BRJ_ERR_CONFLICT', 'Los resultados se publican al cerrar la votación.');
  return db
    .selectFrom('pb_results as r')
    .innerJoin('pb_projects as x', 'x.id', 'r.project_id')
    .innerJoin('pb_territories as t', 't.id', 'r.territory_id')
    .select([
      'r.territory_id',
      't.nombre as territorio',
      'r.project_id',
      'x.titulo',
      'x.costo',
      'r.votos',
      'r.posicion',
      'r.seleccionado',
      'r.motivo',
    ])
    .where('r.process_id', '=', id)
    .orderBy('r.territory_id')
    .orderBy('r.posicion')
    .execute();
}

/** The stored ballots, for anyone to recount: territory and chosen projects, never who. */
export async function ballotsExport(db: Db, municipalityId: string, id: number, user: SessionUser | null) {
  const p = await processRow(db, municipalityId, id, user);
  if (FASES.indexOf(p.fase) < FASES.indexOf('resultados'))
    throw new AppError('BRJ_ERR_CONFLICT', 'Las boletas se publican al cerrar la votación.');
  const rows = await db.selectFrom('pb_ballots').select(['territory_id', 'proyectos']).where('process_id', '=', id).execute();
  return rows
    .map((r) => ({ territory_id: r.territory_id, proyectos: [...r.proyectos].map(Number).sort((a, b) => a - b) }))
    .sort((a, b) => a.territory_id - b.territory_id || a.proyectos.join(',').localeCompare(b.proyectos.join(',')));
}

// ---------- projects ----------
export async function addProject(
  db: Db,
  actor: Actor,
  municipalityId: string,
  id: number,
  user: SessionUser,
  b: {
    territoryId: number;
    titulo: string;
    descripcion: string;
    lon?: number | null;
    lat?: number | null;
    proposalId?: number | null;
    isDemo?: boolean;
  },
) {
  const p = await processRow(db, municipalityId, id, user);
  const planner = isPlanner(user, municipalityId);
  if (p.fase !== 'propuestas' && !(planner && ['borrador', 'propuestas', 'revision'].includes(p.fase))) {
    throw new AppError('BRJ_ERR_CONFLICT', 'El periodo para proponer proyectos está cerrado.');
  }
  if (!planner) {
    await assertResident(db, municipalityId, user);
    await assertNotBlocked(db, municipalityId, user.id);
    await assertDailyCap(db, municipalityId, user.id);
  }
  const t = await db
    .selectFrom('pb_territories')
    .select('id')
    .where('id', '=', b.territoryId)
    .where('process_id', '=', id)
    .executeTakeFirst();
  if (!t) throw new AppError('BRJ_ERR_VALIDATION', 'El territorio no pertenece a este proceso.');
  const titulo = plain(b.titulo);
  const descripcion = b.descripcion.trim();
  if (titulo.length < 8) throw new AppError('BRJ_ERR_VALIDATION', 'El título del proyecto debe tener al menos 8 caracteres.');
  if (descripcion.length < 20) throw new AppError('BRJ_ERR_VALIDATION', 'Describa el proyecto con al menos 20 caracteres.');
  if (b.lon != null && b.lat != null) await placePoint(db, municipalityId, b.lon, b.lat);
  return withActor(db, actor, (trx) =>
    trx
      .insertInto('pb_projects')
      .values({
        municipality_id: municipalityId,
        process_id: id,
        territory_id: b.territoryId,
        user_id: user.id,
        proposal_id: b.proposalId ?? null,
        titulo,
        descripcion,
        geom: b.lon != null && b.lat != null ? pointSql(b.lon, b.lat) : null,
        is_demo: b.isDemo ?? false,
      })
      .returning(['id', 'titulo'])
      .executeTakeFirstOrThrow(),
  );
}

/** Technical review: planners, or the evaluators assigned to the project. */
export async function reviewProject(
  db: Db,
  actor: Actor,
  municipalityId: string,
  id: number,
  projectId: number,
  user: SessionUser,
  b: { costo?: number | null; viable?: boolean | null; dictamen?: string; evaluadores?: number[] },
) {
  const p = await processRow(db, municipalityId, id, user);
  if (!['propuestas', 'revision'].includes(p.fase))
    throw new AppError('BRJ_ERR_CONFLICT', 'La revisión técnica se hace en las fases de propuestas y revisión.');
  const x = await db
    .selectFrom('pb_projects')
    .select(['id', 'evaluadores'])
    .where('id', '=', projectId)
    .where('process_id', '=', id)
    .executeTakeFirst();
  if (!x) throw new AppError('BRJ_ERR_NOT_FOUND', 'El proyecto no existe en este proceso.');
  const planner = isPlanner(user, municipalityId);
  if (!planner && !x.evaluadores.map(Number).includes(user.id))
    throw new AppError('BRJ_ERR_FORBIDDEN', 'Solo la planeación o las personas evaluadoras asignadas revisan este proyecto.');
  if (b.evaluadores && !planner) throw new AppError('BRJ_ERR_FORBIDDEN', 'Solo la planeación asigna evaluadores.');
  if (b.viable === false && (b.dictamen ?? '').trim().length < 3)
    throw new AppError('BRJ_ERR_VALIDATION', 'Explique por qué el proyecto no es viable; el dictamen es público.');
  if (b.evaluadores?.length) {
    const staff = await db
      .selectFrom('shared_role_grants')
      .select('user_id')
      .where('user_id', 'in', b.evaluadores)
      .where((eb) => eb.or([eb('municipality_id', '=', municipalityId), eb('municipality_id', 'is', null)]))
      .where('role', 'in', ['planner', 'enlace', 'admin'])
      .execute();
    const ok = new Set(staff.map((s) => s.user_id));
    const bad = b.evaluadores.filter((e) => !ok.has(e));
    if (bad.length)
      throw new AppError('BRJ_ERR_VALIDATION', 'Las personas evaluadoras deben ser personal del municipio (planeación o enlace).');
  }
  return withActor(db, actor, (trx) =>
    trx
      .updateTable('pb_projects')
      .set({
        ...(b.costo !== undefined && { costo: b.costo }),
        ...(b.viable !== undefined && { viable: b.viable }),
        ...(b.dictamen !== undefined && { dictamen: b.dictamen.trim() }),
        ...(b.evaluadores !== undefined && { evaluadores: [...new Set(b.evaluadores)] }),
      })
      .where('id', '=', projectId)
      .returning(['id', 'costo', 'viable', 'dictamen', 'evaluadores'])
      .executeTakeFirstOrThrow(),
  );
}

/** Staff who can be assigned as evaluators: planners and enlaces of the municipality. */
export async function evaluators(db: Db, municipalityId: string) {
  return db
    .selectFrom('shared_users as u')
    .innerJoin('shared_role_grants as g', 'g.user_id', 'u.id')
    .leftJoin('shared_departments as d', 'd.id', 'g.department_id')
    .select(['u.id', 'u.name'])
    .select(sql<string | null>`string_agg(distinct coalesce(d.acronym, 'IMPLAN'), ', ')`.as('acronym'))
    .where('g.municipality_id', '=', municipalityId)
    .where('g.role', 'in', ['planner', 'enlace'])
    .where('u.status', '=', 'active')
    .groupBy(['u.id', 'u.name'])
    .orderBy('u.name')
    .execute();
}

// ---------- ballots ----------
/**
 * The ballot key: an HMAC of the person and territory under the process salt. While voting is open
 * whoever holds the database could derive it (as they could read row versions), which the README
 * states; once voting closes the salt is erased and every key is replaced at random.
 */
export const voterKey = (salt: string, userId: number, territoryId: number) =>
  crypto.createHmac('sha256', salt).update(`${userId}:${territoryId}`).digest('hex');

async function votingContext(db: Db, municipalityId: string, id: number, territoryId: number, user: SessionUser) {
  const p = await processRow(db, municipalityId, id, user);
  if (p.fase !== 'votacion' || !p.ballot_salt) throw new AppError('BRJ_ERR_CONFLICT', 'La votación de este proceso no está abierta.');
  const t = await db.selectFrom('pb_territories').selectAll().where('id', '=', territoryId).where('process_id', '=', id).executeTakeFirst();
  if (!t) throw new AppError('BRJ_ERR_NOT_FOUND', 'El territorio no pertenece a este proceso.');
  return { p, t, salt: p.ballot_salt };
}

/**
 * Stores (or replaces) a resident's ballot for one territory. The person is recorded in pb_voters,
 * the choice in pb_ballots under a key only the server can derive while voting is open. Everything
 * the checks need is read in one query and written in one statement: voting is a burst.
 */
export async function castBallot(
  db: Db,
  actor: Actor,
  municipalityId: string,
  id: number,
  territoryId: number,
  user: SessionUser,
  proyectos: number[],
) {
  const chosen = [...new Set(proyectos)].sort((a, b) => a - b);
  const ctx = await sql<{
    fase: PbFase;
    salt: string | null;
    estilo: 'mochila' | 'aprobacion';
    max_votos: number | null;
    nombre: string | null;
    unit_id: number | null;
    monto: string | null;
    residente: boolean;
    residente_unit: number | null;
    bloqueo: string | null;
    dentro: boolean | null;
    otro_local: string | null;
    proyectos: { id: number; costo: string | null; viable: boolean | null; territory_id: number; titulo: string }[];
  }>`
    select p.fase, p.ballot_salt as salt, p.estilo, p.max_votos, t.nombre, t.unit_id, t.monto,
           r.user_id is not null as residente, r.unit_id as residente_unit,
           (select b.motivo from participation_blocks b where b.municipality_id = p.municipality_id and b.user_id = ${user.id}) as bloqueo,
           (select r.unit_id = t.unit_id or st_intersects(a.geom, st_pointonsurface(u.geom))
              from shared_units a, shared_units u where a.id = t.unit_id and u.id = r.unit_id) as dentro,
           (select o.nombre from pb_voters v join pb_territories o on o.id = v.territory_id
             where v.process_id = p.id and v.user_id = ${user.id} and o.unit_id is not null and o.id <> ${territoryId} limit 1) as otro_local,
           (select coalesce(jsonb_agg(jsonb_build_object('id', x.id, 'costo', x.costo, 'viable', x.viable, 'territory_id', x.territory_id, 'titulo', x.titulo)), '[]'::jsonb)
              from pb_projects x where x.process_id = p.id and x.id = any(${chosen}::bigint[])) as proyectos
      from pb_processes p
      left join pb_territories t on t.id = ${territoryId} and t.process_id = p.id
      left join resident_verifications r on r.municipality_id = p.municipality_id and r.user_id = ${user.id}
     where p.id = ${id} and p.municipality_id = ${municipalityId} and p.fase <> 'borrador'`
    .execute(db)
    .then((r) => r.rows[0]);
  if (!ctx) throw new AppError('BRJ_ERR_NOT_FOUND', 'El proceso de presupuesto participativo no existe.');
  if (ctx.fase !== 'votacion' || !ctx.salt) throw new AppError('BRJ_ERR_CONFLICT', 'La votación de este proceso no está abierta.');
  if (ctx.nombre === null) throw new AppError('BRJ_ERR_NOT_FOUND', 'El territorio no pertenece a este proceso.');
  if (!ctx.residente) throw new AppError('BRJ_ERR_FORBIDDEN', NOT_RESIDENT);
  if (ctx.bloqueo) throw new AppError('BRJ_ERR_FORBIDDEN', `Su cuenta no puede participar en este municipio: ${ctx.bloqueo}`);
  if (chosen.length === 0) throw new AppError('BRJ_ERR_VALIDATION', 'Elija al menos un proyecto (o retire su boleta).');
  if (ctx.unit_id) {
    if (ctx.residente_unit) {
      if (!ctx.dentro) throw new AppError('BRJ_ERR_FORBIDDEN', `Solo las personas que residen en «${ctx.nombre}» votan en ese territorio.`);
    } else if (ctx.otro_local) {
      // Residence unknown: one local territory per process, as CONSUL's one heading per group.
      throw new AppError(
        'BRJ_ERR_CONFLICT',
        `Ya votó en «${ctx.otro_local}»: se vota en un solo territorio local por proceso. Retire esa boleta para votar aquí.`,
      );
    }
  }
  const byId = new Map(ctx.proyectos.map((r) => [Number(r.id), r]));
  for (const pid of chosen) {
    const r = byId.get(pid);
    if (!r || Number(r.territory_id) !== territoryId)
      throw new AppError('BRJ_ERR_VALIDATION', `El proyecto ${pid} no se vota en «${ctx.nombre}».`);
    if (!r.viable || r.costo == null)
      throw new AppError('BRJ_ERR_VALIDATION', `El proyecto «${r.titulo}» no es viable y no se puede votar.`);
  }
  const monto = Number(ctx.monto);
  const total = Math.round(ctx.proyectos.reduce((s, r) => s + Number(r.costo), 0) * 100) / 100;
  if (ctx.estilo === 'mochila' && total > monto) {
    throw new AppError(
      'BRJ_ERR_VALIDATION',
      `Los proyectos elegidos suman ${money(total)} y el monto de «${ctx.nombre}» es ${money(monto)}. Quite alguno para que quepan.`,
      { total, monto },
    );
  }
  if (ctx.estilo === 'aprobacion' && chosen.length > (ctx.max_votos ?? 0)) {
    throw new AppError('BRJ_ERR_VALIDATION', `Puede elegir hasta ${ctx.max_votos} proyectos.`);
  }
  const key = voterKey(ctx.salt, user.id, territoryId);
  await withActor(db, actor, (trx) =>
    sql`with voter as (
          insert into pb_voters (municipality_id, process_id, territory_id, user_id) values (${municipalityId}, ${id}, ${territoryId}, ${user.id})
          on conflict (process_id, territory_id, user_id) do nothing)
        insert into pb_ballots (voter_key, municipality_id, process_id, territory_id, proyectos)
        values (${key}, ${municipalityId}, ${id}, ${territoryId}, ${chosen}::bigint[])
        on conflict (voter_key) do update set proyectos = excluded.proyectos`.execute(trx),
  );
  return { territorio: ctx.nombre, proyectos: chosen, total, monto };
}

export async function withdrawBallot(db: Db, actor: Actor, municipalityId: string, id: number, territoryId: number, user: SessionUser) {
  const { salt } = await votingContext(db, municipalityId, id, territoryId, user);
  await withActor(db, actor, async (trx) => {
    await trx
      .deleteFrom('pb_ballots')
      .where('voter_key', '=', voterKey(salt, user.id, territoryId))
      .execute();
    await trx
      .deleteFrom('pb_voters')
      .where('process_id', '=', id)
      .where('territory_id', '=', territoryId)
      .where('user_id', '=', user.id)
      .execute();
  });
}

/** The person's own ballots (only while voting is open: afterwards no one can tell which was theirs). */
export async function myBallots(db: Db, municipalityId: string, id: number, user: SessionUser) {
  const p = await processRow(db, municipalityId, id, user);
  const voted = await db
    .selectFrom('pb_voters')
    .select('territory_id')
    .where('process_id', '=', id)
    .where('user_id', '=', user.id)
    .execute();
  if (!p.ballot_salt) return voted.map((v) => ({ territory_id: v.territory_id, proyectos: null }));
  const out = [];
  for (const v of voted) {
    const b = await db
      .selectFrom('pb_ballots')
      .select('proyectos')
      .where('voter_key', '=', voterKey(p.ballot_salt, user.id, v.territory_id))
      .executeTakeFirst();
    out.push({ territory_id: v.territory_id, proyectos: b ? b.proyectos.map(Number) : null });
  }
  return out;
}

/** A winning project becomes an action of the process's POA program; its progress then shows on the process page. */
export async function projectToAction(
  db: Db,
  actor: Actor,
  municipalityId: string,
  id: number,
  projectId: number,
  b: { programId?: number | null },
) {
  return withActor(db, actor, async (trx) => {
    const p = await trx
      .selectFrom('pb_processes')
      .selectAll()
      .where('id', '=', id)
      .where('municipality_id', '=', municipalityId)
      .executeTakeFirst();
    if (!p) throw new AppError('BRJ_ERR_NOT_FOUND', 'El proceso no existe.');
    if (!['resultados', 'ejecucion'].includes(p.fase))
      throw new AppError('BRJ_ERR_CONFLICT', 'Los proyectos ganadores pasan al POA después de publicar los resultados.');
    const x = await trx.selectFrom('pb_projects').selectAll().where('id', '=', projectId).where('process_id', '=', id).executeTakeFirst();
    if (!x) throw new AppError('BRJ_ERR_NOT_FOUND', 'El proyecto no existe en este proceso.');
    if (!x.seleccionado) throw new AppError('BRJ_ERR_CONFLICT', 'Solo los proyectos ganadores pasan al POA.');
    if (x.action_id) throw new AppError('BRJ_ERR_CONFLICT', 'Este proyecto ya es una acción del POA.');
    const programId = b.programId ?? p.program_id;
    if (!programId) throw new AppError('BRJ_ERR_VALIDATION', 'Elija el programa del POA que recibirá el proyecto.');
    const geo = x.geom
      ? await sql<{
          g: { type: 'Point'; coordinates: [number, number] };
        }>`select st_asgeojson(geom, 6)::jsonb as g from pb_projects where id = ${projectId}`.execute(trx)
      : null;
    const a = await createAction(trx, actor, municipalityId, {
      programId,
      clave: `PP${p.anio}-${projectId}`,
      nombre: x.titulo.slice(0, 300),
      descripcion: `${x.descripcion}\n\nProyecto ganador del presupuesto participativo «${p.titulo}».`,
      tipo: 'obra',
      ubicacion: geo?.rows[0]?.g ?? null,
      publicado: true,
      isDemo: x.is_demo,
    });
    await trx.updateTable('pb_projects').set({ action_id: a.id }).where('id', '=', projectId).execute();
    if (x.proposal_id)
      await trx
        .updateTable('proposals')
        .set({
          estado: 'incluida',
          action_id: a.id,
          respuesta: `Ganó el presupuesto participativo «${p.titulo}» y es la acción ${a.clave} del POA.`,
          updated_at: new Date(),
        })
        .where('id', '=', x.proposal_id)
        .execute();
    return a;
  });
}
