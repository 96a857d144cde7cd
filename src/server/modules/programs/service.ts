import crypto from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { withActor, type Actor } from '../../db/connection.ts';
import type { DB } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import { assertIndicatorUsable } from '../indicators/api.ts';
import { toCsvText } from '../../tabular.ts';
import { hasRole, type SessionUser } from '../../plugins/auth.ts';
import * as plans from '../plans/api.ts';
import { type ActionWeight, type ElementReferences, ROLLUP_RULE, rollup, rollupTree } from '../plans/api.ts';
import { checkGeometry, type GeoJsonGeometry } from './geometry.ts';
import { checkFile } from '../../files.ts';
import { actionRowOut } from './schemas.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** Chronological order of periods: a quarter sorts at its last month, so 2026-T3 < 2026-11 < 2026-T4. */
export const periodOrder = (col: string, dir: 'asc' | 'desc' = 'asc') =>
  sql`left(${sql.ref(col)}, 4) ${sql.raw(dir)}, case when ${sql.ref(col)} like '%-T%' then right(${sql.ref(col)}, 1)::int * 3 else right(${sql.ref(col)}, 2)::int end ${sql.raw(dir)}`;

/** Staff of the municipality see unpublished actions and reports; the public sees published ones. */
export const isStaff = (user: SessionUser | null, mid: string) => hasRole(user, ['planner', 'enlace', 'council'], mid);

export const PROCEDIMIENTOS = {
  licitacion_publica: 'Licitación pública',
  invitacion_tres: 'Invitación a cuando menos tres personas',
  adjudicacion_directa: 'Adjudicación directa',
} as const;

// ---------- funding sources ----------

export function fundingSources(db: Db, municipalityId: string) {
  return db
    .selectFrom('funding_sources')
    .select(['id', 'municipality_id', 'clave', 'nombre', 'orden_gobierno', 'activo'])
    .where((eb) => eb.or([eb('municipality_id', 'is', null), eb('municipality_id', '=', municipalityId)]))
    .orderBy('orden_gobierno')
    .orderBy('clave')
    .execute();
}

