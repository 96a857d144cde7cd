/**
 * npm run bench — measures what the foundation promises, each against a reference taken in the same run:
 *  - embedded first start and warm restart of `brujula serve` (reference: creating PostGIS in a fresh
 *    PGlite without the template, and a bare PGlite+PostGIS reopen);
 *  - territory list endpoint vs a bare Fastify route, autocannon 50 connections × 10 s, on PGlite and
 *    on PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL);
 *  - import of INEGI's 32mun_epsg6372.zip and 32loc.gpkg (reference: parsing the file alone);
 *  - the participatory-budget voting burst on PostgreSQL (bench/participation.ts);
 *  - the annual progress report of a 500-element plan with 1,000 actions (bench/evaluation.ts);
 *  - overload: 500 connections × 60 s with load shedding vs an unbounded queue (bench/overload.ts).
 * Results go to bench/results/<date>.json and bench/results/latest.json.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { loadConfig } from '../src/server/config.ts';
import { BENCH_ENV } from './stats.ts';
import { openDatabase, type Database } from '../src/server/db/connection.ts';
import { migrate } from '../src/server/db/migrate.ts';
import { build } from '../src/server/app.ts';
import { importTerritory } from '../src/server/modules/territory/importer.ts';
import { readSource } from '../src/server/geo/readers.ts';
import { loadDemo } from '../demo/load.ts';

const DATA = path.resolve(import.meta.dirname, '../../shared/data/inegi-32');
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const results: Record<string, unknown> = {
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
  },
  startedAt: new Date().toISOString(),
};
const log = (m: string) => process.stderr.write(`${m}\n`);
const tmpDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'brj-bench-'));
  fs.rmSync(d, { recursive: true });
  return d;
};

async function timeServe(dataDir: string): Promise<number> {
  const t0 = performance.now();
  const port = 4900 + Math.floor(Math.random() * 90);
  const child = spawn(process.execPath, ['bin/brujula.js', 'serve'], {
    env: { ...process.env, BRUJULA_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  for (;;) {
    if (child.exitCode !== null) throw new Error(out);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/health`);
      if (r.ok) break;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  const ms = performance.now() - t0;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return Math.round(ms);
}

/**
 * Embedded start against its references, interleaved in three rounds (reference, Brújula,
 * reference, Brújula…), medians of 3. References run in this process after PGlite is imported, so
 * they exclude Node's own start, which Brújula's figures include.
 */
