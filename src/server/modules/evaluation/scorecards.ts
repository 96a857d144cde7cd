import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import type { SessionUser } from '../../plugins/auth.ts';
import { avance, values } from '../indicators/api.ts';
import { getPlan } from '../plans/api.ts';
import { averagesFor } from './ratings.ts';

type Db = Kysely<DB>;
export type Luz = 'verde' | 'amarillo' | 'rojo';

export interface Weights {
  metas: number;
  fisico: number;
  financiero: number;
  verde: number;
  amarillo: number;
}

export async function weights(db: Db, municipalityId: string): Promise<Weights> {
  const r = await db.selectFrom('evaluation_settings').selectAll().where('municipality_id', '=', municipalityId).executeTakeFirst();
  return {
    metas: Number(r?.peso_metas ?? 50),
    fisico: Number(r?.peso_fisico ?? 30),
    financiero: Number(r?.peso_financiero ?? 20),
    verde: Number(r?.umbral_verde ?? 80),
    amarillo: Number(r?.umbral_amarillo ?? 50),
  };
}

export const ruleText = (w: Weights) =>
  `Cada elemento se evalúa con todo lo que cuelga de él: metas (promedio del avance de cada meta hacia su valor del año, 0–100 %, respetando si el indicador es ascendente o descendente y desde su línea base), avance físico (promedio de las acciones alineadas, ponderado por su presupuesto vigente) y avance financiero (ejercido ÷ vigente). Calificación = (${w.metas} × metas + ${w.fisico} × físico + ${w.financiero} × financiero) ÷ la suma de los pesos de los componentes con datos. Semáforo: verde desde ${w.verde}, amarillo desde ${w.amarillo}, rojo debajo.`;

const clamp = (x: number) => Math.max(0, Math.min(100, x));
const round = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);

/** A period is a year (2026) or a quarter (2026-T2); progress is what was reported up to its end. */
export function periodEnd(periodo: string) {
  const m = /^(\d{4})(?:-T([1-4]))?$/.exec(periodo);
  if (!m) throw new AppError('BRJ_ERR_VALIDATION', 'El periodo debe ser un año (2026) o un trimestre (2026-T2).');
  return { anio: Number(m[1]), trimestre: m[2] ? Number(m[2]) : 4 };
}

/** Whether a progress report's period (2026-T2 or 2026-05) falls within [year start, period end]. */
function reportUpTo(reportPeriodo: string, anio: number, trimestre: number) {
  const y = Number(reportPeriodo.slice(0, 4));
  const q = /-T([1-4])$/.exec(reportPeriodo)?.[1];
  const month = /-(\d{2})$/.exec(reportPeriodo)?.[1];
  const rq = q ? Number(q) : Math.ceil(Number(month) / 3);
  return y === anio && rq <= trimestre;
}

export interface MetaScore {
  id: number;
  element_id: number;
  descripcion: string;
  indicador: string | null;
  sentido: 'ascendente' | 'descendente' | null;
  valor: number | null;
  meta: number | null;
  base: number | null;
  avance: number | null;
}

interface ActionState {
  id: number;
  element_ids: number[];
  department_id: number;
  vigente: number;
  avance_fisico: number;
  ejercido: number;
}