export async function saveFundingSource(
  db: Kysely<DB>,
  actor: Actor,
  municipalityId: string,
  b: { clave: string; nombre: string; ordenGobierno: 'federal' | 'estatal' | 'municipal' | 'otro'; activo?: boolean },
) {
  return withActor(db, actor, async (trx) => {
    const clash = await trx
      .selectFrom('funding_sources')
      .select('id')
      .where('municipality_id', 'is', null)
      .where('clave', '=', b.clave)
      .executeTakeFirst();
    if (clash) throw new AppError('BRJ_ERR_CONFLICT', `La clave «${b.clave}» ya está en el catálogo común de fuentes.`);
    return trx
      .insertInto('funding_sources')
      .values({
        municipality_id: municipalityId,
        clave: b.clave,
        nombre: b.nombre.trim(),
        orden_gobierno: b.ordenGobierno,
        activo: b.activo ?? true,
      })
      .onConflict((oc) =>
        oc
          .columns(['municipality_id', 'clave'])
          .doUpdateSet({ nombre: b.nombre.trim(), orden_gobierno: b.ordenGobierno, activo: b.activo ?? true }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

// ---------- programs and MIR ----------

export interface ProgramInput {
  anio: number;
  departmentId: number;
  clave: string;
  nombre: string;
  descripcion?: string;
}

async function checkDepartment(trx: Db, municipalityId: string, id: number) {
  const d = await trx
    .selectFrom('shared_departments')
    .select('id')
    .where('id', '=', id)
    .where('municipality_id', '=', municipalityId)
    .executeTakeFirst();
  if (!d) throw new AppError('BRJ_ERR_VALIDATION', 'La unidad responsable no pertenece a este municipio.');
}

export async function createProgram(db: Kysely<DB>, actor: Actor, municipalityId: string, b: ProgramInput & { isDemo?: boolean }) {
  return withActor(db, actor, async (trx) => {
    await checkDepartment(trx, municipalityId, b.departmentId);
    const dup = await trx
      .selectFrom('poa_programs')
      .select('id')
      .where('municipality_id', '=', municipalityId)
      .where('anio', '=', b.anio)
      .where('clave', '=', b.clave)
      .executeTakeFirst();
    if (dup) throw new AppError('BRJ_ERR_CONFLICT', `Ya existe el programa «${b.clave}» en el POA ${b.anio}.`);
    return trx
      .insertInto('poa_programs')
      .values({
        municipality_id: municipalityId,
        anio: b.anio,
        department_id: b.departmentId,
        clave: b.clave.trim(),
        nombre: b.nombre.trim(),
        descripcion: b.descripcion ?? '',
        is_demo: b.isDemo ?? false,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

export async function getProgram(db: Db, municipalityId: string, id: number) {
  const p = await db
    .selectFrom('poa_programs as p')
    .innerJoin('shared_departments as d', 'd.id', 'p.department_id')
    .selectAll('p')
    .select(['d.name as department', 'd.acronym as department_acronym'])
    .where('p.id', '=', id)
    .where('p.municipality_id', '=', municipalityId)
    .executeTakeFirst();
  if (!p) throw new AppError('BRJ_ERR_NOT_FOUND', 'El programa no existe.');
  return p;
}

/** Budget totals per action, summed over funding sources (modificado falls back to aprobado). */
const totals = (db: Db) =>
  db
    .selectFrom('action_budgets')
    .select([
      'action_id',
      sql<number>`sum(aprobado)`.as('aprobado'),
      sql<number>`sum(coalesce(modificado, aprobado))`.as('modificado'),
      sql<number>`sum(ejercido)`.as('ejercido'),
    ])
    .groupBy('action_id');

export async function listPrograms(db: Db, municipalityId: string, anio: number | undefined, user: SessionUser | null) {
  const staff = isStaff(user, municipalityId);
  let q = db
    .selectFrom('poa_programs as p')
    .innerJoin('shared_departments as d', 'd.id', 'p.department_id')
    .leftJoin('poa_actions as a', (j) =>
      staff ? j.onRef('a.program_id', '=', 'p.id') : j.onRef('a.program_id', '=', 'p.id').on('a.publicado', '=', true),
    )
    .leftJoin(totals(db).as('t'), 't.action_id', 'a.id')
    .select(['p.id', 'p.anio', 'p.clave', 'p.nombre', 'p.descripcion', 'p.department_id', 'd.name as department', 'p.is_demo'])
    .select([
      sql<number>`count(a.id)::int`.as('acciones'),
      sql<number>`count(a.id) filter (where a.tipo = 'obra')::int`.as('obras'),
      sql<number>`coalesce(sum(t.aprobado), 0)`.as('aprobado'),
      sql<number>`coalesce(sum(t.modificado), 0)`.as('modificado'),
      sql<number>`coalesce(sum(t.ejercido), 0)`.as('ejercido'),
    ])
    .where('p.municipality_id', '=', municipalityId)
    .groupBy(['p.id', 'd.name'])
    .orderBy('p.anio', 'desc')
    .orderBy('p.clave');
  if (anio) q = q.where('p.anio', '=', anio);
  return q.execute();
}

export async function years(db: Db, municipalityId: string) {
  const r = await db
    .selectFrom('poa_programs')
    .select('anio')
    .distinct()
    .where('municipality_id', '=', municipalityId)
    .orderBy('anio', 'desc')
    .execute();
  return r.map((x) => x.anio);
}

export interface MirInput {
  nivel: 'fin' | 'proposito' | 'componente' | 'actividad';
  resumenNarrativo: string;
  indicatorId?: number | null;
  indicadorTexto?: string;
  mediosVerificacion?: string;
  supuestos?: string;
  posicion?: number;
}

const MIR_ORDER = ['fin', 'proposito', 'componente', 'actividad'];

export async function mirRows(db: Db, programId: number) {
  const rows = await db
    .selectFrom('mir_rows as r')
    .leftJoin('shared_indicators as i', 'i.id', 'r.indicator_id')
    .select([
      'r.id',
      'r.nivel',
      'r.posicion',
      'r.resumen_narrativo',
      'r.indicator_id',
      'r.indicador_texto',
      'r.medios_verificacion',
      'r.supuestos',
      'i.clave as indicator_clave',
      'i.nombre as indicator_nombre',
    ])
    .where('r.program_id', '=', programId)
    .execute();
  return rows.sort((a, b) => MIR_ORDER.indexOf(a.nivel) - MIR_ORDER.indexOf(b.nivel) || a.posicion - b.posicion || a.id - b.id);
}

export async function saveMirRow(
  db: Kysely<DB>,
  actor: Actor,
  municipalityId: string,
  programId: number,
  b: Partial<MirInput>,
  rowId?: number,
) {
  return withActor(db, actor, async (trx) => {
    await getProgram(trx, municipalityId, programId);
    await assertIndicatorUsable(trx, municipalityId, b.indicatorId);
    if (!rowId && (b.nivel === 'fin' || b.nivel === 'proposito')) {
      const has = await trx
        .selectFrom('mir_rows')
        .select('id')
        .where('program_id', '=', programId)
        .where('nivel', '=', b.nivel)
        .executeTakeFirst();
      if (has)
        throw new AppError('BRJ_ERR_CONFLICT', `La MIR tiene un solo ${b.nivel === 'fin' ? 'Fin' : 'Propósito'}: modifique el existente.`);
    }
    const values = {
      ...(b.nivel && { nivel: b.nivel }),
      ...(b.resumenNarrativo && { resumen_narrativo: b.resumenNarrativo.trim() }),
      ...(b.indicatorId !== undefined && { indicator_id: b.indicatorId }),
      ...(b.indicadorTexto !== undefined && { indicador_texto: b.indicadorTexto }),
      ...(b.mediosVerificacion !== undefined && { medios_verificacion: b.mediosVerificacion }),
      ...(b.supuestos !== undefined && { supuestos: b.supuestos }),
      ...(b.posicion !== undefined && { posicion: b.posicion }),
    };
    if (rowId) {
      const r = await trx
        .updateTable('mir_rows')
        .set(values)
        .where('id', '=', rowId)
        .where('program_id', '=', programId)
        .returningAll()
        .executeTakeFirst();
      if (!r) throw new AppError('BRJ_ERR_NOT_FOUND', 'La fila de la MIR no existe.');
      return r;
    }
    return trx
      .insertInto('mir_rows')
      .values({
        municipality_id: municipalityId,
        program_id: programId,
        nivel: b.nivel!,
        resumen_narrativo: b.resumenNarrativo!.trim(),
        ...values,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

export async function deleteMirRow(db: Kysely<DB>, actor: Actor, municipalityId: string, programId: number, rowId: number) {
  await withActor(db, actor, async (trx) => {
    const r = await trx
      .deleteFrom('mir_rows')
      .where('id', '=', rowId)
      .where('program_id', '=', programId)
      .where('municipality_id', '=', municipalityId)
      .executeTakeFirst();
    if (!r.numDeletedRows) throw new AppError('BRJ_ERR_NOT_FOUND', 'La fila de la MIR no existe.');
  });
}

// ---------- actions ----------

export interface BudgetInput {
  fuente: string;
  aprobado: number;
  modificado?: number | null;
  ejercido?: number;
}

export interface ActionInput {
  programId: number;
  clave: string;
  nombre: string;
  descripcion?: string;
  tipo?: 'accion' | 'obra';
  ubicacion?: GeoJsonGeometry | null;
  beneficiarios?: number | null;
  beneficiariosDescripcion?: string;
  fechaInicio?: string | null;
  fechaFin?: string | null;
  publicado?: boolean;
  presupuesto?: BudgetInput[];
  alineacion?: number[];
}

async function writeBudget(trx: Transaction<DB>, municipalityId: string, actionId: number, rows: BudgetInput[]) {
  const sources = await fundingSources(trx, municipalityId);
  const byClave = new Map(sources.map((s) => [s.clave, s]));
  const seen = new Set<string>();
  for (const r of rows) {
    const s = byClave.get(r.fuente);
    if (!s) throw new AppError('BRJ_ERR_VALIDATION', `La fuente de financiamiento «${r.fuente}» no está en el catálogo.`);
    if (seen.has(r.fuente)) throw new AppError('BRJ_ERR_VALIDATION', `La fuente «${r.fuente}» aparece dos veces.`);
    seen.add(r.fuente);
    const vigente = r.modificado ?? r.aprobado;
    if ((r.ejercido ?? 0) > vigente)
      throw new AppError(
        'BRJ_ERR_VALIDATION',
        `En «${r.fuente}» el monto ejercido (${r.ejercido}) excede el ${r.modificado != null ? 'modificado' : 'aprobado'} (${vigente}).`,
      );
  }
  await trx.deleteFrom('action_budgets').where('action_id', '=', actionId).execute();
  if (rows.length) {
    await trx
      .insertInto('action_budgets')
      .values(
        rows.map((r) => ({
          municipality_id: municipalityId,
          action_id: actionId,
          funding_source_id: byClave.get(r.fuente)!.id,
          aprobado: r.aprobado,
          modificado: r.modificado ?? null,
          ejercido: r.ejercido ?? 0,
        })),
      )
      .execute();
  }
}

async function writeAlignment(trx: Transaction<DB>, municipalityId: string, actionId: number, ids: number[]) {
  await plans.assertAlignable(trx, municipalityId, ids);
  await trx.deleteFrom('action_alignments').where('action_id', '=', actionId).execute();
  if (ids.length)
    await trx
      .insertInto('action_alignments')
      .values([...new Set(ids)].map((id) => ({ municipality_id: municipalityId, action_id: actionId, element_id: id })))
      .execute();
}

const geomValue = (g: GeoJsonGeometry | null) => {
  if (g === null) return null;
  checkGeometry(g);
  // Polygons are repaired (self-intersections); points and lines go in as they are.
  return sql`(select case when GeometryType(x.g) like '%POLYGON' then ST_MakeValid(x.g) else x.g end from (select ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(g)}), 4326) as g) x)`;
};

export async function createAction(db: Kysely<DB>, actor: Actor, municipalityId: string, b: ActionInput & { isDemo?: boolean }) {
  return withActor(db, actor, async (trx) => {
    const program = await getProgram(trx, municipalityId, b.programId);
    const dup = await trx
      .selectFrom('poa_actions')
      .select('id')
      .where('municipality_id', '=', municipalityId)
      .where('clave', '=', b.clave)
      .executeTakeFirst();
    if (dup) throw new AppError('BRJ_ERR_CONFLICT', `Ya existe una acción con la clave «${b.clave}».`);
    const a = await trx
      .insertInto('poa_actions')
      .values({
        municipality_id: municipalityId,
        program_id: program.id,
        department_id: program.department_id,
        clave: b.clave.trim(),
        nombre: b.nombre.trim(),
        descripcion: b.descripcion ?? '',
        tipo: b.tipo ?? 'accion',
        geom: b.ubicacion ? geomValue(b.ubicacion) : null,
        beneficiarios: b.beneficiarios ?? null,
        beneficiarios_descripcion: b.beneficiariosDescripcion ?? '',
        fecha_inicio: b.fechaInicio ?? null,
        fecha_fin: b.fechaFin ?? null,
        publicado: b.publicado ?? false,
        is_demo: b.isDemo ?? false,
      })
      .returning(['id', 'clave'])
      .executeTakeFirstOrThrow();
    if (b.presupuesto) await writeBudget(trx, municipalityId, a.id, b.presupuesto);
    if (b.alineacion) await writeAlignment(trx, municipalityId, a.id, b.alineacion);
    return a;
  });
}

export async function updateAction(db: Kysely<DB>, actor: Actor, municipalityId: string, actionId: number, b: Partial<ActionInput>) {
  return withActor(db, actor, async (trx) => {
    const current = await actionRow(trx, municipalityId, actionId);
    let program: { id: number; department_id: number } | null = null;
    if (b.programId && b.programId !== current.program_id) program = await getProgram(trx, municipalityId, b.programId);
    if (b.clave && b.clave !== current.clave) {
      const dup = await trx
        .selectFrom('poa_actions')
        .select('id')
        .where('municipality_id', '=', municipalityId)
        .where('clave', '=', b.clave)
        .executeTakeFirst();
      if (dup) throw new AppError('BRJ_ERR_CONFLICT', `Ya existe una acción con la clave «${b.clave}».`);
    }
    await trx
      .updateTable('poa_actions')
      .set({
        ...(program && { program_id: program.id, department_id: program.department_id }),
        ...(b.clave && { clave: b.clave.trim() }),
        ...(b.nombre && { nombre: b.nombre.trim() }),
        ...(b.descripcion !== undefined && { descripcion: b.descripcion }),
        ...(b.tipo && { tipo: b.tipo }),
        ...(b.ubicacion !== undefined && { geom: geomValue(b.ubicacion) }),
        ...(b.beneficiarios !== undefined && { beneficiarios: b.beneficiarios }),
        ...(b.beneficiariosDescripcion !== undefined && { beneficiarios_descripcion: b.beneficiariosDescripcion }),
        ...(b.fechaInicio !== undefined && { fecha_inicio: b.fechaInicio }),
        ...(b.fechaFin !== undefined && { fecha_fin: b.fechaFin }),
        ...(b.publicado !== undefined && { publicado: b.publicado }),
        updated_at: new Date(),
      })
      .where('id', '=', actionId)
      .execute();
    if (b.presupuesto) await writeBudget(trx, municipalityId, actionId, b.presupuesto);
    if (b.alineacion) await writeAlignment(trx, municipalityId, actionId, b.alineacion);
    return { id: actionId };
  });
}

async function actionRow(db: Db, municipalityId: string, id: number) {
  const a = await db
    .selectFrom('poa_actions')
    .select(['id', 'program_id', 'department_id', 'clave', 'publicado', 'tipo'])
    .where('id', '=', id)
    .where('municipality_id', '=', municipalityId)
    .executeTakeFirst();
  if (!a) throw new AppError('BRJ_ERR_NOT_FOUND', 'La acción no existe.');
  return a;
}

export async function deleteAction(db: Kysely<DB>, actor: Actor, municipalityId: string, id: number) {
  await withActor(db, actor, async (trx) => {
    await actionRow(trx, municipalityId, id);
    const published = await trx
      .selectFrom('progress_reports')
      .select('id')
      .where('action_id', '=', id)
      .where('estado', '=', 'publicado')
      .executeTakeFirst();
    if (published)
      throw new AppError('BRJ_ERR_CONFLICT', 'La acción tiene avances publicados: no se elimina (despublíquela si ya no aplica).');
    await trx.deleteFrom('poa_actions').where('id', '=', id).execute();
  });
}

export interface ActionFilter {
  anio?: number;
  tipo?: 'accion' | 'obra';
  departmentId?: number;
  programId?: number;
  elementId?: number;
  q?: string;
}

/** Actions with their budget totals; filter by plan element includes the element's whole subtree. */
export function actionsQuery(db: Db, municipalityId: string, f: ActionFilter, user: SessionUser | null) {
  let q = db
    .selectFrom('poa_actions as a')
    .innerJoin('poa_programs as p', 'p.id', 'a.program_id')
    .innerJoin('shared_departments as d', 'd.id', 'a.department_id')
    .leftJoin(totals(db).as('t'), 't.action_id', 'a.id')
    .select([
      'a.id',
      'a.clave',
      'a.nombre',
      'a.tipo',
      'a.avance_fisico',
      'a.publicado',
      'a.fecha_inicio',
      'a.fecha_fin',
      'a.beneficiarios',
      'a.is_demo',
      'p.anio',
      'p.clave as programa_clave',
      'p.nombre as programa',
      'd.name as department',
      'a.department_id',
    ])
    .select([
      sql<number>`coalesce(t.aprobado, 0)`.as('aprobado'),
      sql<number>`coalesce(t.modificado, 0)`.as('modificado'),
      sql<number>`coalesce(t.ejercido, 0)`.as('ejercido'),
      sql<boolean>`a.geom is not null`.as('ubicada'),
    ])
    .where('a.municipality_id', '=', municipalityId)
    .orderBy('p.anio', 'desc')
    .orderBy('a.clave');
  if (!isStaff(user, municipalityId)) q = q.where('a.publicado', '=', true);
  if (f.anio) q = q.where('p.anio', '=', f.anio);
  if (f.tipo) q = q.where('a.tipo', '=', f.tipo);
  if (f.departmentId) q = q.where('a.department_id', '=', f.departmentId);
  if (f.programId) q = q.where('a.program_id', '=', f.programId);
  if (f.q)
    q = q.where(
      sql<boolean>`unaccent_simple(a.nombre || ' ' || a.clave) like ${`%${f.q
        .toLowerCase()
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')}%`}`,
    );
  if (f.elementId)
    q = q.where(sql<boolean>`a.id in (select x.action_id from action_alignments x where x.element_id in ${plans.subtreeSql(f.elementId)})`);
  return q;
}

/** The golden thread of one action: plan lines, metas and indicators, money by source, progress, place. */
export async function actionDetail(db: Db, municipalityId: string, id: number, user: SessionUser | null) {
  const a = await db
    .selectFrom('poa_actions as a')
    .innerJoin('poa_programs as p', 'p.id', 'a.program_id')
    .innerJoin('shared_departments as d', 'd.id', 'a.department_id')
    .select([
      'a.id',
      'a.municipality_id',
      'a.clave',
      'a.nombre',
      'a.descripcion',
      'a.tipo',
      'a.avance_fisico',
      'a.publicado',
      'a.fecha_inicio',
      'a.fecha_fin',
      'a.beneficiarios',
      'a.beneficiarios_descripcion',
      'a.is_demo',
      'a.updated_at',
      'a.department_id',
      'p.id as program_id',
      'p.anio',
      'p.clave as programa_clave',
      'p.nombre as programa',
      'd.name as department',
    ])
    .select(sql<GeoJsonGeometry | null>`ST_AsGeoJSON(a.geom, 6)::jsonb`.as('ubicacion'))
    .where('a.id', '=', id)
    .where('a.municipality_id', '=', municipalityId)
    .executeTakeFirst();
  const staff = isStaff(user, municipalityId);
  if (!a || (!a.publicado && !staff)) throw new AppError('BRJ_ERR_NOT_FOUND', 'La acción no existe o no está publicada.');
  const [presupuesto, alineados, reportes, contrato] = await Promise.all([
    db
      .selectFrom('action_budgets as b')
      .innerJoin('funding_sources as f', 'f.id', 'b.funding_source_id')
      .select(['f.clave', 'f.nombre', 'f.orden_gobierno', 'b.aprobado', 'b.modificado', 'b.ejercido'])
      .where('b.action_id', '=', id)
      .orderBy('b.aprobado', 'desc')
      .execute(),
    db.selectFrom('action_alignments').select('element_id').where('action_id', '=', id).execute(),
    reports(db, { actionId: id, estado: staff ? undefined : 'publicado' }),
    contractOf(db, id),
  ]);
  const lineas = await plans.elementsBrief(
    db,
    alineados.map((x) => x.element_id),
    user,
  );
  const sum = (k: 'aprobado' | 'ejercido') => presupuesto.reduce((s, r) => s + Number(r[k]), 0);
  const vigente = presupuesto.reduce((s, r) => s + Number(r.modificado ?? r.aprobado), 0);
  return {
    ...a,
    presupuesto,
    totales: {
      aprobado: sum('aprobado'),
      modificado: vigente,
      ejercido: sum('ejercido'),
      avanceFinanciero: vigente > 0 ? Math.round((sum('ejercido') / vigente) * 10000) / 100 : null,
    },
    lineas,
    reportes,
    contrato,
  };
}

/** Actions aligned to an element or any of its descendants, with the budget-weighted roll-up. */
export async function elementRollup(db: Db, municipalityId: string, elementId: number, user: SessionUser | null) {
  const acciones = await actionsQuery(db, municipalityId, { elementId }, user).execute();
  const weights: ActionWeight[] = acciones.map((x) => ({
    id: x.id,
    avance: Number(x.avance_fisico),
    peso: Number(x.modificado),
    aprobado: Number(x.aprobado),
    modificado: Number(x.modificado),
    ejercido: Number(x.ejercido),
  }));
  return { regla: ROLLUP_RULE, rollup: rollup(weights), acciones };
}

/** Roll-up for every element of a plan (for the plan's tree). */
export async function planRollup(db: Db, municipalityId: string, planId: number, user: SessionUser | null) {
  const elements = await db
    .selectFrom('shared_plan_elements')
    .select(['id', 'parent_id', 'posicion'])
    .where('plan_id', '=', planId)
    .execute();
  const links = await db
    .selectFrom('action_alignments as x')
    .innerJoin('shared_plan_elements as e', 'e.id', 'x.element_id')
    .innerJoin('poa_actions as a', 'a.id', 'x.action_id')
    .leftJoin(totals(db).as('t'), 't.action_id', 'a.id')
    .select([
      'x.element_id',
      'x.action_id',
      'a.avance_fisico',
      sql<number>`coalesce(t.aprobado, 0)`.as('aprobado'),
      sql<number>`coalesce(t.modificado, 0)`.as('modificado'),
      sql<number>`coalesce(t.ejercido, 0)`.as('ejercido'),
    ])
    .where('e.plan_id', '=', planId)
    .where((eb) => (isStaff(user, municipalityId) ? eb.val(true) : eb('a.publicado', '=', true)))
    .execute();
  const weights = new Map<number, ActionWeight>();
  for (const l of links)
    weights.set(l.action_id, {
      id: l.action_id,
      avance: Number(l.avance_fisico),
      peso: Number(l.modificado),
      aprobado: Number(l.aprobado),
      modificado: Number(l.modificado),
      ejercido: Number(l.ejercido),
    });
  const out = rollupTree(elements, links, weights);
  return { regla: ROLLUP_RULE, elementos: Object.fromEntries([...out].filter(([, r]) => r.acciones > 0)) };
}

export async function actionsGeoJson(db: Db, municipalityId: string, f: ActionFilter, user: SessionUser | null) {
  const q = actionsQuery(db, municipalityId, f, user)
    .where(sql<boolean>`a.geom is not null`)
    .select(sql<string>`ST_AsGeoJSON(a.geom, 6)`.as('g'));
  const rows = await q.execute();
  return {
    type: 'FeatureCollection' as const,
    features: rows.map(({ g, ...p }) => ({ type: 'Feature' as const, id: p.id, geometry: JSON.parse(g), properties: actionRowOut(p) })),
  };
}

// ---------- progress reports and evidence ----------

export async function reports(
  db: Db,
  f: { actionId?: number; municipalityId?: string; estado?: 'enviado' | 'publicado' | 'devuelto'; departmentIds?: number[] },
) {
  let q = db
    .selectFrom('progress_reports as r')
    .innerJoin('poa_actions as a', 'a.id', 'r.action_id')
    .leftJoin('shared_users as u', 'u.id', 'r.reported_by')
    .select([
      'r.id',
      'r.action_id',
      'a.clave as accion_clave',
      'a.nombre as accion',
      'a.department_id',
      'r.periodo',
      'r.avance_fisico',
      'r.ejercido',
      'r.narrativa',
      'r.estado',
      'r.nota_revision',
      'r.created_at',
      'r.reviewed_at',
      'u.name as reportado_por',
    ])
    .select((eb) =>
      eb
        .selectFrom('evidence_files as e')
        .whereRef('e.report_id', '=', 'r.id')
        .select(
          sql<
            { id: number; nombre: string; mime: string; bytes: number }[]
          >`coalesce(jsonb_agg(jsonb_build_object('id', e.id, 'nombre', e.nombre, 'mime', e.mime, 'bytes', e.bytes) order by e.id), '[]'::jsonb)`.as(
            'x',
          ),
        )
        .as('evidencias'),
    )
    .orderBy(periodOrder('r.periodo'))
    .orderBy('r.id');
  if (f.actionId) q = q.where('r.action_id', '=', f.actionId);
  if (f.municipalityId) q = q.where('r.municipality_id', '=', f.municipalityId);
  if (f.estado) q = q.where('r.estado', '=', f.estado);
  if (f.departmentIds) q = q.where('a.department_id', 'in', f.departmentIds.length ? f.departmentIds : [-1]);
  return q.execute();
}

/** Enlaces report only for their department's actions; planners for any. */
function assertReporter(user: SessionUser, municipalityId: string, departmentId: number) {
  if (!hasRole(user, ['planner', 'enlace'], municipalityId, { departmentId })) {
    throw new AppError(
      'BRJ_ERR_FORBIDDEN',
      'Solo el enlace de la dependencia responsable (o el personal de planeación) reporta el avance de esta acción.',
    );
  }
}

export async function submitReport(
  db: Kysely<DB>,
  actor: Actor,
  municipalityId: string,
  actionId: number,
  b: { periodo: string; avanceFisico: number; ejercido?: number; narrativa?: string },
  user: SessionUser,
) {
  return withActor(db, actor, async (trx) => {
    const a = await actionRow(trx, municipalityId, actionId);
    assertReporter(user, municipalityId, a.department_id);
    const existing = await trx
      .selectFrom('progress_reports')
      .select(['id', 'estado'])
      .where('action_id', '=', actionId)
      .where('periodo', '=', b.periodo)
      .executeTakeFirst();
    if (existing?.estado === 'publicado')
      throw new AppError('BRJ_ERR_CONFLICT', `El avance de ${b.periodo} ya fue publicado; reporte el siguiente periodo.`);
    const values = {
      avance_fisico: b.avanceFisico,
      ejercido: b.ejercido ?? 0,
      narrativa: b.narrativa ?? '',
      estado: 'enviado' as const,
      reported_by: user.id,
      nota_revision: '',
    };
    if (existing)
      return trx.updateTable('progress_reports').set(values).where('id', '=', existing.id).returningAll().executeTakeFirstOrThrow();
    return trx
      .insertInto('progress_reports')
      .values({ municipality_id: municipalityId, action_id: actionId, periodo: b.periodo, ...values })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

async function reportRow(db: Db, municipalityId: string, reportId: number) {
  const r = await db
    .selectFrom('progress_reports as r')
    .innerJoin('poa_actions as a', 'a.id', 'r.action_id')
    .select(['r.id', 'r.action_id', 'r.estado', 'r.periodo', 'a.department_id', 'a.publicado'])
    .where('r.id', '=', reportId)
    .where('r.municipality_id', '=', municipalityId)
    .executeTakeFirst();
  if (!r) throw new AppError('BRJ_ERR_NOT_FOUND', 'El reporte de avance no existe.');
  return r;
}

/** Stores an evidence file after checking its real type from its bytes (not its name or header). */
/** Who may attach evidence to a report, checked before an upload is read. */
export async function assertEvidenceTarget(db: Db, municipalityId: string, reportId: number, user: SessionUser) {
  const r = await reportRow(db, municipalityId, reportId);
  assertReporter(user, municipalityId, r.department_id);
  if (r.estado === 'publicado') throw new AppError('BRJ_ERR_CONFLICT', 'El reporte ya fue publicado: no se le agregan evidencias.');
}

export async function addEvidence(
  db: Kysely<DB>,
  actor: Actor,
  municipalityId: string,
  reportId: number,
  file: { nombre: string; bytes: Buffer },
  user: SessionUser,
) {
  await assertEvidenceTarget(db, municipalityId, reportId, user);
  // Images are stored re-encoded as JPEG (so named), PDFs as checked.
  const checked = await checkFile(file.bytes, file.nombre, { images: true, pdf: true });
  const ext = checked.tipo === 'imagen' ? 'jpg' : 'pdf';
  const base = file.nombre
    .replace(/[\\/\0]/g, '_')
    .replace(/\.[A-Za-z0-9]{1,5}$/, '')
    .slice(0, 190);
  const nombre = `${base || 'evidencia'}.${ext}`;
  return withActor(db, actor, async (trx) => {
    const n = await trx
      .selectFrom('evidence_files')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('report_id', '=', reportId)
      .executeTakeFirstOrThrow();
    if (n.n >= 20) throw new AppError('BRJ_ERR_CONFLICT', 'Un reporte admite hasta 20 evidencias.');
    return trx
      .insertInto('evidence_files')
      .values({
        municipality_id: municipalityId,
        report_id: reportId,
        nombre,
        mime: checked.mime,
        bytes: checked.contenido.length,
        sha256: crypto.createHash('sha256').update(checked.contenido).digest('hex'),
        contenido: checked.contenido,
      })
      .returning(['id', 'nombre', 'mime', 'bytes'])
      .executeTakeFirstOrThrow();
  });
}

export async function getEvidence(db: Db, municipalityId: string, id: number, user: SessionUser | null) {
  const e = await db
    .selectFrom('evidence_files as e')
    .innerJoin('progress_reports as r', 'r.id', 'e.report_id')
    .innerJoin('poa_actions as a', 'a.id', 'r.action_id')
    .select(['e.nombre', 'e.mime', 'e.contenido', 'e.sha256', 'r.estado', 'a.publicado'])
    .where('e.id', '=', id)
    .where('e.municipality_id', '=', municipalityId)
    .executeTakeFirst();
  if (!e || ((e.estado !== 'publicado' || !e.publicado) && !isStaff(user, municipalityId)))
    throw new AppError('BRJ_ERR_NOT_FOUND', 'La evidencia no existe o no es pública.');
  return e;
}

/** The newest published photo (JPEG or PNG evidence) of each of the given actions: action id → file id. */
export async function latestPhotos(db: Db, actionIds: number[]): Promise<Map<number, number>> {
  if (!actionIds.length) return new Map();
  const rows = await db
    .selectFrom('evidence_files as f')
    .innerJoin('progress_reports as r', 'r.id', 'f.report_id')
    .select(['r.action_id', 'f.id'])
    .distinctOn('r.action_id')
    .where('r.action_id', 'in', actionIds)
    .where('r.estado', '=', 'publicado')
    .where('f.mime', 'in', ['image/jpeg', 'image/png'])
    .orderBy('r.action_id')
    .orderBy('r.periodo', 'desc')
    .orderBy('f.id')
    .execute();
  return new Map(rows.map((r) => [Number(r.action_id), Number(r.id)]));
}

/** The bytes of evidence files of published reports (photos for a PDF). */
export async function publishedEvidence(db: Db, fileIds: number[]) {
  if (!fileIds.length) return [];
  return db
    .selectFrom('evidence_files as f')
    .innerJoin('progress_reports as r', 'r.id', 'f.report_id')
    .select(['f.id', 'f.mime', 'f.contenido'])
    .where('f.id', 'in', fileIds)
    .where('r.estado', '=', 'publicado')
    .execute();
}

/** For plans: how many POA actions are aligned to each of the given plan elements. */
export const alignedActions: ElementReferences = async (db, elementIds) =>
  (
    await db
      .selectFrom('action_alignments')
      .select(['element_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('element_id', 'in', elementIds)
      .groupBy('element_id')
      .execute()
  ).map((r) => ({ elementId: Number(r.element_id), tipo: 'acciones del POA alineadas', n: Number(r.n) }));

/** Planners publish a report (it becomes the action's progress) or send it back with a note. */
export async function reviewReport(
  db: Kysely<DB>,
  actor: Actor,
  municipalityId: string,
  reportId: number,
  b: { decision: 'publicar' | 'devolver'; nota?: string },
  user: SessionUser,
) {
  return withActor(db, actor, async (trx) => {
    const r = await reportRow(trx, municipalityId, reportId);
    if (r.estado === 'publicado') throw new AppError('BRJ_ERR_CONFLICT', 'El reporte ya está publicado.');
    if (b.decision === 'devolver' && (b.nota ?? '').trim().length < 3)
      throw new AppError('BRJ_ERR_VALIDATION', 'Escriba al enlace qué debe corregir.');
    await trx
      .updateTable('progress_reports')
      .set({
        estado: b.decision === 'publicar' ? 'publicado' : 'devuelto',
        nota_revision: b.nota?.trim() ?? '',
        reviewed_by: user.id,
        reviewed_at: new Date(),
      })
      .where('id', '=', reportId)
      .execute();
    if (b.decision === 'publicar') {
      const latest = await sql<{
        avance_fisico: number;
      }>`select avance_fisico from progress_reports where action_id = ${r.action_id} and estado = 'publicado'
                                                         order by ${periodOrder('periodo', 'desc')} limit 1`.execute(trx);
      await trx
        .updateTable('poa_actions')
        .set({ avance_fisico: latest.rows[0].avance_fisico, updated_at: new Date() })
        .where('id', '=', r.action_id)
        .execute();
    }
    return { id: reportId, estado: b.decision === 'publicar' ? ('publicado' as const) : ('devuelto' as const) };
  });
}

// ---------- contracts (obra pública) ----------

export async function contractOf(db: Db, actionId: number) {
  const c = await db.selectFrom('contracts').selectAll().where('action_id', '=', actionId).executeTakeFirst();
  if (!c) return null;
  const modificaciones = await db
    .selectFrom('contract_amendments')
    .select(['id', 'fecha', 'descripcion', 'monto_nuevo', 'fecha_fin_nueva', 'created_at'])
    .where('contract_id', '=', c.id)
    .orderBy('fecha')
    .orderBy('id')
    .execute();
  return { ...c, procedimientoNombre: PROCEDIMIENTOS[c.procedimiento], modificaciones };
}

export interface ContractInput {
  procedimiento: keyof typeof PROCEDIMIENTOS;
  numeroContrato?: string;
  contratistaNombre?: string;
  contratistaRfc?: string | null;
  montoContratado?: number | null;
  fechaConvocatoria?: string | null;
  fechaAdjudicacion?: string | null;
  fechaFirma?: string | null;
  fechaInicio?: string | null;
  fechaFin?: string | null;
}

export async function saveContract(db: Kysely<DB>, actor: Actor, municipalityId: string, actionId: number, b: ContractInput) {
  return withActor(db, actor, async (trx) => {
    await actionRow(trx, municipalityId, actionId);
    const rfc = b.contratistaRfc?.trim().toUpperCase() || null;
    if (rfc && !/^[A-ZÑ&]{3,4}[0-9]{6}[A-Z0-9]{3}$/.test(rfc))
      throw new AppError(
        'BRJ_ERR_VALIDATION',
        `El RFC «${rfc}» no tiene un formato válido (3 o 4 letras, fecha AAMMDD y homoclave de 3 caracteres).`,
      );
    if (b.fechaInicio && b.fechaFin && b.fechaFin < b.fechaInicio)
      throw new AppError('BRJ_ERR_VALIDATION', 'La fecha de término del contrato es anterior a la de inicio.');
    // The order OCDS and the law expect: convocatoria before the award, signature on or after it.
    if (b.fechaConvocatoria && b.fechaAdjudicacion && b.fechaAdjudicacion <= b.fechaConvocatoria)
      throw new AppError('BRJ_ERR_VALIDATION', 'La fecha de adjudicación debe ser posterior a la de convocatoria.');
    if (b.fechaAdjudicacion && b.fechaFirma && b.fechaFirma < b.fechaAdjudicacion)
      throw new AppError('BRJ_ERR_VALIDATION', 'El contrato no puede firmarse antes de la adjudicación.');
    const values = {
      procedimiento: b.procedimiento,
      numero_contrato: b.numeroContrato ?? '',
      contratista_nombre: b.contratistaNombre ?? '',
      contratista_rfc: rfc,
      monto_contratado: b.montoContratado ?? null,
      fecha_convocatoria: b.fechaConvocatoria ?? null,
      fecha_adjudicacion: b.fechaAdjudicacion ?? null,
      fecha_firma: b.fechaFirma ?? null,
      fecha_inicio: b.fechaInicio ?? null,
      fecha_fin: b.fechaFin ?? null,
      updated_at: new Date(),
    };
    await trx.updateTable('poa_actions').set({ tipo: 'obra' }).where('id', '=', actionId).execute();
    return trx
      .insertInto('contracts')
      .values({ municipality_id: municipalityId, action_id: actionId, ...values })
      .onConflict((oc) => oc.column('action_id').doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

export async function addAmendment(
  db: Kysely<DB>,
  actor: Actor,
  municipalityId: string,
  actionId: number,
  b: { fecha: string; descripcion: string; montoNuevo?: number | null; fechaFinNueva?: string | null },
) {
  return withActor(db, actor, async (trx) => {
    const c = await trx
      .selectFrom('contracts')
      .select(['id'])
      .where('action_id', '=', actionId)
      .where('municipality_id', '=', municipalityId)
      .executeTakeFirst();
    if (!c) throw new AppError('BRJ_ERR_NOT_FOUND', 'La obra no tiene datos de contrato: regístrelos antes del convenio modificatorio.');
    const a = await trx
      .insertInto('contract_amendments')
      .values({
        municipality_id: municipalityId,
        contract_id: c.id,
        fecha: b.fecha,
        descripcion: b.descripcion.trim(),
        monto_nuevo: b.montoNuevo ?? null,
        fecha_fin_nueva: b.fechaFinNueva ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    // The contract shows its current terms; the amendment keeps the history.
    await trx
      .updateTable('contracts')
      .set({
        ...(b.montoNuevo != null && { monto_contratado: b.montoNuevo }),
        ...(b.fechaFinNueva && { fecha_fin: b.fechaFinNueva }),
        updated_at: new Date(),
      })
      .where('id', '=', c.id)
      .execute();
    return a;
  });
}

// ---------- downloads ----------

const EXPORT_COLUMNS = [
  'clave',
  'nombre',
  'tipo',
  'anio',
  'programa',
  'unidad_responsable',
  'aprobado',
  'modificado',
  'ejercido',
  'avance_fisico',
  'beneficiarios',
  'fecha_inicio',
  'fecha_fin',
  'lineas_del_plan',
  'publicado',
] as const;
type ExportRow = Record<(typeof EXPORT_COLUMNS)[number], string | number | boolean | null>;

/** The actions list as a table: the same rows and filters as the page, with the plan lines each serves. */
export async function actionsExport(db: Db, municipalityId: string, f: ActionFilter, user: SessionUser | null): Promise<ExportRow[]> {
  const rows = await actionsQuery(db, municipalityId, f, user).select(['a.fecha_inicio', 'a.fecha_fin']).execute();
  const links = rows.length
    ? await db
        .selectFrom('action_alignments')
        .select(['action_id', 'element_id'])
        .where(
          'action_id',
          'in',
          rows.map((r) => r.id),
        )
        .execute()
    : [];
  const briefs = await plans.elementsBrief(db, [...new Set(links.map((l) => l.element_id))], user);
  const label = new Map(briefs.map((b) => [b.id, `${b.plan_titulo} ${b.codigo}`]));
  return rows.map((r) => ({
    clave: r.clave,
    nombre: r.nombre,
    tipo: r.tipo === 'obra' ? 'obra pública' : 'acción',
    anio: r.anio,
    programa: `${r.programa_clave} ${r.programa}`,
    unidad_responsable: r.department,
    aprobado: Number(r.aprobado),
    modificado: Number(r.modificado),
    ejercido: Number(r.ejercido),
    avance_fisico: Number(r.avance_fisico),
    beneficiarios: r.beneficiarios,
    fecha_inicio: r.fecha_inicio,
    fecha_fin: r.fecha_fin,
    lineas_del_plan: links
      .filter((l) => l.action_id === r.id)
      .map((l) => label.get(l.element_id))
      .filter(Boolean)
      .join('; '),
    publicado: r.publicado,
  }));
}

export const toCsv = (rows: ExportRow[]) =>
  toCsvText(
    EXPORT_COLUMNS,
    rows.map((r) => EXPORT_COLUMNS.map((c) => r[c])),
  );

export async function toXlsx(rows: ExportRow[]): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Brújula';
  const ws = wb.addWorksheet('Acciones');
  ws.addRow([...EXPORT_COLUMNS]);
  ws.getRow(1).font = { bold: true };
  for (const r of rows) ws.addRow(EXPORT_COLUMNS.map((c) => r[c]));
  for (const c of ['G', 'H', 'I']) ws.getColumn(c).numFmt = '"$"#,##0.00';
  ws.columns.forEach((c, i) => (c.width = [14, 50, 12, 6, 40, 30, 16, 16, 16, 10, 12, 12, 12, 60, 10][i]));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