async function startup() {
  log('Arranque embebido…');
  const { PGlite } = await import('@electric-sql/pglite');
  const { postgis } = await import('@electric-sql/pglite-postgis');
  const { prepareDemoTemplate, readyDemoTemplate } = await import('../demo/template.ts');
  let prepareMs: number | null = null;
  if (!readyDemoTemplate()) {
    const t = performance.now();
    await prepareDemoTemplate(log);
    prepareMs = Math.round(performance.now() - t);
  }
  const round = { freshPostgis: [] as number[], firstStart: [] as number[], bareReopen: [] as number[], warmStart: [] as number[] };
  for (let r = 0; r < 3; r++) {
    const noTemplate = tmpDir();
    let t = performance.now();
    const pgl = await PGlite.create({ dataDir: noTemplate, extensions: { postgis } });
    await pgl.exec('create extension postgis');
    round.freshPostgis.push(Math.round(performance.now() - t));
    await pgl.close();

    const dir = tmpDir();
    round.firstStart.push(await timeServe(dir));

    t = performance.now();
    const again = await PGlite.create({ dataDir: noTemplate, extensions: { postgis } });
    await again.query('select postgis_lib_version()');
    round.bareReopen.push(Math.round(performance.now() - t));
    await again.close();

    round.warmStart.push(await timeServe(dir));
    fs.rmSync(noTemplate, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1];
  const m = Object.fromEntries(Object.entries(round).map(([k, v]) => [k, median(v)])) as Record<keyof typeof round, number>;
  results.startup = {
    description:
      'ms from process spawn until GET /health answers 200 (demo on); references in this process; medians of 3 interleaved rounds',
    firstStartMs: m.firstStart,
    warmStartMs: m.warmStart,
    reference: { freshPGliteCreateExtensionPostgisMs: m.freshPostgis, barePGliteReopenWithPostgisQueryMs: m.bareReopen },
    ratios: {
      firstStartVsFreshPostgis: +(m.firstStart / m.freshPostgis).toFixed(2),
      warmStartVsBareReopen: +(m.warmStart / m.bareReopen).toFixed(2),
    },
    goals: { firstStartVsFreshPostgis: 0.5, warmStartVsBareReopen: 0.9 },
    runs: round,
    demoCopyPreparedInThisRunMs: prepareMs,
    loadAverageAtStart: os.loadavg().map((x) => +x.toFixed(2)),
  };
  log(
    `  primer arranque ${m.firstStart} ms (${results.startup && (results.startup as { ratios: { firstStartVsFreshPostgis: number } }).ratios.firstStartVsFreshPostgis}× PostGIS nuevo ${m.freshPostgis} ms); reinicio ${m.warmStart} ms (${(m.warmStart / m.bareReopen).toFixed(2)}× reapertura ${m.bareReopen} ms)`,
  );
}

async function cannon(url: string) {
  const r = await autocannon({ url, connections: 50, duration: DURATION });
  return { requestsPerSec: Math.round(r.requests.average), p50ms: r.latency.p50, p99ms: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}

async function bareRoute() {
  const bare = Fastify();
  bare.get('/bare', async () => ({ items: [{ id: 1, name: 'Zacatecas' }], total: 1 }));
  const url = await bare.listen({ port: 0, host: '127.0.0.1' });
  const r = await cannon(`${url}/bare`);
  await bare.close();
  return r;
}

async function withDatabase<T>(kind: 'pglite' | 'postgres', fn: (db: Database) => Promise<T>): Promise<T> {
  let database: Database;
  let dir = '';
  if (kind === 'pglite') {
    dir = tmpDir();
    database = await openDatabase({ databaseUrl: null, dataDir: dir });
  } else {
    const pg = (await import('pg')).default;
    const admin = new pg.Client({ connectionString: pgUrl! });
    await admin.connect();
    const name = `brj_bench_${Date.now()}`;
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(pgUrl!);
    u.pathname = `/${name}`;
    database = Object.assign(await openDatabase({ databaseUrl: u.toString(), dataDir: '' }), { url: u.toString() });
    dir = name;
  }
  await migrate(database);
  try {
    return await fn(database);
  } finally {
    await database.close();
    if (kind === 'pglite') fs.rmSync(dir, { recursive: true, force: true });
    else {
      const pg = (await import('pg')).default;
      const admin = new pg.Client({ connectionString: pgUrl! });
      await admin.connect();
      // The pool's sockets may still be closing (see test/helpers.ts): let them go before forcing.
      for (
        let i = 0;
        i < 100 && (await admin.query('select count(*)::int as n from pg_stat_activity where datname = $1', [dir])).rows[0].n > 0;
        i++
      )
        await new Promise((r) => setTimeout(r, 50));
      await admin.query(`drop database if exists ${dir} with (force)`);
      await admin.end();
    }
  }
}

const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? null;
const kinds: ('pglite' | 'postgres')[] = pgUrl ? ['pglite', 'postgres'] : ['pglite'];

async function throughput() {
  const out: Record<string, unknown> = { description: `autocannon, 50 connections, ${DURATION} s`, bareFastifyRoute: await bareRoute() };
  for (const kind of kinds) {
    log(`Rendimiento HTTP en ${kind}…`);
    out[kind] = await withDatabase(kind, async (database) => {
      await loadDemo(database.db);
      const app = await build({ config: loadConfig(BENCH_ENV), database, logger: false });
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      const r = await cannon(`${url}/api/v1/municipalities/32056/units?level=ageb&limit=50`);
      await app.close();
      return { endpoint: 'GET /api/v1/municipalities/32056/units?level=ageb&limit=50', ...r };
    });
  }
  results.territoryList = out;
}

async function imports() {
  if (!fs.existsSync(DATA)) {
    results.imports = { skipped: `no existe ${DATA}` };
    return;
  }
  const files = [
    { file: '32mun_epsg6372.zip', level: 'municipio' as const, keyField: 'cvegeo', nameField: 'nom_agem', populationField: 'pob' },
    { file: '32loc.gpkg', level: 'localidad' as const, keyField: 'cvegeo', nameField: 'nom_loc', populationField: 'pob' },
  ];
  const out: Record<string, unknown> = {};
  for (const f of files) {
    const bytes = fs.readFileSync(path.join(DATA, f.file));
    const t = performance.now();
    await readSource(f.file, bytes);
    out[f.file] = { parseOnlyMs: Math.round(performance.now() - t) };
  }
  for (const kind of kinds) {
    log(`Importación en ${kind}…`);
    await withDatabase(kind, async (database) => {
      for (const f of files) {
        const bytes = fs.readFileSync(path.join(DATA, f.file));
        const t = performance.now();
        const r = await importTerritory(database.db, { userId: null, via: 'bench' }, bytes, { ...f, fileName: f.file, onInvalid: 'skip' });
        (out[f.file] as Record<string, unknown>)[`${kind}Ms`] = Math.round(performance.now() - t);
        (out[f.file] as Record<string, unknown>).features = r.features;
      }
    });
  }
  results.imports = out;
}

async function indicators() {
  const { indicatorBench } = await import('./indicators.ts');
  const out: Record<string, unknown> = { bareFastifyRoute: await bareRoute() };
  for (const kind of (process.env.BENCH_KINDS?.split(',') as typeof kinds | undefined) ?? kinds) {
    log(`Indicadores en ${kind}…`);
    out[kind] = await withDatabase(kind, async (database) => {
      await loadDemo(database.db);
      return indicatorBench(database, log);
    });
  }
  results.indicators = out;
}

async function plans() {
  const { plansBench } = await import('./plans.ts');
  const out: Record<string, unknown> = {};
  for (const kind of (process.env.BENCH_KINDS?.split(',') as typeof kinds | undefined) ?? kinds) {
    log(`Planes y POA en ${kind}…`);
    out[kind] = await withDatabase(kind, async (database) => {
      await loadDemo(database.db);
      return plansBench(database, log);
    });
  }
  results.plans = out;
}

async function gis() {
  const { gisBench } = await import('./gis.ts');
  const out: Record<string, unknown> = {};
  for (const kind of (process.env.BENCH_KINDS?.split(',') as typeof kinds | undefined) ?? kinds) {
    log(`SIG en ${kind}…`);
    out[kind] = await withDatabase(kind, async (database) => {
      await loadDemo(database.db);
      return gisBench(database, log);
    });
  }
  results.gis = out;
}

async function participation() {
  if (!pgUrl) {
    log('Votación: se omite (requiere PostgreSQL: BENCH_DATABASE_URL o TEST_DATABASE_URL).');
    results.voting = { skipped: 'needs PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL)' };
    return;
  }
  const { votingBench } = await import('./participation.ts');
  results.voting = await withDatabase('postgres', (database) => votingBench(database, log));
}

async function evaluation() {
  const { evaluationBench } = await import('./evaluation.ts');
  const out: Record<string, unknown> = {};
  for (const kind of kinds) {
    log(`Evaluación en ${kind}…`);
    out[kind] = await withDatabase(kind, (database) => evaluationBench(database, log));
  }
  results.evaluation = out;
}

/** The proposals index at state size, on PostgreSQL (bench/lists.ts). */
async function lists() {
  if (!pgUrl) return;
  const { listsBench } = await import('./lists.ts');
  results.lists = await withDatabase('postgres', (database) => listsBench(database, log));
}

// BENCH_ONLY=startup,throughput,imports,indicators,plans,gis,lists,voting,evaluation,overload,background runs a subset.
const only = new Set(
  (process.env.BENCH_ONLY ?? 'startup,throughput,imports,indicators,plans,gis,lists,voting,evaluation,overload,background').split(','),
);
if (only.has('startup')) await startup();
if (only.has('throughput')) await throughput();
if (only.has('imports')) await imports();
if (only.has('indicators')) await indicators();
if (only.has('plans')) await plans();
if (only.has('gis')) await gis();
if (only.has('lists')) await lists();
if (only.has('voting')) await participation();
if (only.has('evaluation')) await evaluation();
if (only.has('overload')) {
  const { overloadBench } = await import('./overload.ts');
  results.overload = await overloadBench({
    log,
    pgUrl,
    seconds: Number(process.env.BENCH_OVERLOAD_SECONDS ?? 60),
    connections: Number(process.env.BENCH_OVERLOAD_CONNECTIONS ?? 500),
  });
}
if (only.has('background')) {
  const { healthDuringBackgroundJob } = await import('./overload.ts');
  results.healthDuringBackgroundJob = await healthDuringBackgroundJob(log);
}
results.finishedAt = new Date().toISOString();
fs.mkdirSync(path.resolve('bench/results'), { recursive: true });
const json = JSON.stringify(results, null, 2);
fs.writeFileSync(path.resolve(`bench/results/${results.startedAt as string}.json`.replaceAll(':', '-')), json);
// latest.json keeps the newest figure of every section, so a subset run does not drop the others.
const latestPath = path.resolve('bench/results/latest.json');
const previous = fs.existsSync(latestPath) ? JSON.parse(fs.readFileSync(latestPath, 'utf8')) : {};
fs.writeFileSync(latestPath, JSON.stringify({ ...previous, ...results }, null, 2));
process.stdout.write(`${json}\n`);
