/**
 * The proposals index at state size (issue 16): 10,150 proposals in one municipality (one in five
 * with an image, as the demo's), `GET /municipalities/:id/proposals` page 1 in its three common
 * forms (newest, `orden=apoyos`, `q=jardin`) under 50 connections. Reference in the same run, at the
 * same concurrency and for the same rows: the route's own page query (listQuery … LIMIT 20) run
 * directly on the app's pool by 50 concurrent loops — the database's share of the page, without the
 * total, HTTP or serialisation. Interleaved: reference, route, reference, route, reference, route,
 * reference; medians of the three route runs and of the four reference runs.
 * Seeding skips the row audit (brujula.restoring), as a restore does: the benchmark measures reads.
 */
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { loadConfig } from '../src/server/config.ts';
import type { Database } from '../src/server/db/connection.ts';
import { build } from '../src/server/app.ts';
import { listQuery, type ProposalFilter } from '../src/server/modules/participation/proposals.ts';
import { loadDemo } from '../demo/load.ts';
import { BENCH_ENV, median, pct } from './stats.ts';

const MID = '32056';
const N = Number(process.env.BENCH_PROPOSALS ?? 10_150);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;

async function seed(database: Database) {
  await database.db.transaction().execute(async (trx) => {
    await sql`select set_config('brujula.restoring', 'on', true)`.execute(trx);
    const citizen = await trx.selectFrom('users').select('id').where('email', '=', 'ciudadana@demo.brujula.mx').executeTakeFirstOrThrow();
    await sql`
      insert into proposals (municipality_id, user_id, titulo, cuerpo, cuerpo_texto, tema, apoyos, comentarios, created_at, is_demo)
      select ${MID}, ${citizen.id},
             'Propuesta ' || g || (case when g % 40 = 0 then ': un jardín vecinal' else ': mejorar la calle' end),
             '<p>Texto de la propuesta número ' || g || ' para el municipio.</p>',
             'Texto de la propuesta número ' || g || ' para el municipio' || (case when g % 40 = 0 then ', con un jardín' else '' end) || '.',
             (array['ordenamiento-territorial','movilidad','seguridad','salud','vivienda'])[1 + g % 5],
             (g * 7919) % 500, (g * 104729) % 40, now() - make_interval(mins => g), true
        from generate_series(1, ${N}) g`.execute(trx);
    // One in five with an image (a small placeholder: the index only reads its id).
    await sql`
      insert into proposal_files (municipality_id, proposal_id, tipo, nombre, mime, bytes, contenido)
      select ${MID}, p.id, 'imagen', 'foto.jpg', 'image/jpeg', 3, '\\xffd8ff'::bytea
        from proposals p where p.municipality_id = ${MID} and p.id % 5 = 0`.execute(trx);
  });
  await sql`analyze proposals`.execute(database.db);
  await sql`analyze proposal_files`.execute(database.db);
}

async function referenceRun(database: Database, f: ProposalFilter) {
  const q = listQuery(database.db, MID, f, null)!;
  const ms: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        await q.limit(20).execute();
        ms.push(performance.now() - t);
      }
    }),
  );
  return { perSec: Math.round(ms.length / ((performance.now() - t0) / 1000)), p50ms: pct(ms, 50), p99ms: pct(ms, 99) };
}

export async function listsBench(database: Database, log: (m: string) => void) {
  await loadDemo(database.db);
  log(`Índice de propuestas: ${N.toLocaleString('es-MX')} propuestas…`);
  await seed(database);
  const app = await build({ config: loadConfig(BENCH_ENV), database, logger: false });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const variants: [string, string, ProposalFilter][] = [
    ['recientes', '', { orden: 'recientes' }],
    ['apoyos', '&orden=apoyos', { orden: 'apoyos' }],
    ['q=jardin', '&q=jardin', { q: 'jardin' }],
  ];
  const out: Record<string, unknown> = {};
  try {
    for (const [name, query, filter] of variants) {
      const path = `/api/v1/municipalities/${MID}/proposals?page=1&limit=20${query}`;
      const first = await (await fetch(`${url}${path}`)).json();
      const refIds = (await listQuery(database.db, MID, filter, null)!.limit(20).execute()).map((r) => Number(r.id));
      // Same output: the route's page is the reference query's rows.
      if (JSON.stringify(first.items.map((i: { id: number }) => i.id)) !== JSON.stringify(refIds))
        throw new Error(`${name}: the route's page is not the reference query's rows`);
      const refs: Awaited<ReturnType<typeof referenceRun>>[] = [];
      const routes: { perSec: number; p50ms: number; p99ms: number; non2xx: number }[] = [];
      log(`  ${name}…`);
      refs.push(await referenceRun(database, filter));
      for (let round = 0; round < 3; round++) {
        const r = await autocannon({ url: `${url}${path}`, connections: CONNECTIONS, duration: SECONDS });
        routes.push({ perSec: Math.round(r.requests.average), p50ms: r.latency.p50, p99ms: r.latency.p99, non2xx: r.non2xx });
        refs.push(await referenceRun(database, filter));
      }
      const route = { perSec: median(routes.map((r) => r.perSec)), p99ms: median(routes.map((r) => r.p99ms)) };
      const reference = { perSec: median(refs.map((r) => r.perSec)), p99ms: median(refs.map((r) => r.p99ms)) };
      out[name] = {
        total: first.total,
        route,
        reference,
        ratio: Math.round((route.perSec / reference.perSec) * 100) / 100,
        goalP99ms: 100,
        runs: { routes, references: refs },
      };
      log(`    ruta ${route.perSec} req/s p99 ${route.p99ms} ms · consulta sola ${reference.perSec}/s p99 ${reference.p99ms} ms`);
    }
  } finally {
    await app.close();
  }
  return { proposals: N, connections: CONNECTIONS, seconds: SECONDS, ...out };
}