/** Metas of a plan scored for a period: the indicator's municipal value against the meta's target for that year. */
async function metaScores(db: Db, planId: number, anio: number, periodo: string): Promise<MetaScore[]> {
  const metas = await db
    .selectFrom('shared_plan_metas as m')
    .innerJoin('shared_plan_elements as e', 'e.id', 'm.element_id')
    .leftJoin('shared_indicators as i', 'i.id', 'm.indicator_id')
    .select([
      'm.id',
      'm.element_id',
      'm.descripcion',
      'm.linea_base',
      'm.valores',
      'i.id as indicator_id',
      'i.clave',
      'i.formula',
      'i.sentido',
      'i.semaforo_verde',
      'i.semaforo_amarillo',
      'i.linea_base_valor',
      'i.municipality_id as ind_mid',
    ])
    .where('e.plan_id', '=', planId)
    .execute();
  const cache = new Map<number, Map<string, number | null>>();
  const out: MetaScore[] = [];
  for (const m of metas) {
    const target = (m.valores as { anio: number; valor: number }[]).find((v) => v.anio === anio)?.valor ?? null;
    let valor: number | null = null;
    if (m.indicator_id && m.formula && m.sentido && m.ind_mid) {
      if (!cache.has(m.indicator_id)) {
        const rows = await values(
          db,
          {
            municipality_id: m.ind_mid,
            id: m.indicator_id,
            formula: m.formula,
            sentido: m.sentido,
            semaforo_verde: Number(m.semaforo_verde),
            semaforo_amarillo: Number(m.semaforo_amarillo),
            linea_base_valor: m.linea_base_valor === null ? null : Number(m.linea_base_valor),
          },
          { level: m.ind_mid.endsWith('000') ? 'estado' : 'municipio', desagregacion: 'total' },
        ).catch(() => []);
        cache.set(m.indicator_id, new Map(rows.map((r) => [r.periodo, r.valor])));
      }
      const byPeriod = cache.get(m.indicator_id)!;
      // The period's own value, else the year's, else the latest one of that year.
      valor =
        byPeriod.get(periodo) ??
        byPeriod.get(String(anio)) ??
        [...byPeriod].filter(([p]) => p.startsWith(String(anio)) && p <= periodo).sort(([a], [b]) => b.localeCompare(a))[0]?.[1] ??
        null;
    }
    const base = m.linea_base !== null ? Number(m.linea_base) : m.linea_base_valor !== null ? Number(m.linea_base_valor) : null;
    const a = m.sentido ? avance(valor, target, m.sentido, base) : null;
    out.push({
      id: m.id,
      element_id: m.element_id,
      descripcion: m.descripcion,
      indicador: m.clave,
      sentido: m.sentido,
      valor,
      meta: target,
      base,
      avance: a === null ? null : round(clamp(a)),
    });
  }
  return out;
}

/** The year's POA actions aligned to the plan, with progress and money as reported up to the period's end. */
async function actionStates(
  db: Db,
  planId: number,
  anio: number,
  trimestre: number,
  user: SessionUser | null,
  municipalityId: string,
): Promise<ActionState[]> {
  const staff = !!user?.grants.some(
    (g) => (g.municipalityId === null || g.municipalityId === municipalityId) && ['admin', 'planner', 'enlace', 'council'].includes(g.role),
  );
  const rows = await sql<{ id: number; department_id: number; element_ids: number[]; vigente: number }>`
    select a.id, a.department_id, array_agg(distinct x.element_id) as element_ids,
           (select coalesce(sum(coalesce(b.modificado, b.aprobado)), 0) from shared_action_budgets b where b.action_id = a.id) as vigente
      from shared_poa_actions a
      join shared_poa_programs g on g.id = a.program_id
      join shared_action_alignments x on x.action_id = a.id
      join shared_plan_elements e on e.id = x.element_id
     where e.plan_id = ${planId} and g.anio = ${anio} and (a.publicado or ${staff})
     group by a.id, a.department_id`.execute(db);
  if (!rows.rows.length) return [];
  const reports = await db
    .selectFrom('shared_progress_reports')
    .select(['action_id', 'periodo', 'avance_fisico', 'ejercido'])
    .where(
      'action_id',
      'in',
      rows.rows.map((r) => r.id),
    )
    .where('estado', '=', 'publicado')
    .execute();
  return rows.rows.map((r) => {
    const mine = reports
      .filter((p) => p.action_id === r.id && reportUpTo(p.periodo, anio, trimestre))
      .sort((a, b) => b.periodo.localeCompare(a.periodo));
    const last = mine[0];
    return {
      id: r.id,
      department_id: r.department_id,
      element_ids: r.element_ids.map(Number),
      vigente: Number(r.vigente),
      avance_fisico: last ? Number(last.avance_fisico) : 0,
      ejercido: last ? Number(last.ejercido) : 0,
    };
  });
}

