/**
 * Indicator benchmarks (issue 3):
 *  - the series endpoint of one indicator with BENCH_OBS (default 5M) observations in the database,
 *    cached and uncached, next to the same SQL run directly;
 *  - recomputing a computed indicator over 1M variable rows for all units and periods, next to
 *    the plain SQL GROUP BY;
 *  - XLSX import of 100k rows (rows/s), through the real loader (validation, audit rows).
 */
import autocannon from 'autocannon';
import { sql, type Kysely } from 'kysely';
import { loadConfig } from '../src/server/config.ts';
import type { Database } from '../src/server/db/connection.ts';
import type { DB } from '../src/server/db/types.ts';
import { build } from '../src/server/app.ts';
import { computeIndicator } from '../src/server/modules/indicators/compute.ts';
import { loadObservations } from '../src/server/modules/indicators/load.ts';
import { BENCH_ENV, pct } from './stats.ts';

const OBS = Number(process.env.BENCH_OBS ?? 5_000_000);
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const MID = '32056';

async function timeIt(fn: () => Promise<unknown>, runs: number) {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return { p50ms: pct(ms, 50), p99ms: pct(ms, 99), runs };
}

/**
 * Seeds N observations: 10 variables × the AGEBs of 32056 × monthly periods × as many
 * disaggregations as needed. Seeding skips the row audit, as a restore does (brujula.restoring):
 * the benchmark measures reads, and 5M audit rows would only measure the seeding.
 */
async function seed(db: Kysely<DB>, n: number) {
  const units = (
    await db.selectFrom('territorial_units').select('id').where('municipality_id', '=', MID).where('level', '=', 'ageb').execute()
  ).map((u) => u.id);
  const vars: number[] = [];
  for (let i = 1; i <= 10; i++) {
    const v = await db
      .insertInto('indicator_variables')
      .values({ municipality_id: MID, clave: `BENCH_V${i}`, nombre: `Variable de prueba ${i}`, agregacion: 'suma' })
      .returning('id')
      .executeTakeFirstOrThrow();
    vars.push(v.id);
  }
  const months = 312; // 2000-01 … 2025-12
  const desag = Math.max(1, Math.ceil(n / (vars.length * units.length * months)));
  for (const v of vars) {
    await db.transaction().execute(async (trx) => {
      await sql`select set_config('brujula.restoring', 'on', true)`.execute(trx);
      await sql`
        insert into indicator_observations (municipality_id, variable_id, unit_id, periodo, desagregacion, valor)
        select ${MID}, ${v}::bigint, u, to_char(date '2000-01-01' + make_interval(months => m), 'YYYY-MM'),
               case when d = 0 then 'total' else 'grupo:g' || d end, (1 + ((u * 7 + m * 13 + d * 17 + ${v}::bigint) % 997))::numeric
          from unnest(${units}::bigint[]) as u, generate_series(0, ${months - 1}) as m, generate_series(0, ${desag - 1}) as d`.execute(trx);
    });
  }
  await sql`analyze indicator_observations`.execute(db);
  const total = await sql<{ n: number }>`select count(*)::int as n from indicator_observations`.execute(db);
  return { vars, units, desag, total: total.rows[0].n };
}

