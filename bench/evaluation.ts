/**
 * Evaluation bench (issue 7): publishing the annual progress report (scorecard snapshot + PDF) of a
 * plan with ~500 elements, 50 metas on indicators and 1,000 actions with four quarterly reports
 * each. Reported: seconds and the process's peak memory above its baseline. References in the same
 * run: the scorecard alone (no PDF), and one SQL statement doing the report's heaviest read (each
 * action's latest report of the year, summed up the tree).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/server/db/connection.ts';
import type { DB } from '../src/server/db/types.ts';
import { insertOutline } from '../src/server/modules/plans/service.ts';
import { publish } from '../src/server/modules/evaluation/reports.ts';
import { planScorecard } from '../src/server/modules/evaluation/scorecards.ts';
import { loadDemo } from '../demo/load.ts';

const MID = '32056';
const ACTIONS = Number(process.env.BENCH_EVAL_ACTIONS ?? 1000);

/** 5 ejes × 10 objetivos × 9 estrategias = 505 elements; a meta per objetivo; actions on estrategias. */
async function seed(db: Kysely<DB>) {
  return db.transaction().execute(async (trx) => {
    await sql`select set_config('brujula.restoring', 'on', true)`.execute(trx);
    const plan = await trx
      .insertInto('plans')
      .values({
        municipality_id: MID,
        tipo: 'sectorial',
        titulo: 'Plan de prueba de evaluación',
        estado: 'vigente',
        cabildo_fecha: '2026-01-01',
        cabildo_acuerdo: 'BENCH',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const rows: { nivel: number; codigo: string; titulo: string; parent: number | null }[] = [];
    for (let a = 1; a <= 5; a++) {
      const ea = rows.push({ nivel: 0, codigo: `${a}`, titulo: `Eje ${a} de prueba`, parent: null }) - 1;
      for (let b = 1; b <= 10; b++) {
        const ob = rows.push({ nivel: 1, codigo: `${a}.${b}`, titulo: `Objetivo ${a}.${b}`, parent: ea }) - 1;
        for (let c = 1; c <= 9; c++)
          rows.push({ nivel: 2, codigo: `${a}.${b}.${c}`, titulo: `Estrategia ${a}.${b}.${c} para mejorar los servicios`, parent: ob });
      }
    }
    const ids = await insertOutline(trx, MID, plan.id, rows);
    const objetivos = ids.filter((_, i) => rows[i].nivel === 1);
    const estrategias = ids.filter((_, i) => rows[i].nivel === 2);
    const ind = await trx
      .selectFrom('indicators')
      .select('id')
      .where('municipality_id', '=', MID)
      .where('estado', '=', 'publicado')
      .orderBy('id')
      .limit(5)
      .execute();
    await sql`insert into plan_metas (municipality_id, element_id, descripcion, indicator_id, valores)
              select ${MID}, e, 'Meta de prueba', (${ind.map((i) => i.id)}::bigint[])[1 + (row_number() over ())::int % ${ind.length}], '[{"anio":2025,"valor":80}]'::jsonb
                from unnest(${objetivos}::bigint[]) e`.execute(trx);
    const dep = await trx.selectFrom('departments').select('id').where('municipality_id', '=', MID).orderBy('id').executeTakeFirstOrThrow();
    const program = await trx
      .insertInto('poa_programs')
      .values({ municipality_id: MID, anio: 2025, department_id: dep.id, clave: 'BENCH-EV', nombre: 'Programa de prueba' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await sql`insert into poa_actions (municipality_id, program_id, department_id, clave, nombre, tipo, publicado, avance_fisico)
              select ${MID}, ${program.id}::bigint, ${dep.id}::bigint, 'BEV-' || g, 'Obra de prueba ' || g, case when g % 4 = 0 then 'obra' else 'accion' end, true, (g * 37) % 101
                from generate_series(1, ${ACTIONS}) g`.execute(trx);
    await sql`insert into action_budgets (municipality_id, action_id, funding_source_id, aprobado, ejercido)
              select ${MID}, a.id, (select id from funding_sources where clave = 'FISM-DF' and municipality_id is null), 100000 + (a.id * 7919) % 900000, 50000
                from poa_actions a where a.program_id = ${program.id}`.execute(trx);
    await sql`insert into action_alignments (municipality_id, action_id, element_id)
              select ${MID}, a.id, (${estrategias}::bigint[])[1 + (a.id * 31) % ${estrategias.length}] from poa_actions a where a.program_id = ${program.id}`.execute(
      trx,
    );
    await sql`insert into progress_reports (municipality_id, action_id, periodo, avance_fisico, ejercido, estado)
              select ${MID}, a.id, '2025-T' || q, least(100, ((a.id * 37) % 101) * q / 4.0), 12500 * q, 'publicado'
                from poa_actions a cross join generate_series(1, 4) q where a.program_id = ${program.id}`.execute(trx);
    return { planId: plan.id, elements: ids.length };
  });
}

/** Runs fn while sampling the resident set every 10 ms; returns ms and the peak above the start. */
async function measure<T>(fn: () => Promise<T>) {
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const t = performance.now();
  const result = await fn();
  const ms = Math.round(performance.now() - t);
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { result, ms, peakMiB: Math.round(((peak - base) / 2 ** 20) * 10) / 10 };
}

export async function evaluationBench(database: Database, log: (m: string) => void) {
  await loadDemo(database.db);
  log(`  sembrando un plan de ~500 elementos y ${ACTIONS.toLocaleString('es-MX')} acciones con 4 reportes cada una…`);
  const s = await seed(database.db);
  log('  informe anual 2025 (instantánea + PDF)…');
  const report = await measure(() => publish(database.db, { userId: null, via: 'bench' }, MID, s.planId, '2025', null));
  const pdf = await database.db
    .selectFrom('evaluation_reports')
    .select(sql<number>`length(pdf)`.as('bytes'))
    .select(sql<number>`(snapshot -> 'total' ->> 'nAcciones')::int`.as('acciones'))
    .select(sql<number>`jsonb_array_length(snapshot -> 'obras')`.as('obras'))
    .select(sql<number>`(snapshot -> 'total' ->> 'nMetas')::int`.as('metas'))
    .where('id', '=', report.result.id)
    .executeTakeFirstOrThrow();
  const card = await measure(() => planScorecard(database.db, MID, s.planId, '2025', null));
  const raw = await measure(() =>
    sql`with last as (select distinct on (r.action_id) r.action_id, r.avance_fisico, r.ejercido from progress_reports r where r.periodo like '2025-%' and r.estado = 'publicado' order by r.action_id, r.periodo desc)
        select e.id, count(*), sum(l.avance_fisico), sum(l.ejercido)
          from plan_elements e join action_alignments x on x.element_id = e.id join last l on l.action_id = x.action_id
         where e.plan_id = ${s.planId} group by e.id`.execute(database.db),
  );
  return {
    description: `annual report of a plan with ${s.elements} elements, 50 metas and ${ACTIONS} actions (4 quarterly reports each): scorecard snapshot + PDF, stored`,
    report: {
      seconds: report.ms / 1000,
      peakMiBAboveBaseline: report.peakMiB,
      pdfBytes: pdf.bytes,
      actionsInSnapshot: pdf.acciones,
      worksListed: pdf.obras,
      metasWithData: pdf.metas,
    },
    scorecardOnly: { seconds: card.ms / 1000, peakMiBAboveBaseline: card.peakMiB },
    rawSqlLatestReportsByElement: { seconds: raw.ms / 1000 },
  };
}