export interface Score {
  metas: number | null;
  fisico: number | null;
  financiero: number | null;
  calificacion: number | null;
  semaforo: Luz | null;
  nMetas: number;
  nAcciones: number;
  vigente: number;
  ejercido: number;
}

/** The roll-up rule itself, on plain numbers (so a test can compute it by hand). */
export function combine(metaAvances: number[], actions: { vigente: number; avance_fisico: number; ejercido: number }[], w: Weights): Score {
  const metas = metaAvances.length ? metaAvances.reduce((s, x) => s + x, 0) / metaAvances.length : null;
  const vigente = actions.reduce((s, a) => s + a.vigente, 0);
  const ejercido = actions.reduce((s, a) => s + a.ejercido, 0);
  const fisico = actions.length
    ? vigente > 0
      ? actions.reduce((s, a) => s + a.avance_fisico * a.vigente, 0) / vigente
      : actions.reduce((s, a) => s + a.avance_fisico, 0) / actions.length
    : null;
  const financiero = actions.length && vigente > 0 ? clamp((ejercido / vigente) * 100) : null;
  const parts: [number | null, number][] = [
    [metas, w.metas],
    [fisico, w.fisico],
    [financiero, w.financiero],
  ];
  const present = parts.filter(([v, p]) => v !== null && p > 0) as [number, number][];
  const den = present.reduce((s, [, p]) => s + p, 0);
  const calificacion = den > 0 ? present.reduce((s, [v, p]) => s + v * p, 0) / den : null;
  const semaforo: Luz | null =
    calificacion === null ? null : calificacion >= w.verde ? 'verde' : calificacion >= w.amarillo ? 'amarillo' : 'rojo';
  return {
    metas: round(metas),
    fisico: round(fisico),
    financiero: round(financiero),
    calificacion: round(calificacion),
    semaforo,
    nMetas: metaAvances.length,
    nAcciones: actions.length,
    vigente: round(vigente)!,
    ejercido: round(ejercido)!,
  };
}

/** A plan's scorecard for a period: every element scored over its subtree, plus the plan as a whole. */
export async function planScorecard(db: Db, municipalityId: string, planId: number, periodo: string, user: SessionUser | null) {
  const plan = await getPlan(db, municipalityId, planId, user);
  const { anio, trimestre } = periodEnd(periodo);
  const [w, elements, metas, actions] = await Promise.all([
    weights(db, municipalityId),
    db
      .selectFrom('shared_plan_elements')
      .select(['id', 'parent_id', 'nivel', 'codigo', 'titulo', 'posicion', 'responsables'])
      .where('plan_id', '=', planId)
      .orderBy('nivel')
      .orderBy('posicion')
      .orderBy('id')
      .execute(),
    metaScores(db, planId, anio, periodo),
    actionStates(db, planId, anio, trimestre, user, municipalityId),
  ]);
  // Subtrees: each element's descendants (itself included).
  const children = new Map<number | null, number[]>();
  for (const e of elements) children.set(e.parent_id, [...(children.get(e.parent_id) ?? []), e.id]);
  const subtree = (id: number): number[] => [id, ...(children.get(id) ?? []).flatMap(subtree)];
  const ratings = await averagesFor(
    db,
    actions.map((a) => a.id),
  );
  const scoreOf = (ids: Set<number>) => {
    const acts = actions.filter((a) => a.element_ids.some((e) => ids.has(e)));
    // Citizens' ratings of the subtree's works (1–5), weighted by how many people rated each.
    const rated = acts.map((a) => ratings.get(a.id)).filter((r) => !!r);
    const n = rated.reduce((x, r) => x + r.n, 0);
    const ciudadana = n ? { promedio: round(rated.reduce((x, r) => x + r.promedio * r.n, 0) / n)!, calificaciones: n } : null;
    return {
      ...combine(
        metas.filter((m) => ids.has(m.element_id) && m.avance !== null).map((m) => m.avance!),
        acts,
        w,
      ),
      ciudadana,
    };
  };
  const rows = elements.map((e) => ({
    id: e.id,
    parent_id: e.parent_id,
    nivel: e.nivel,
    codigo: e.codigo,
    titulo: e.titulo,
    responsables: e.responsables.map(Number),
    ...scoreOf(new Set(subtree(e.id))),
  }));
  const total = scoreOf(new Set(elements.map((e) => e.id)));
  const conteo = { verde: 0, amarillo: 0, rojo: 0, sinDatos: 0 };
  for (const m of metas) {
    if (m.avance === null) conteo.sinDatos++;
    else if (m.avance >= w.verde) conteo.verde++;
    else if (m.avance >= w.amarillo) conteo.amarillo++;
    else conteo.rojo++;
  }
  return {
    plan: { id: plan.id, titulo: plan.titulo, tipo: plan.tipo, niveles: plan.niveles },
    periodo,
    regla: ruleText(w),
    pesos: w,
    total,
    metasPorSemaforo: conteo,
    elementos: rows,
    metas,
  };
}

