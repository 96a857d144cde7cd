/**
 * Plans and POA benchmarks (issue 4), each next to the same SQL run directly:
 *  - loading the full tree of a plan with ~5,000 elements (metas, ODS, alignments) through
 *    `GET /plans/:id`;
 *  - the budget-weighted roll-up over 10,000 aligned actions: for every element of the plan
 *    (`GET /plans/:id/rollup`) and for one eje's subtree (`GET …/elements/:id/rollup`, which also
 *    lists the actions).
 * Seeding skips the row audit (brujula.restoring), as a restore does: the benchmark measures reads.
 */
import { sql, type Kysely } from 'kysely';
import { loadConfig } from '../src/server/config.ts';
import type { Database } from '../src/server/db/connection.ts';
import type { DB } from '../src/server/db/types.ts';
import { build } from '../src/server/app.ts';
import { insertOutline } from '../src/server/modules/plans/service.ts';
import { BENCH_ENV, pct } from './stats.ts';

const MID = '32056';
const ACTIONS = Number(process.env.BENCH_ACTIONS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);

async function timeIt(fn: () => Promise<unknown>, runs = RUNS) {
  await fn(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return { p50ms: pct(ms, 50), p99ms: pct(ms, 99), runs };
}

/** 4 ejes × 8 objetivos × 12 estrategias × 12 líneas = 5,028 elements, with metas, ODS and alignments. */
async function seed(db: Kysely<DB>) {
  return db.transaction().execute(async (trx) => {
    await sql`select set_config('brujula.restoring', 'on', true)`.execute(trx);
    const plan = await trx
      .insertInto('plans')
      .values({
        municipality_id: MID,
        tipo: 'sectorial',
        titulo: 'Plan de prueba de rendimiento',
        estado: 'vigente',
        cabildo_fecha: '2026-01-01',
        cabildo_acuerdo: 'BENCH',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const rows: { nivel: number; codigo: string; titulo: string; parent: number | null }[] = [];
    for (let a = 1; a <= 4; a++) {
      const ea = rows.push({ nivel: 0, codigo: `${a}`, titulo: `Eje ${a}`, parent: null }) - 1;
      for (let b = 1; b <= 8; b++) {
        const ob = rows.push({ nivel: 1, codigo: `${a}.${b}`, titulo: `Objetivo ${a}.${b}`, parent: ea }) - 1;
        for (let c = 1; c <= 12; c++) {
          const es =
            rows.push({
              nivel: 2,
              codigo: `${a}.${b}.${c}`,
              titulo: `Estrategia ${a}.${b}.${c} para mejorar los servicios públicos del municipio`,
              parent: ob,
            }) - 1;
          for (let d = 1; d <= 12; d++)
            rows.push({
              nivel: 3,
              codigo: `${a}.${b}.${c}.${d}`,
              titulo: `Línea de acción ${a}.${b}.${c}.${d}: ampliar, rehabilitar y conservar la infraestructura urbana`,
              parent: es,
            });
        }
      }
    }
    const ids = await insertOutline(trx, MID, plan.id, rows);
    const objetivos = ids.filter((_, i) => rows[i].nivel === 1);
    const estrategias = ids.filter((_, i) => rows[i].nivel === 2);
    const lineas = ids.filter((_, i) => rows[i].nivel === 3);
    await sql`insert into plan_metas (municipality_id, element_id, descripcion, valores)
              select ${MID}, e, 'Meta de prueba', '[{"anio":2026,"valor":50},{"anio":2027,"valor":60}]'::jsonb from unnest(${objetivos}::bigint[]) e`.execute(
      trx,
    );
    await sql`insert into plan_element_ods (municipality_id, element_id, ods_meta)
              select ${MID}, e, ((row_number() over ()) % 17 + 1)::text || '.1' from unnest(${estrategias}::bigint[]) e`.execute(trx);
    // Each estrategia serves one línea of another (demo) plan: alignments read both ways.
    const target = (
      await trx
        .selectFrom('plan_elements')
        .select('id')
        .where('municipality_id', '=', MID)
        .where('plan_id', '<>', plan.id)
        .limit(1)
        .executeTakeFirstOrThrow()
    ).id;
    await sql`insert into plan_alignments (municipality_id, element_id, target_id) select ${MID}, e, ${target} from unnest(${estrategias}::bigint[]) e`.execute(
      trx,
    );

    // 10,000 actions on líneas, one or two funding sources each, progress 0–100.
    const program = await trx
      .insertInto('poa_programs')
      .values({
        municipality_id: MID,
        anio: 2030,
        department_id: (await trx.selectFrom('departments').select('id').where('municipality_id', '=', MID).executeTakeFirstOrThrow()).id,
        clave: 'BENCH',
        nombre: 'Programa de prueba',
      })
      .returning(['id', 'department_id'])
      .executeTakeFirstOrThrow();
    await sql`insert into poa_actions (municipality_id, program_id, department_id, clave, nombre, publicado, avance_fisico)
              select ${MID}, ${program.id}::bigint, ${program.department_id}::bigint, 'B-' || g, 'Acción de prueba ' || g, true, (g * 37) % 101
                from generate_series(1, ${ACTIONS}) g`.execute(trx);
    await sql`insert into action_budgets (municipality_id, action_id, funding_source_id, aprobado, modificado, ejercido)
              select ${MID}, a.id, f.id, 100000 + (a.id * 7919) % 900000, case when a.id % 3 = 0 then 120000 + (a.id * 104729) % 800000 end, 50000
                from poa_actions a cross join (select id, row_number() over (order by id) as rn from funding_sources where municipality_id is null and clave in ('FISM-DF', 'PROPIOS')) f
               where a.program_id = ${program.id} and (f.rn = 1 or a.id % 2 = 0)`.execute(trx);
    await sql`insert into action_alignments (municipality_id, action_id, element_id)
              select ${MID}, a.id, (${lineas}::bigint[])[1 + (a.id * 31) % ${lineas.length}]
                from poa_actions a where a.program_id = ${program.id}`.execute(trx);
    return { planId: plan.id, eje: ids[0], elements: ids.length };
  });
}

export async function plansBench(database: Database, log: (m: string) => void) {
  const db = database.db;
  log(`  sembrando un plan de ~5,000 elementos y ${ACTIONS.toLocaleString('es-MX')} acciones…`);
  const t = performance.now();
  const s = await seed(db);
  const seedMs = Math.round(performance.now() - t);
  const app = await build({ config: loadConfig(BENCH_ENV), database, logger: false });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const get = async (path: string) => {
    const r = await fetch(`${url}${path}`);
    if (!r.ok) throw new Error(`${path}: ${r.status}`);
    return r.text();
  };
  const base = `/api/v1/municipalities/${MID}/plans/${s.planId}`;
  const treeBytes = (await get(base)).length;

  log('  árbol completo…');
  const treeRoute = await timeIt(() => get(base));
  // The same five queries the route runs, without assembling or serializing the tree.
  const treeSql = await timeIt(() =>
    Promise.all([
      sql`select id, parent_id, nivel, posicion, codigo, titulo, descripcion, responsables from plan_elements where plan_id = ${s.planId}`.execute(
        db,
      ),
      sql`select m.*, i.clave, i.nombre from plan_metas m join plan_elements e on e.id = m.element_id left join indicators i on i.id = m.indicator_id where e.plan_id = ${s.planId}`.execute(
        db,
      ),
      sql`select o.element_id, o.ods_meta from plan_element_ods o join plan_elements e on e.id = o.element_id where e.plan_id = ${s.planId}`.execute(
        db,
      ),
      sql`select a.element_id, t.id, t.codigo, t.titulo, p.id, p.titulo from plan_alignments a join plan_elements e on e.id = a.element_id join plan_elements t on t.id = a.target_id join plans p on p.id = t.plan_id where e.plan_id = ${s.planId}`.execute(
        db,
      ),
      sql`select a.target_id, t.id, t.codigo, t.titulo, p.id, p.titulo from plan_alignments a join plan_elements e on e.id = a.target_id join plan_elements t on t.id = a.element_id join plans p on p.id = t.plan_id where e.plan_id = ${s.planId}`.execute(
        db,
      ),
    ]),
  );

  log('  avance de todo el árbol sobre 10,000 acciones…');
  const rollupRoute = await timeIt(() => get(`${base}/rollup`));
  // Reference: the whole roll-up in one SQL statement (descendant closure, each action once per element).
  let sqlElements = 0;
  const rollupSql = await timeIt(
    async () => {
      const r = await sql`
      with recursive sub as (
        select id, id as root from plan_elements where plan_id = ${s.planId}
        union all
        select e.id, sub.root from plan_elements e join sub on e.parent_id = sub.id
      ), pairs as (
        select distinct sub.root, x.action_id from sub join action_alignments x on x.element_id = sub.id
      ), w as (
        select action_id, sum(coalesce(modificado, aprobado)) as peso from action_budgets group by action_id
      )
      select p.root, count(*) as acciones, sum(a.avance_fisico * w.peso) / nullif(sum(w.peso), 0) as avance
        from pairs p join poa_actions a on a.id = p.action_id join w on w.action_id = p.action_id
       where a.publicado
       group by p.root`.execute(db);
      sqlElements = r.rows.length;
    },
    Math.min(RUNS, 10),
  );
  const routeElements = Object.keys(JSON.parse(await get(`${base}/rollup`)).elementos).length;

  log('  avance de un eje (con la lista de sus acciones)…');
  const ejeRoute = await timeIt(() => get(`${base}/elements/${s.eje}/rollup`));
  const ejeSql = await timeIt(() =>
    sql`
      with recursive sub as (
        select id from plan_elements where id = ${s.eje}
        union all
        select e.id from plan_elements e join sub on e.parent_id = sub.id
      ), acts as (select distinct x.action_id from action_alignments x join sub on sub.id = x.element_id),
      w as (select b.action_id, sum(b.aprobado) ap, sum(coalesce(b.modificado, b.aprobado)) peso, sum(b.ejercido) ej from action_budgets b join acts on acts.action_id = b.action_id group by b.action_id)
      select count(*), sum(a.avance_fisico * w.peso) / nullif(sum(w.peso), 0), sum(w.ap), sum(w.peso), sum(w.ej)
        from acts join poa_actions a on a.id = acts.action_id join w on w.action_id = a.id where a.publicado`.execute(db),
  );
  const ejeActions = JSON.parse(await get(`${base}/elements/${s.eje}/rollup`)).acciones.length;
  await app.close();
  return {
    seed: { elements: s.elements, actions: ACTIONS, ms: seedMs },
    fullTree: { route: treeRoute, sameSqlDirect: treeSql, responseBytes: treeBytes },
    rollupWholePlan: { route: rollupRoute, oneSqlStatement: rollupSql, elementsWithActions: { route: routeElements, sql: sqlElements } },
    rollupOneEje: { route: ejeRoute, sameSqlAggregate: ejeSql, actionsListed: ejeActions },
  };
}
