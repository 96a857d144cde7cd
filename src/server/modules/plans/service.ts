import { sql, type Kysely, type Transaction } from 'kysely';
import { withActor, type Actor } from '../../db/connection.ts';
import type { DB, PlanEstado, PlanTipo, Role } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import { PLAN_ESTADO_NOMBRE, PLAN_TIPO_NOMBRE } from '../../../shared/catalogs.ts';

export const PLAN_TIPOS = PLAN_TIPO_NOMBRE;
import { assertIndicatorUsable } from '../indicators/api.ts';
import { hasRole, type SessionUser } from '../../plugins/auth.ts';
import { approvalBlocker, elementReferences } from './gates.ts';
import { compareVersions, preorder, subtreeIds, type SnapshotElement } from './tree.ts';

export const ESTADOS = PLAN_ESTADO_NOMBRE;

/**
 * The lifecycle: which step may follow which, and who may take it. The Consejo Ciudadano validates
 * after the consultation; the cabildo's approval (date and acuerdo) is recorded by the municipality's
 * administration; going back to borrador opens a new revision (approved versions stay frozen).
 */
export const TRANSITIONS: Record<PlanEstado, Partial<Record<PlanEstado, Role[]>>> = {
  borrador: { consulta: ['planner'] },
  consulta: { validacion: ['council'], borrador: ['planner'] },
  validacion: { aprobado: ['admin'], borrador: ['planner', 'council'] },
  aprobado: { vigente: ['planner'], borrador: ['planner'] },
  vigente: { evaluado: ['planner', 'council'], borrador: ['planner'] },
  evaluado: { borrador: ['planner'] },
};
/** Entering these states is an approval: the plan is frozen as a new version. */
const FREEZES: PlanEstado[] = ['validacion', 'aprobado'];
const EDITABLE: PlanEstado[] = ['borrador', 'consulta'];

/** Staff and council see drafts; everyone else sees plans from consultation on. */
export const canSeeDrafts = (user: SessionUser | null, municipalityId: string) =>
  hasRole(user, ['planner', 'council', 'enlace'], municipalityId);

type Db = Kysely<DB> | Transaction<DB>;

export async function getPlan(db: Db, municipalityId: string, planId: number, user: SessionUser | null) {
  const p = await db
    .selectFrom('plans')
    .selectAll()
    .where('id', '=', planId)
    .where('municipality_id', '=', municipalityId)
    .executeTakeFirst();
  if (!p || (p.estado === 'borrador' && !canSeeDrafts(user, municipalityId)))
    throw new AppError('BRJ_ERR_NOT_FOUND', 'El plan no existe o aún no es público.');
  return p;
}

export async function listPlans(db: Db, municipalityId: string, user: SessionUser | null) {
  let q = db
    .selectFrom('plans as p')
    .select([
      'p.id',
      'p.municipality_id',
      'p.tipo',
      'p.titulo',
      'p.descripcion',
      'p.periodo_inicio',
      'p.periodo_fin',
      'p.estado',
      'p.cabildo_fecha',
      'p.cabildo_acuerdo',
      'p.is_demo',
      'p.updated_at',
    ])
    .select((eb) =>
      eb.selectFrom('plan_elements as e').whereRef('e.plan_id', '=', 'p.id').select(sql<number>`count(*)::int`.as('n')).as('elementos'),
    )
    .where('p.municipality_id', '=', municipalityId)
    .orderBy(sql`array_position(array['vision2040','pmd','pmot','pdu','sectorial','poligono','ped','pnd'], p.tipo)`)
    .orderBy('p.titulo');
  if (!canSeeDrafts(user, municipalityId)) q = q.where('p.estado', '<>', 'borrador');
  return q.execute();
}

function assertEditable(p: { estado: PlanEstado }) {
  if (!EDITABLE.includes(p.estado)) {
    throw new AppError(
      'BRJ_ERR_CONFLICT',
      `El plan está en estado «${ESTADOS[p.estado]}» y no se puede modificar. Para cambiarlo, regréselo a borrador: la versión aprobada se conserva.`,
    );
  }
}

export interface PlanInput {
  tipo: PlanTipo;
  titulo: string;
  descripcion?: string;
  periodoInicio?: number | null;
  periodoFin?: number | null;
  niveles?: string[];
}