/** Two periods side by side, and the elements whose score fell the most. */
export async function comparePeriods(db: Db, municipalityId: string, planId: number, de: string, a: string, user: SessionUser | null) {
  const [x, y] = await Promise.all([
    planScorecard(db, municipalityId, planId, de, user),
    planScorecard(db, municipalityId, planId, a, user),
  ]);
  const before = new Map(x.elementos.map((e) => [e.id, e]));
  const rows = y.elementos.map((e) => {
    const b = before.get(e.id)!;
    const delta = e.calificacion !== null && b.calificacion !== null ? round(e.calificacion - b.calificacion) : null;
    return {
      id: e.id,
      codigo: e.codigo,
      titulo: e.titulo,
      nivel: e.nivel,
      antes: b.calificacion,
      despues: e.calificacion,
      semaforoAntes: b.semaforo,
      semaforoDespues: e.semaforo,
      cambio: delta,
    };
  });
  const empeoraron = rows
    .filter((r) => r.cambio !== null && r.cambio < 0)
    .sort((p, q) => p.cambio! - q.cambio! || p.codigo.localeCompare(q.codigo))
    .slice(0, 10);
  return {
    plan: y.plan,
    de,
    a,
    regla: y.regla,
    total: { antes: x.total.calificacion, despues: y.total.calificacion },
    elementos: rows,
    empeoraron,
  };
}

/**
 * The same rule over other groupings, for one period across the municipality's plans in force:
 * per department (its actions, and the metas of elements it is responsible for) and per theme (metas
 * whose indicator has that theme, and the actions aligned to those elements).
 */
export async function groupScorecards(db: Db, municipalityId: string, periodo: string, user: SessionUser | null) {
  const w = await weights(db, municipalityId);
  const plans = await db
    .selectFrom('shared_plans')
    .select('id')
    .where('municipality_id', '=', municipalityId)
    .where('estado', 'in', IN_FORCE)
    .execute();
  const cards = [];
  for (const p of plans) cards.push(await planScorecard(db, municipalityId, p.id, periodo, user));
  const { anio, trimestre } = periodEnd(periodo);
  const allActions = (await Promise.all(plans.map((p) => actionStates(db, p.id, anio, trimestre, user, municipalityId)))).flat();
  const actions = [...new Map(allActions.map((a) => [a.id, a])).values()];
  const responsables = new Map(cards.flatMap((c) => c.elementos.map((e) => [e.id, e.responsables] as const)));
  const metas = cards.flatMap((c) => c.metas);
  const [deps, themes] = await Promise.all([
    db
      .selectFrom('shared_departments')
      .select(['id', 'name', 'acronym'])
      .where('municipality_id', '=', municipalityId)
      .orderBy('name')
      .execute(),
    sql<{ meta_id: number; theme_code: string; theme: string }>`
      select m.id as meta_id, t.code as theme_code, t.name as theme from shared_plan_metas m join shared_indicators i on i.id = m.indicator_id join shared_indicator_themes t on t.code = i.theme_code
       where m.id = any(${metas.map((m) => m.id)}::bigint[])`
      .execute(db)
      .then((r) => r.rows),
  ]);
  const porDependencia = deps
    .map((d) => {
      const mine = actions.filter((a) => a.department_id === d.id);
      const ms = metas.filter((m) => (responsables.get(m.element_id) ?? []).includes(d.id) && m.avance !== null).map((m) => m.avance!);
      return { id: d.id, nombre: d.name, siglas: d.acronym, ...combine(ms, mine, w) };
    })
    .filter((r) => r.nAcciones > 0 || r.nMetas > 0);
  const themeOf = new Map(themes.map((t) => [Number(t.meta_id), t]));
  const porTema = [...new Map(themes.map((t) => [t.theme_code, t.theme])).entries()].map(([code, nombre]) => {
    const ms = metas.filter((m) => themeOf.get(m.id)?.theme_code === code);
    const elementIds = new Set(ms.map((m) => m.element_id));
    return {
      code,
      nombre,
      ...combine(
        ms.filter((m) => m.avance !== null).map((m) => m.avance!),
        actions.filter((a) => a.element_ids.some((e) => elementIds.has(e))),
        w,
      ),
    };
  });
  return {
    periodo,
    regla: ruleText(w),
    planes: cards.map((c) => ({ id: c.plan.id, titulo: c.plan.titulo, total: c.total, metasPorSemaforo: c.metasPorSemaforo })),
    porDependencia,
    porTema,
  };
}