export async function indicatorBench(database: Database, log: (m: string) => void) {
  const db = database.db;
  log(`  sembrando ${OBS.toLocaleString('es-MX')} observaciones…`);
  let t = performance.now();
  const s = await seed(db, OBS);
  const seedMs = Math.round(performance.now() - t);
  await db
    .insertInto('indicators')
    .values({
      municipality_id: MID,
      clave: 'BENCH-01',
      nombre: 'Indicador de prueba',
      theme_code: 'gobierno',
      formula: 'BENCH_V1 / BENCH_V2 * 100',
      estado: 'publicado',
      cobertura: ['ageb'],
    })
    .execute();

  // The series of one unit: what the indicator page draws.
  const unit = s.units[0];
  const path = `/api/v1/municipalities/${MID}/indicators/BENCH-01/values?nivel=ageb&unitId=${unit}&desagregacion=total`;
  const direct = await timeIt(
    () => computeIndicator(db, MID, 'BENCH_V1 / BENCH_V2 * 100', { level: 'ageb', unitId: unit, desagregacion: 'total' }),
    100,
  );
  const app = await build({ config: loadConfig(BENCH_ENV), database, logger: false });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const run = async (opts: autocannon.Options) => {
    const r = await autocannon({ connections: 50, duration: DURATION, ...opts });
    return {
      requestsPerSec: Math.round(r.requests.average),
      p50ms: r.latency.p50,
      p99ms: r.latency.p99,
      non2xx: r.non2xx,
      errors: r.errors,
    };
  };
  log('  serie con caché…');
  const cachedRun = await run({ url: `${url}${path}` });
  // As browsers ask: with Accept-Encoding, the cached answer goes out brotli-compressed.
  const cachedBrRun = await run({ url: `${url}${path}`, headers: { 'accept-encoding': 'gzip, deflate, br' } });
  log('  serie sin caché…');
  let i = 0;
  // An unknown parameter changes the cache key but not the answer: every request computes.
  const uncachedRun = await run({ url, requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `${path}&_=${i++}` }) }] });
  const payload = await (await fetch(`${url}${path}`)).text();
  await app.close();
  // Reference: a bare Fastify route sending the same bytes, to separate payload size from our work.
  const Fastify = (await import('fastify')).default;
  const bare = Fastify();
  bare.get('/same', async (_req, reply) => reply.type('application/json; charset=utf-8').send(payload));
  const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });
  log('  ruta simple con la misma respuesta…');
  const barePayload = await run({ url: `${bareUrl}/same` });
  await bare.close();

  // Recompute over 1M variable rows (two variables × 500k), all units, periods and disaggregations.
  const rows = await sql<{
    n: number;
  }>`select count(*)::int as n from indicator_observations where variable_id = any(${[s.vars[0], s.vars[1]]}::bigint[])`.execute(db);
  log(`  recálculo sobre ${rows.rows[0].n.toLocaleString('es-MX')} filas…`);
  let computed = 0;
  const recompute = await timeIt(async () => {
    computed = (await computeIndicator(db, MID, 'BENCH_V1 / BENCH_V2 * 100', { level: 'ageb' })).length;
  }, 3);
  let plain = 0;
  const plainGroupBy = await timeIt(async () => {
    const r = await sql`
      select o.unit_id, o.periodo, o.desagregacion,
             sum(o.valor) filter (where o.variable_id = ${s.vars[0]}) / nullif(sum(o.valor) filter (where o.variable_id = ${s.vars[1]}), 0) * 100 as valor
        from indicator_observations o
       where o.municipality_id = ${MID} and o.variable_id in (${s.vars[0]}, ${s.vars[1]})
       group by o.unit_id, o.periodo, o.desagregacion`.execute(db);
    plain = r.rows.length;
  }, 3);

  // XLSX import of 100k rows through the real loader.
  log('  importación XLSX de 100 mil filas…');
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('datos');
  ws.addRow(['clave', 'cvegeo', 'periodo', 'desagregacion', 'valor']);
  const cvegeos = (
    await db.selectFrom('territorial_units').select('cvegeo').where('municipality_id', '=', MID).where('level', '=', 'ageb').execute()
  ).map((u) => u.cvegeo);
  await db
    .insertInto('indicator_variables')
    .values({ municipality_id: MID, clave: 'BENCH_XLSX', nombre: 'Importación de prueba' })
    .execute();
  let n = 0;
  for (let y = 1900; n < 100_000; y++) {
    for (const c of cvegeos) {
      for (let m = 1; m <= 12 && n < 100_000; m++, n++)
        ws.addRow(['BENCH_XLSX', c, `${y}-${String(m).padStart(2, '0')}`, 'total', (n % 1000) + 0.5]);
    }
  }
  const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
  t = performance.now();
  const report = await loadObservations(db, { userId: null, via: 'bench' }, MID, 'bench.xlsx', xlsx, { allowedVariable: () => true });
  const importMs = performance.now() - t;

  return {
    observations: s.total,
    seedMs,
    series: {
      endpoint: path,
      responseBytes: payload.length,
      cached: cachedRun,
      cachedBrotli: cachedBrRun,
      uncached: uncachedRun,
      bareRouteSamePayload: barePayload,
      directSql: direct,
    },
    recompute: {
      variableRows: rows.rows[0].n,
      resultRows: computed,
      computeIndicatorMs: recompute.p50ms,
      plainGroupByMs: plainGroupBy.p50ms,
      plainRows: plain,
      ratio: Math.round((recompute.p50ms / plainGroupBy.p50ms) * 100) / 100,
    },
    xlsxImport: {
      rows: report.insertadas,
      ms: Math.round(importMs),
      rowsPerSec: Math.round(report.insertadas / (importMs / 1000)),
      bytes: xlsx.length,
    },
  };
}