export async function createPlan(db: Kysely<DB>, actor: Actor, municipalityId: string, b: PlanInput & { isDemo?: boolean }) {
  return withActor(db, actor, (trx) =>
    trx
      .insertInto('plans')
      .values({
        municipality_id: municipalityId,
        tipo: b.tipo,
        titulo: b.titulo.trim(),
        descripcion: b.descripcion ?? '',
        periodo_inicio: b.periodoInicio ?? null,
        periodo_fin: b.periodoFin ?? null,
        ...(b.niveles && { niveles: b.niveles.map((n) => n.trim()) }),
        is_demo: b.isDemo ?? false,
      })
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
}

export async function updatePlan(
  db: Kysely<DB>,
  actor: Actor,
  municipalityId: string,
  planId: number,
  b: Partial<PlanInput>,
  user: SessionUser,
) {
  return withActor(db, actor, async (trx) => {
    const p = await getPlan(trx, municipalityId, planId, user);
    assertEditable(p);
    if (b.niveles) {
      const deepest = await trx
        .selectFrom('plan_elements')
        .select(sql<number>`coalesce(max(nivel), -1)`.as('n'))
        .where('plan_id', '=', planId)
        .executeTakeFirstOrThrow();
      if (b.niveles.length <= deepest.n)
        throw new AppError(
          'BRJ_ERR_VALIDATION',
          `El plan ya tiene elementos en el nivel ${deepest.n + 1}: se requieren al menos ${deepest.n + 1} nombres de nivel.`,
        );
    }
    return trx
      .updateTable('plans')
      .set({
        ...(b.tipo && { tipo: b.tipo }),
        ...(b.titulo && { titulo: b.titulo.trim() }),
        ...(b.descripcion !== undefined && { descripcion: b.descripcion }),
        ...(b.periodoInicio !== undefined && { periodo_inicio: b.periodoInicio }),
        ...(b.periodoFin !== undefined && { periodo_fin: b.periodoFin }),
        ...(b.niveles && { niveles: b.niveles.map((n) => n.trim()) }),
        updated_at: new Date(),
      })
      .where('id', '=', planId)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

export async function deletePlan(db: Kysely<DB>, actor: Actor, municipalityId: string, planId: number, user: SessionUser) {
  await withActor(db, actor, async (trx) => {
    const p = await getPlan(trx, municipalityId, planId, user);
    if (p.estado !== 'borrador' || (await trx.selectFrom('plan_versions').select('id').where('plan_id', '=', planId).executeTakeFirst())) {
      throw new AppError('BRJ_ERR_CONFLICT', 'Solo se elimina un plan en borrador que nunca fue aprobado.');
    }
    const all = await trx.selectFrom('plan_elements').select('id').where('plan_id', '=', planId).execute();
    await assertUnreferenced(
      trx,
      all.map((e) => e.id),
    );
    await trx.deleteFrom('plans').where('id', '=', planId).execute();
  });
}

/** The whole tree in reading order with metas, ODS targets and alignments both ways. */
export async function planTree(db: Db, planId: number) {
  const [elements, metas, ods, out, into] = await Promise.all([
    db
      .selectFrom('plan_elements')
      .select(['id', 'parent_id', 'nivel', 'posicion', 'codigo', 'titulo', 'descripcion', 'responsables'])
      .where('plan_id', '=', planId)
      .execute(),
    db
      .selectFrom('plan_metas as m')
      .innerJoin('plan_elements as e', 'e.id', 'm.element_id')
      .leftJoin('shared_indicators as i', 'i.id', 'm.indicator_id')
      .select([
        'm.id',
        'm.element_id',
        'm.descripcion',
        'm.indicator_id',
        'm.linea_base',
        'm.valores',
        'm.posicion',
        'i.clave as indicator_clave',
        'i.nombre as indicator_nombre',
        'i.municipality_id as indicator_municipality_id',
      ])
      .where('e.plan_id', '=', planId)
      .orderBy('m.posicion')
      .orderBy('m.id')
      .execute(),
    db
      .selectFrom('plan_element_ods as o')
      .innerJoin('plan_elements as e', 'e.id', 'o.element_id')
      .select(['o.element_id', 'o.ods_meta'])
      .where('e.plan_id', '=', planId)
      .orderBy('o.ods_meta')
      .execute(),
    alignmentQuery(db, 'out').where('e.plan_id', '=', planId).execute(),
    alignmentQuery(db, 'in').where('e.plan_id', '=', planId).execute(),
  ]);
  const group = <T extends { element_id: number }>(rows: T[]) => {
    const m = new Map<number, T[]>();
    for (const r of rows) (m.get(r.element_id) ?? m.set(r.element_id, []).get(r.element_id)!).push(r);
    return m;
  };
  const gm = group(metas),
    go = group(ods),
    gout = group(out),
    gin = group(into);
  return preorder(elements).map((e) => ({
    ...e,
    metas: (gm.get(e.id) ?? []).map(({ element_id, ...m }) => m),
    ods: (go.get(e.id) ?? []).map((o) => o.ods_meta),
    alineadoA: (gout.get(e.id) ?? []).map(({ element_id, ...a }) => a),
    alineadosDesde: (gin.get(e.id) ?? []).map(({ element_id, ...a }) => a),
  }));
}

/** Alignment links of elements: 'out' = elements they serve (higher plans), 'in' = elements that serve them. */
function alignmentQuery(db: Db, dir: 'out' | 'in') {
  const [mine, other] = dir === 'out' ? (['element_id', 'target_id'] as const) : (['target_id', 'element_id'] as const);
  return db
    .selectFrom('plan_alignments as a')
    .innerJoin('plan_elements as e', 'e.id', `a.${mine}`)
    .innerJoin('plan_elements as t', 't.id', `a.${other}`)
    .innerJoin('plans as p', 'p.id', 't.plan_id')
    .select([
      `a.${mine} as element_id`,
      't.id',
      't.codigo',
      't.titulo',
      'p.id as plan_id',
      'p.titulo as plan_titulo',
      'p.tipo as plan_tipo',
      'p.municipality_id',
      'p.estado as plan_estado',
    ])
    .orderBy('p.tipo')
    .orderBy('t.codigo');
}

export async function getElement(db: Db, elementId: number) {
  const e = await db.selectFrom('plan_elements').selectAll().where('id', '=', elementId).executeTakeFirst();
  if (!e) throw new AppError('BRJ_ERR_NOT_FOUND', 'El elemento del plan no existe.');
  return e;
}

/** One element with its ancestors, children, metas, ODS and alignments (for its public page). */
export async function elementDetail(db: Db, municipalityId: string, planId: number, elementId: number, user: SessionUser | null) {
  const plan = await getPlan(db, municipalityId, planId, user);
  const e = await getElement(db, elementId);
  if (e.plan_id !== planId) throw new AppError('BRJ_ERR_NOT_FOUND', 'El elemento no pertenece a este plan.');
  const ancestors = await sql<{ id: number; codigo: string; titulo: string; nivel: number }>`
    with recursive up as (
      select id, parent_id, codigo, titulo, nivel from plan_elements where id = ${e.parent_id}
      union all
      select p.id, p.parent_id, p.codigo, p.titulo, p.nivel from plan_elements p join up on p.id = up.parent_id
    ) select id, codigo, titulo, nivel from up order by nivel`.execute(db);
  const [children, metas, ods, out, into, units] = await Promise.all([
    db
      .selectFrom('plan_elements')
      .select(['id', 'codigo', 'titulo', 'nivel'])
      .where('parent_id', '=', elementId)
      .orderBy('posicion')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('plan_metas as m')
      .leftJoin('shared_indicators as i', 'i.id', 'm.indicator_id')
      .select([
        'm.id',
        'm.descripcion',
        'm.indicator_id',
        'm.linea_base',
        'm.valores',
        'm.posicion',
        'i.clave as indicator_clave',
        'i.nombre as indicator_nombre',
        'i.municipality_id as indicator_municipality_id',
        'i.unidad_medida as indicator_unidad',
        'i.sentido as indicator_sentido',
      ])
      .where('m.element_id', '=', elementId)
      .orderBy('m.posicion')
      .orderBy('m.id')
      .execute(),
    db.selectFrom('plan_element_ods').select('ods_meta').where('element_id', '=', elementId).orderBy('ods_meta').execute(),
    alignmentQuery(db, 'out').where('e.id', '=', elementId).execute(),
    alignmentQuery(db, 'in').where('e.id', '=', elementId).execute(),
    e.responsables.length
      ? db.selectFrom('shared_departments').select(['id', 'acronym', 'name']).where('id', 'in', e.responsables).execute()
      : Promise.resolve([]),
  ]);
  const visible = (a: { plan_estado: PlanEstado; municipality_id: string }) =>
    a.plan_estado !== 'borrador' || canSeeDrafts(user, a.municipality_id);
  // A línea de acción usually has no metas of its own: it moves those of the objective above it.
  const metasHeredadas = ancestors.rows.length
    ? await metasOf(
        db,
        ancestors.rows.map((a) => a.id),
      )
    : [];
  return {
    plan: {
      id: plan.id,
      titulo: plan.titulo,
      tipo: plan.tipo,
      estado: plan.estado,
      niveles: plan.niveles,
      municipality_id: plan.municipality_id,
    },
    metasHeredadas,
    element: e,
    nivelNombre: plan.niveles[e.nivel] ?? `Nivel ${e.nivel + 1}`,
    ancestors: ancestors.rows,
    children,
    metas,
    ods: ods.map((o) => o.ods_meta),
    alineadoA: out.filter(visible),
    alineadosDesde: into.filter(visible),
    responsables: units,
  };
}

export interface ElementInput {
  parentId?: number | null;
  codigo: string;
  titulo: string;
  descripcion?: string;
  responsables?: number[];
}

async function editablePlanOf(trx: Db, municipalityId: string, planId: number, user: SessionUser) {
  const p = await getPlan(trx, municipalityId, planId, user);
  assertEditable(p);
  return p;
}

async function checkDepartments(trx: Db, municipalityId: string, ids: number[] | undefined) {
  if (!ids?.length) return;
  const found = await trx
    .selectFrom('shared_departments')
    .select('id')
    .where('municipality_id', '=', municipalityId)
    .where('id', 'in', ids)
    .execute();
  if (found.length !== new Set(ids).size)
    throw new AppError('BRJ_ERR_VALIDATION', 'Alguna unidad responsable no pertenece a este municipio.');
}

export async function createElement(
  db: Kysely<DB>,
  actor: Actor,
  municipalityId: string,
  planId: number,
  b: ElementInput,
  user: SessionUser,
) {
  return withActor(db, actor, async (trx) => {
    const plan = await editablePlanOf(trx, municipalityId, planId, user);
    let nivel = 0;
    if (b.parentId != null) {
      const parent = await getElement(trx, b.parentId);
      if (parent.plan_id !== planId) throw new AppError('BRJ_ERR_VALIDATION', 'El elemento padre pertenece a otro plan.');
      nivel = parent.nivel + 1;
    }
    if (nivel >= plan.niveles.length)
      throw new AppError(
        'BRJ_ERR_VALIDATION',
        `El plan tiene ${plan.niveles.length} niveles (${plan.niveles.join(' > ')}): «${plan.niveles.at(-1)}» no admite elementos hijos.`,
      );
    await checkDepartments(trx, municipalityId, b.responsables);
    await assertCodeFree(trx, planId, b.codigo);
    const last = await trx
      .selectFrom('plan_elements')
      .select(sql<number>`coalesce(max(posicion), -1)`.as('p'))
      .where('plan_id', '=', planId)
      .where((eb) => (b.parentId == null ? eb('parent_id', 'is', null) : eb('parent_id', '=', b.parentId)))
      .executeTakeFirstOrThrow();
    return trx
      .insertInto('plan_elements')
      .values({
        municipality_id: municipalityId,
        plan_id: planId,
        parent_id: b.parentId ?? null,
        nivel,
        posicion: last.p + 1,
        codigo: b.codigo.trim(),
        titulo: b.titulo.trim(),
        descripcion: b.descripcion ?? '',
        responsables: b.responsables ?? [],
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

async function assertCodeFree(trx: Db, planId: number, codigo: string, exceptId?: number) {
  let q = trx.selectFrom('plan_elements').select('id').where('plan_id', '=', planId).where('codigo', '=', codigo.trim());
  if (exceptId) q = q.where('id', '<>', exceptId);
  if (await q.executeTakeFirst()) throw new AppError('BRJ_ERR_CONFLICT', `Ya existe un elemento con el código «${codigo}» en este plan.`);
}

async function elementOfPlan(trx: Db, planId: number, elementId: number) {
  const e = await getElement(trx, elementId);
  if (e.plan_id !== planId) throw new AppError('BRJ_ERR_NOT_FOUND', 'El elemento no pertenece a este plan.');
  return e;
}

export async function updateElement(
  db: Kysely<DB>,
  actor: Actor,
  municipalityId: string,
  planId: number,
  elementId: number,
  b: Partial<Omit<ElementInput, 'parentId'>>,
  user: SessionUser,
) {
  return withActor(db, actor, async (trx) => {
    await editablePlanOf(trx, municipalityId, planId, user);
    await elementOfPlan(trx, planId, elementId);
    await checkDepartments(trx, municipalityId, b.responsables);
    if (b.codigo) await assertCodeFree(trx, planId, b.codigo, elementId);
    return trx
      .updateTable('plan_elements')
      .set({
        ...(b.codigo && { codigo: b.codigo.trim() }),
        ...(b.titulo && { titulo: b.titulo.trim() }),
        ...(b.descripcion !== undefined && { descripcion: b.descripcion }),
        ...(b.responsables && { responsables: b.responsables }),
        updated_at: new Date(),
      })
      .where('id', '=', elementId)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

/** Moves an element (with its subtree) under another parent and/or to a position among its siblings. */
export async function moveElement(
  db: Kysely<DB>,
  actor: Actor,
  municipalityId: string,
  planId: number,
  elementId: number,
  to: { parentId: number | null; posicion: number },
  user: SessionUser,
) {
  return withActor(db, actor, async (trx) => {
    const plan = await editablePlanOf(trx, municipalityId, planId, user);
    const e = await elementOfPlan(trx, planId, elementId);
    const all = await trx
      .selectFrom('plan_elements')
      .select(['id', 'parent_id', 'posicion', 'nivel'])
      .where('plan_id', '=', planId)
      .execute();
    const sub = subtreeIds(all, elementId);
    let nivel = 0;
    if (to.parentId !== null) {
      if (sub.has(to.parentId))
        throw new AppError('BRJ_ERR_VALIDATION', 'Un elemento no puede moverse dentro de sí mismo ni de sus elementos hijos.');
      nivel = (await elementOfPlan(trx, planId, to.parentId)).nivel + 1;
    }
    const delta = nivel - e.nivel;
    const deepest = Math.max(...all.filter((r) => sub.has(r.id)).map((r) => r.nivel)) + delta;
    if (deepest >= plan.niveles.length)
      throw new AppError(
        'BRJ_ERR_VALIDATION',
        `Con ese movimiento el subárbol bajaría al nivel ${deepest + 1}, pero el plan tiene ${plan.niveles.length} niveles.`,
      );
    // Renumber the new siblings 0..n with the moved element at its requested position.
    const siblings = all
      .filter((r) => r.parent_id === to.parentId && r.id !== elementId)
      .sort((a, b) => a.posicion - b.posicion || a.id - b.id);
    const pos = Math.max(0, Math.min(to.posicion, siblings.length));
    siblings.splice(pos, 0, { id: elementId, parent_id: to.parentId, posicion: pos, nivel });
    for (const [i, s] of siblings.entries()) {
      if (s.id === elementId)
        await trx
          .updateTable('plan_elements')
          .set({ parent_id: to.parentId, posicion: i, nivel, updated_at: new Date() })
          .where('id', '=', elementId)
          .execute();
      else if (s.posicion !== i) await trx.updateTable('plan_elements').set({ posicion: i }).where('id', '=', s.id).execute();
    }
    if (delta !== 0 && sub.size > 1) {
      await trx
        .updateTable('plan_elements')
        .set({ nivel: sql`nivel + ${delta}` })
        .where(
          'id',
          'in',
          [...sub].filter((id) => id !== elementId),
        )
        .execute();
    }
    return trx.selectFrom('plan_elements').selectAll().where('id', '=', elementId).executeTakeFirstOrThrow();
  });
}

/** Refuses when any element is served by another plan's element or by a record of another module (a POA action). */
async function assertUnreferenced(trx: Db, ids: number[]) {
  if (!ids.length) return;
  const own = await sql<{ id: number; tipo: string; n: number }>`
    select a.target_id as id, 'elementos de otros planes alineados' as tipo, count(*)::int as n from plan_alignments a
      join plan_elements s on s.id = a.element_id
     where a.target_id = any(${ids}::bigint[]) and not (s.id = any(${ids}::bigint[]))
     group by a.target_id`.execute(trx);
  const found = [...own.rows, ...(await elementReferences(trx, ids)).map((r) => ({ id: r.elementId, tipo: r.tipo, n: r.n }))];
  if (!found.length) return;
  const codes = new Map(
    (
      await trx
        .selectFrom('plan_elements')
        .select(['id', 'codigo'])
        .where(
          'id',
          'in',
          found.map((r) => r.id),
        )
        .execute()
    ).map((e) => [Number(e.id), e.codigo]),
  );
  const sums = new Map<string, { codigo: string; tipo: string; n: number }>();
  for (const r of found) {
    const codigo = codes.get(Number(r.id)) ?? String(r.id);
    const k = `${codigo}\u0000${r.tipo}`;
    sums.set(k, { codigo, tipo: r.tipo, n: (sums.get(k)?.n ?? 0) + r.n });
  }
  const rows = [...sums.values()].sort((a, b) => (a.codigo < b.codigo ? -1 : a.codigo > b.codigo ? 1 : a.tipo < b.tipo ? -1 : 1));
  const what = rows.map((r) => `${r.codigo}: ${r.n} ${r.tipo}`).join('; ');
  throw new AppError(
    'BRJ_ERR_CONFLICT',
    `No se puede eliminar: el elemento o alguno de sus hijos está referenciado (${what}). Quite primero esas alineaciones.`,
    rows,
  );
}

/** Deletes an element with its whole subtree, unless any of it is referenced from elsewhere. */
export async function deleteElement(
  db: Kysely<DB>,
  actor: Actor,
  municipalityId: string,
  planId: number,
  elementId: number,
  user: SessionUser,
) {
  return withActor(db, actor, async (trx) => {
    await editablePlanOf(trx, municipalityId, planId, user);
    const e = await elementOfPlan(trx, planId, elementId);
    const all = await trx.selectFrom('plan_elements').select(['id', 'parent_id', 'posicion']).where('plan_id', '=', planId).execute();
    const sub = [...subtreeIds(all, elementId)];
    await assertUnreferenced(trx, sub);
    await trx.deleteFrom('plan_elements').where('id', '=', elementId).execute();
    // Close the gap among the remaining siblings.
    await trx
      .updateTable('plan_elements')
      .set({ posicion: sql`posicion - 1` })
      .where('plan_id', '=', planId)
      .where((eb) => (e.parent_id === null ? eb('parent_id', 'is', null) : eb('parent_id', '=', e.parent_id)))
      .where('posicion', '>', e.posicion)
      .execute();
    return { eliminados: sub.length };
  });
}

export interface MetaInput {
  descripcion: string;
  indicatorId?: number | null;
  lineaBase?: number | null;
  valores?: { anio: number; valor: number }[];
}

function checkValores(v: { anio: number; valor: number }[] | undefined) {
  if (v && new Set(v.map((x) => x.anio)).size !== v.length) throw new AppError('BRJ_ERR_VALIDATION', 'Cada año puede tener una sola meta.');
}

export async function addMeta(
  db: Kysely<DB>,
  actor: Actor,
  municipalityId: string,
  planId: number,
  elementId: number,
  b: MetaInput,
  user: SessionUser,
) {
  return withActor(db, actor, async (trx) => {
    await editablePlanOf(trx, municipalityId, planId, user);
    await elementOfPlan(trx, planId, elementId);
    await assertIndicatorUsable(trx, municipalityId, b.indicatorId);
    checkValores(b.valores);
    const valores = [...(b.valores ?? [])].sort((a, c) => a.anio - c.anio);
    return trx
      .insertInto('plan_metas')
      .values({
        municipality_id: municipalityId,
        element_id: elementId,
        descripcion: b.descripcion.trim(),
        indicator_id: b.indicatorId ?? null,
        linea_base: b.lineaBase ?? null,
        valores: JSON.stringify(valores),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

export async function updateMeta(
  db: Kysely<DB>,
  actor: Actor,
  municipalityId: string,
  planId: number,
  metaId: number,
  b: Partial<MetaInput>,
  user: SessionUser,
) {
  return withActor(db, actor, async (trx) => {
    await editablePlanOf(trx, municipalityId, planId, user);
    const m = await trx
      .selectFrom('plan_metas as m')
      .innerJoin('plan_elements as e', 'e.id', 'm.element_id')
      .select(['m.id', 'e.plan_id'])
      .where('m.id', '=', metaId)
      .executeTakeFirst();
    if (!m || m.plan_id !== planId) throw new AppError('BRJ_ERR_NOT_FOUND', 'La meta no existe en este plan.');
    await assertIndicatorUsable(trx, municipalityId, b.indicatorId);
    checkValores(b.valores);
    return trx
      .updateTable('plan_metas')
      .set({
        ...(b.descripcion && { descripcion: b.descripcion.trim() }),
        ...(b.indicatorId !== undefined && { indicator_id: b.indicatorId }),
        ...(b.lineaBase !== undefined && { linea_base: b.lineaBase }),
        ...(b.valores && { valores: JSON.stringify([...b.valores].sort((a, c) => a.anio - c.anio)) }),
      })
      .where('id', '=', metaId)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

export async function deleteMeta(db: Kysely<DB>, actor: Actor, municipalityId: string, planId: number, metaId: number, user: SessionUser) {
  await withActor(db, actor, async (trx) => {
    await editablePlanOf(trx, municipalityId, planId, user);
    const m = await trx
      .selectFrom('plan_metas as m')
      .innerJoin('plan_elements as e', 'e.id', 'm.element_id')
      .select(['m.id', 'e.plan_id'])
      .where('m.id', '=', metaId)
      .executeTakeFirst();
    if (!m || m.plan_id !== planId) throw new AppError('BRJ_ERR_NOT_FOUND', 'La meta no existe en este plan.');
    await trx.deleteFrom('plan_metas').where('id', '=', metaId).execute();
  });
}

/** Replaces an element's alignment links (to elements of other plans) and ODS targets. */
export async function setAlignments(
  db: Kysely<DB>,
  actor: Actor,
  municipalityId: string,
  planId: number,
  elementId: number,
  b: { elementos?: number[]; ods?: string[] },
  user: SessionUser,
) {
  return withActor(db, actor, async (trx) => {
    await editablePlanOf(trx, municipalityId, planId, user);
    await elementOfPlan(trx, planId, elementId);
    if (b.elementos) {
      const targets = b.elementos.length
        ? await trx
            .selectFrom('plan_elements as e')
            .innerJoin('plans as p', 'p.id', 'e.plan_id')
            .select(['e.id', 'e.plan_id', 'p.municipality_id', 'p.tipo', 'p.estado'])
            .where('e.id', 'in', b.elementos)
            .execute()
        : [];
      const stateTenant = `${municipalityId.slice(0, 2)}000`;
      for (const id of new Set(b.elementos)) {
        const t = targets.find((x) => x.id === id);
        if (!t) throw new AppError('BRJ_ERR_VALIDATION', `El elemento ${id} no existe.`);
        if (t.plan_id === planId) throw new AppError('BRJ_ERR_VALIDATION', 'La alineación es con elementos de otros planes, no del mismo.');
        // Same municipality, or a higher plan (PED/PND) of the state.
        if (t.municipality_id !== municipalityId && !(t.municipality_id === stateTenant && ['ped', 'pnd'].includes(t.tipo))) {
          throw new AppError('BRJ_ERR_VALIDATION', 'Solo se alinea con planes del mismo municipio o con el PED/PND.');
        }
      }
      await trx.deleteFrom('plan_alignments').where('element_id', '=', elementId).execute();
      if (b.elementos.length) {
        await trx
          .insertInto('plan_alignments')
          .values([...new Set(b.elementos)].map((t) => ({ municipality_id: municipalityId, element_id: elementId, target_id: t })))
          .execute();
      }
    }
    if (b.ods) {
      await trx.deleteFrom('plan_element_ods').where('element_id', '=', elementId).execute();
      if (b.ods.length)
        await trx
          .insertInto('plan_element_ods')
          .values([...new Set(b.ods)].map((o) => ({ municipality_id: municipalityId, element_id: elementId, ods_meta: o })))
          .execute();
    }
  });
}

/** The plan as frozen in a version: everything an element carries. */
export async function snapshot(db: Db, planId: number): Promise<SnapshotElement[]> {
  const tree = await planTree(db, planId);
  return tree.map((e) => ({
    id: e.id,
    parent_id: e.parent_id,
    posicion: e.posicion,
    nivel: e.nivel,
    codigo: e.codigo,
    titulo: e.titulo,
    descripcion: e.descripcion,
    responsables: [...e.responsables].sort((a, b) => a - b),
    metas: e.metas.map((m) => ({ descripcion: m.descripcion, indicator_id: m.indicator_id, linea_base: m.linea_base, valores: m.valores })),
    ods: e.ods,
    alineaciones: e.alineadoA.map((a) => a.id).sort((a, b) => a - b),
  }));
}

export interface TransitionInput {
  a: PlanEstado;
  nota?: string;
  cabildoFecha?: string;
  cabildoAcuerdo?: string;
}

export function allowedTransitions(user: SessionUser | null, municipalityId: string, estado: PlanEstado): PlanEstado[] {
  return (Object.entries(TRANSITIONS[estado]) as [PlanEstado, Role[]][])
    .filter(([, roles]) => hasRole(user, roles, municipalityId))
    .map(([a]) => a);
}

export async function transition(
  db: Kysely<DB>,
  actor: Actor,
  municipalityId: string,
  planId: number,
  b: TransitionInput,
  user: SessionUser,
) {
  return withActor(db, actor, async (trx) => {
    const p = await getPlan(trx, municipalityId, planId, user);
    const roles = TRANSITIONS[p.estado][b.a];
    if (!roles) throw new AppError('BRJ_ERR_CONFLICT', `Un plan en «${ESTADOS[p.estado]}» no puede pasar a «${ESTADOS[b.a]}».`);
    if (!hasRole(user, roles, municipalityId)) {
      const who = roles
        .map(
          (r) =>
            ({
              admin: 'la administración municipal',
              planner: 'el personal de planeación',
              council: 'el Consejo Ciudadano',
              enlace: 'los enlaces',
              citizen: 'la ciudadanía',
            })[r],
        )
        .join(' o ');
      throw new AppError('BRJ_ERR_FORBIDDEN', `Solo ${who} puede pasar el plan a «${ESTADOS[b.a]}».`);
    }
    if (b.a === 'aprobado' && (!b.cabildoFecha || !b.cabildoAcuerdo?.trim())) {
      throw new AppError(
        'BRJ_ERR_VALIDATION',
        'Para registrar la aprobación del cabildo indique la fecha de la sesión y el número de acuerdo.',
      );
    }
    // Passing the council's validation takes a favourable resolution of the Consejo Ciudadano on the plan.
    if (p.estado === 'validacion' && b.a === 'aprobado') {
      const reason = await approvalBlocker(trx, planId);
      if (reason) throw new AppError('BRJ_ERR_CONFLICT', reason);
    }
    const elements = await trx
      .selectFrom('plan_elements')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('plan_id', '=', planId)
      .executeTakeFirstOrThrow();
    if (b.a === 'consulta' && elements.n === 0)
      throw new AppError('BRJ_ERR_VALIDATION', 'El plan no tiene elementos: agregue al menos un eje antes de abrir la consulta.');
    const updated = await trx
      .updateTable('plans')
      .set({
        estado: b.a,
        ...(b.a === 'aprobado' && { cabildo_fecha: b.cabildoFecha, cabildo_acuerdo: b.cabildoAcuerdo!.trim() }),
        ...(b.a === 'borrador' && { cabildo_fecha: null, cabildo_acuerdo: null }),
        updated_at: new Date(),
      })
      .where('id', '=', planId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('plan_transitions')
      .values({
        municipality_id: municipalityId,
        plan_id: planId,
        de: p.estado,
        a: b.a,
        nota: b.nota ?? (b.a === 'aprobado' ? `Acuerdo ${b.cabildoAcuerdo} del ${b.cabildoFecha}` : ''),
        user_id: user.id,
      })
      .execute();
    if (FREEZES.includes(b.a)) {
      const last = await trx
        .selectFrom('plan_versions')
        .select(sql<number>`coalesce(max(numero), 0)`.as('n'))
        .where('plan_id', '=', planId)
        .executeTakeFirstOrThrow();
      const plan = {
        titulo: updated.titulo,
        tipo: updated.tipo,
        niveles: updated.niveles,
        cabildo_fecha: updated.cabildo_fecha,
        cabildo_acuerdo: updated.cabildo_acuerdo,
      };
      await trx
        .insertInto('plan_versions')
        .values({
          municipality_id: municipalityId,
          plan_id: planId,
          numero: last.n + 1,
          estado: b.a,
          snapshot: JSON.stringify({ plan, elements: await snapshot(trx, planId) }),
        })
        .execute();
    }
    return updated;
  });
}

export async function listVersions(db: Db, planId: number) {
  return db
    .selectFrom('plan_versions')
    .select(['numero', 'estado', 'created_at'])
    .where('plan_id', '=', planId)
    .orderBy('numero')
    .execute();
}

async function versionElements(db: Db, planId: number, v: number | 'actual'): Promise<SnapshotElement[]> {
  if (v === 'actual') return snapshot(db, planId);
  const row = await db
    .selectFrom('plan_versions')
    .select('snapshot')
    .where('plan_id', '=', planId)
    .where('numero', '=', v)
    .executeTakeFirst();
  if (!row) throw new AppError('BRJ_ERR_NOT_FOUND', `La versión ${v} no existe.`);
  return (row.snapshot as { elements: SnapshotElement[] }).elements;
}

export async function compare(db: Db, planId: number, de: number | 'actual', a: number | 'actual') {
  const [x, y] = await Promise.all([versionElements(db, planId, de), versionElements(db, planId, a)]);
  const cambios = compareVersions(x, y);
  const count = (c: string) => cambios.filter((k) => k.cambio === c).length;
  return { de, a, resumen: { agregados: count('agregado'), eliminados: count('eliminado'), modificados: count('modificado') }, cambios };
}

export async function transitions(db: Db, planId: number) {
  return db
    .selectFrom('plan_transitions as t')
    .leftJoin('shared_users as u', 'u.id', 't.user_id')
    .select(['t.de', 't.a', 't.nota', 't.at', 'u.name as usuario'])
    .where('t.plan_id', '=', planId)
    .orderBy('t.at')
    .orderBy('t.id')
    .execute();
}

/** Bulk insert of an outline (import, demo): rows in reading order with parent indexes. */
export async function insertOutline(
  trx: Transaction<DB>,
  municipalityId: string,
  planId: number,
  rows: { nivel: number; codigo: string; titulo: string; descripcion?: string; parent: number | null }[],
): Promise<number[]> {
  const ids: number[] = [];
  const positions = new Map<number | null, number>();
  // Insert level by level: parents exist before their children, and each level is one statement.
  const byLevel = new Map<number, number[]>();
  rows.forEach((r, i) => (byLevel.get(r.nivel) ?? byLevel.set(r.nivel, []).get(r.nivel)!).push(i));
  for (const level of [...byLevel.keys()].sort((a, b) => a - b)) {
    const idx = byLevel.get(level)!;
    for (let k = 0; k < idx.length; k += 2000) {
      const chunk = idx.slice(k, k + 2000);
      const values = chunk.map((i) => {
        const r = rows[i];
        const parentId = r.parent === null ? null : ids[r.parent];
        const pos = positions.get(parentId) ?? 0;
        positions.set(parentId, pos + 1);
        return {
          municipality_id: municipalityId,
          plan_id: planId,
          parent_id: parentId,
          nivel: r.nivel,
          posicion: pos,
          codigo: r.codigo,
          titulo: r.titulo,
          descripcion: r.descripcion ?? '',
        };
      });
      const inserted = await trx.insertInto('plan_elements').values(values).returning('id').execute();
      chunk.forEach((i, j) => (ids[i] = inserted[j].id));
    }
  }
  return ids;
}

/** Elements a POA action of this municipality may serve: its own plans' elements, or the state's PED/PND. */
export async function assertAlignable(db: Db, municipalityId: string, ids: number[]) {
  if (!ids.length) return;
  const found = await db
    .selectFrom('plan_elements as e')
    .innerJoin('plans as p', 'p.id', 'e.plan_id')
    .select(['e.id', 'p.municipality_id', 'p.tipo'])
    .where('e.id', 'in', ids)
    .execute();
  const stateTenant = `${municipalityId.slice(0, 2)}000`;
  for (const id of new Set(ids)) {
    const t = found.find((f) => f.id === id);
    if (!t) throw new AppError('BRJ_ERR_VALIDATION', `El elemento de plan ${id} no existe.`);
    if (t.municipality_id !== municipalityId && !(t.municipality_id === stateTenant && ['ped', 'pnd'].includes(t.tipo))) {
      throw new AppError('BRJ_ERR_VALIDATION', 'La acción solo se alinea con planes del mismo municipio o con el PED/PND.');
    }
  }
}

/** SQL for the ids of an element and all its descendants, to use inside another module's query. */
export const subtreeSql = (elementId: number) =>
  sql<number>`(with recursive sub as (
      select id from plan_elements where id = ${elementId}
      union all
      select e.id from plan_elements e join sub on e.parent_id = sub.id
    ) select id from sub)`;

/** Plan lines (with their path, plan and metas) for the pages of the actions that serve them. */
export async function elementsBrief(db: Db, ids: number[], user: SessionUser | null) {
  if (!ids.length) return [];
  const rows = await sql<{
    id: number;
    codigo: string;
    titulo: string;
    nivel: number;
    plan_id: number;
    plan_titulo: string;
    plan_tipo: PlanTipo;
    plan_estado: PlanEstado;
    municipality_id: string;
    niveles: string[];
    ruta: { id: number; codigo: string; titulo: string }[];
  }>`
    select e.id, e.codigo, e.titulo, e.nivel, p.id as plan_id, p.titulo as plan_titulo, p.tipo as plan_tipo, p.estado as plan_estado, p.municipality_id, p.niveles,
           (with recursive up as (
              select x.id, x.parent_id, x.codigo, x.titulo, x.nivel from plan_elements x where x.id = e.parent_id
              union all
              select y.id, y.parent_id, y.codigo, y.titulo, y.nivel from plan_elements y join up on y.id = up.parent_id
            ) select coalesce(jsonb_agg(jsonb_build_object('id', id, 'codigo', codigo, 'titulo', titulo) order by nivel), '[]'::jsonb) from up) as ruta
      from plan_elements e join plans p on p.id = e.plan_id
     where e.id = any(${ids}::bigint[])
     order by p.tipo, e.codigo`.execute(db);
  const visible = rows.rows.filter((r) => r.plan_estado !== 'borrador' || canSeeDrafts(user, r.municipality_id));
  // The metas a line serves: its own and those of the elements above it.
  const metas = visible.length
    ? await metasOf(
        db,
        visible.flatMap((v) => [v.id, ...v.ruta.map((r) => r.id)]),
      )
    : [];
  return visible.map((v) => {
    const path = new Set([v.id, ...v.ruta.map((r) => r.id)]);
    return { ...v, nivelNombre: v.niveles[v.nivel] ?? '', metas: metas.filter((m) => path.has(m.element_id)) };
  });
}

/** Metas of some elements with their indicator, labelled with the element they belong to. */
async function metasOf(db: Db, elementIds: number[]) {
  return db
    .selectFrom('plan_metas as m')
    .innerJoin('plan_elements as e', 'e.id', 'm.element_id')
    .leftJoin('shared_indicators as i', 'i.id', 'm.indicator_id')
    .select([
      'm.id',
      'm.element_id',
      'e.codigo as element_codigo',
      'e.titulo as element_titulo',
      'm.descripcion',
      'm.valores',
      'm.linea_base',
      'm.indicator_id',
      'i.clave as indicator_clave',
      'i.nombre as indicator_nombre',
      'i.municipality_id as indicator_municipality_id',
    ])
    .where('m.element_id', 'in', [...new Set(elementIds)])
    .orderBy('e.nivel')
    .orderBy('m.posicion')
    .orderBy('m.id')
    .execute();
}