const IN_FORCE = ['validacion', 'aprobado', 'vigente', 'evaluado'] as const;

/**
 * The period a page opens on when none is asked for: the latest of the last three years in which
 * at least half of the plans' metas have a value (early in a year its indicators are not measured
 * yet, and a page of "sin datos" tells a visitor nothing); else the year with the most values.
 */
export async function defaultPeriod(db: Db, planIds: number[]): Promise<string> {
  const now = new Date().getFullYear();
  let best = { periodo: String(now), conDatos: 0 };
  for (const anio of [now, now - 1, now - 2]) {
    const metas = (await Promise.all(planIds.map((id) => metaScores(db, id, anio, String(anio))))).flat();
    const conDatos = metas.filter((m) => m.avance !== null).length;
    if (metas.length && conDatos * 2 >= metas.length) return String(anio);
    if (conDatos > best.conDatos) best = { periodo: String(anio), conDatos };
  }
  return best.periodo;
}

/** Plans in force of the given municipalities (all active ones when none are given). */
export async function plansInForce(db: Db, municipalityIds?: string[]): Promise<number[]> {
  let q = db
    .selectFrom('shared_plans as p')
    .innerJoin('shared_municipalities as m', 'm.id', 'p.municipality_id')
    .select('p.id')
    .where('p.estado', 'in', IN_FORCE);
  q = municipalityIds ? q.where('p.municipality_id', 'in', municipalityIds) : q.where('m.active', '=', true);
  return (await q.execute()).map((r) => r.id);
}

/** State installations: every active municipality's plans in force, side by side, for one period. */
export async function compareMunicipalities(db: Db, periodo: string, user: SessionUser | null) {
  const municipalities = await db
    .selectFrom('shared_municipalities')
    .select(['id', 'name'])
    .where('active', '=', true)
    .orderBy('id')
    .execute();
  const rows = [];
  for (const m of municipalities) {
    const g = await groupScorecards(db, m.id, periodo, user);
    const metas = g.planes.reduce(
      (s, p) => ({
        verde: s.verde + p.metasPorSemaforo.verde,
        amarillo: s.amarillo + p.metasPorSemaforo.amarillo,
        rojo: s.rojo + p.metasPorSemaforo.rojo,
        sinDatos: s.sinDatos + p.metasPorSemaforo.sinDatos,
      }),
      { verde: 0, amarillo: 0, rojo: 0, sinDatos: 0 },
    );
    const scored = g.planes.filter((p) => p.total.calificacion !== null);
    rows.push({
      id: m.id,
      nombre: m.name,
      planes: g.planes.length,
      calificacion: scored.length ? round(scored.reduce((s, p) => s + p.total.calificacion!, 0) / scored.length) : null,
      metasPorSemaforo: metas,
    });
  }
  return { periodo, municipios: rows };
}
