/**
 * SIG benchmarks (issue 5), each against a reference in the same run:
 *  - vector tiles of a BENCH_POINTS (1M) point layer and a BENCH_POLYGONS (60k) polygon layer at
 *    zooms 10–16 through the route (tiles/s, p99) next to the raw ST_AsMVT SQL for the same tiles
 *    (PostgreSQL), and the JavaScript encoder that PGlite uses;
 *  - `/ogc/collections/{id}/items?bbox&limit=1000` at 50 connections against its own page SQL,
 *    interleaved (see ogcItems);
 *  - CSV upload of BENCH_CSV_POINTS (1M) points through the real uploader next to `psql \copy` of
 *    the same file into a plain table plus its GiST index (PostgreSQL only).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { loadConfig } from '../src/server/config.ts';
import type { Database } from '../src/server/db/connection.ts';
import { build } from '../src/server/app.ts';
import { createLayer, overviewsReady, uploadLayerData } from '../src/server/modules/gis/layers.ts';
import { itemsPage } from '../src/server/modules/gis/ogc.ts';
import { buildOverviews, denseTiles } from '../src/server/modules/gis/overviews.ts';
import { tileJs, tileNative } from '../src/server/modules/gis/tiles.ts';
import { BENCH_ENV, median, pct } from './stats.ts';

const POINTS = Number(process.env.BENCH_POINTS ?? 1_000_000);
const POLYGONS = Number(process.env.BENCH_POLYGONS ?? 60_000);
const CSV_POINTS = Number(process.env.BENCH_CSV_POINTS ?? 1_000_000);
const CSV_RUNS = Number(process.env.BENCH_CSV_RUNS ?? 3);
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const MID = '32056';
const CENTER: [number, number] = [-102.5832, 22.7709];
const actor = { userId: null, via: 'bench' };

const tileOf = (lon: number, lat: number, z: number) => {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return [Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)];
};
/** Every tile of zooms 10–16 within ~4 km of the centre, where the data is dense. */
function tileSet() {
  const out: [number, number, number][] = [];
  for (let z = 10; z <= 16; z++) {
    const [x0, y0] = tileOf(CENTER[0] - 0.04, CENTER[1] + 0.04, z);
    const [x1, y1] = tileOf(CENTER[0] + 0.04, CENTER[1] - 0.04, z);
    const step = Math.max(1, Math.ceil(Math.max(x1 - x0 + 1, y1 - y0 + 1) / 6));
    for (let x = x0; x <= x1; x += step) for (let y = y0; y <= y1; y += step) out.push([z, x, y]);
  }
  return out;
}

async function seed(database: Database) {
  const db = database.db;
  const points = await createLayer(db, actor, MID, { titulo: 'Bench puntos', publico: true });
  const polys = await createLayer(db, actor, MID, { titulo: 'Bench poligonos', publico: true });
  await db.transaction().execute(async (trx) => {
    // Points clustered around the centre (a normal-ish spread from sums of uniforms).
    await sql`insert into gis_features (layer_id, municipality_id, fid, properties, geom)
              select ${points.id}::bigint, ${MID}, g, jsonb_build_object('tipo', (g % 7)::text, 'prioridad', g % 3),
                     ST_SetSRID(ST_MakePoint(${CENTER[0]} + (random() + random() + random() - 1.5) * 0.06, ${CENTER[1]} + (random() + random() + random() - 1.5) * 0.06), 4326)
                from generate_series(1, ${POINTS}) g`.execute(trx);
    // Parcels: small squares on a jittered grid around the centre.
    const side = Math.ceil(Math.sqrt(POLYGONS));
    await sql`insert into gis_features (layer_id, municipality_id, fid, properties, geom)
              select ${polys.id}::bigint, ${MID}, g, jsonb_build_object('uso', (g % 5)::text),
                     ST_SetSRID(ST_Envelope(ST_MakeLine(ST_MakePoint(x0, y0), ST_MakePoint(x0 + 0.0006, y0 + 0.0005))), 4326)
                from (select g, ${CENTER[0] - 0.05} + (g % ${side}) * (0.1 / ${side}) as x0, ${CENTER[1] - 0.05} + (g / ${side}) * (0.1 / ${side}) as y0
                        from generate_series(1, ${POLYGONS}) g) s`.execute(trx);
    for (const l of [points, polys]) {
      await sql`update gis_layers set feature_count = (select count(*) from gis_features where layer_id = ${l.id}),
                  bbox = (select array[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)] from (select ST_Extent(geom) e from gis_features where layer_id = ${l.id}) x),
                  atributos = ${JSON.stringify(
                    l.id === points.id
                      ? [
                          { name: 'tipo', type: 'text', description: '' },
                          { name: 'prioridad', type: 'integer', description: '' },
                        ]
                      : [{ name: 'uso', type: 'text', description: '' }],
                  )}::jsonb,
                  version = 1 where id = ${l.id}`.execute(trx);
    }
  });
  await sql`update gis_features set extent = greatest(ST_XMax(geom) - ST_XMin(geom), ST_YMax(geom) - ST_YMin(geom)) where layer_id = ${polys.id}`.execute(
    db,
  );
  await sql`update gis_layers l set max_extent = (select max(extent) from gis_features f where f.layer_id = l.id) where l.id in (${points.id}, ${polys.id})`.execute(
    db,
  );
  await sql`analyze gis_features`.execute(db);
  // What an upload does after loading the features: the low-zoom overviews (timed).
  const overviewMs: Record<string, number> = {};
  for (const [l, pointsOnly] of [
    [points, true],
    [polys, false],
  ] as const) {
    const t0 = performance.now();
    await db.transaction().execute(async (trx) => {
      await buildOverviews(trx, l.id, l === points ? POINTS : POLYGONS, pointsOnly);
      await trx
        .updateTable('gis_layers')
        .set({ geometry_type: pointsOnly ? 'POINT' : 'POLYGON' })
        .where('id', '=', l.id)
        .execute();
    });
    overviewMs[l === points ? 'points' : 'polygons'] = Math.round(performance.now() - t0);
  }
  await sql`analyze gis_overviews`.execute(db);
  return { points: points.slug, polys: polys.slug, overviewMs };
}

async function tiles(database: Database, slugs: { points: string; polys: string }, url: string) {
  const out: Record<string, unknown> = {};
  const set = tileSet();
  for (const [name, slug] of Object.entries(slugs)) {
    const layer = await database.db.selectFrom('gis_layers').selectAll().where('slug', '=', slug).executeTakeFirstOrThrow();
    const l = { ...layer, estilo: layer.estilo as Record<string, unknown> };
    const time = async (fn: (z: number, x: number, y: number) => Promise<unknown>) => {
      const ms: number[] = [];
      const byZoom: Record<number, number[]> = {};
      const t0 = performance.now();
      for (const [z, x, y] of set) {
        const t = performance.now();
        await fn(z, x, y);
        ms.push(performance.now() - t);
        (byZoom[z] ??= []).push(performance.now() - t);
      }
      return {
        tiles: set.length,
        tilesPerSec: Math.round((set.length / (performance.now() - t0)) * 1000 * 10) / 10,
        p50ms: pct(ms, 50),
        p99ms: pct(ms, 99),
        maxMsByZoom: Object.fromEntries(Object.entries(byZoom).map(([z, v]) => [z, Math.round(Math.max(...v))])),
      };
    };
    // The route, cold (each tile once; the cache is keyed by version, so bump it first).
    await sql`update gis_layers set version = version + 1 where id = ${l.id}`.execute(database.db);
    const route = await time(async (z, x, y) => {
      const r = await fetch(`${url}/tiles/${slug}/${z}/${x}/${y}.mvt`);
      await r.arrayBuffer();
    });
    const cached = await time(async (z, x, y) => {
      const r = await fetch(`${url}/tiles/${slug}/${z}/${x}/${y}.mvt`);
      await r.arrayBuffer();
    });
    const denseSet = await denseTiles(database.db, l.id);
    const isDense = (z: number, x: number, y: number) => denseSet.has(`${z}/${x}/${y}`);
    const js = await time((z, x, y) => tileJs(database.db, l, z, x, y, [], isDense(z, x, y)));
    let raw: unknown = 'ST_AsMVT no disponible (PGlite)';
    if (database.kind === 'postgres') {
      raw = await time((z, x, y) =>
        sql`with t as (select ST_TileEnvelope(${z}::int, ${x}::int, ${y}::int) as e)
            select ST_AsMVT(q, 'l', 4096, 'geom') from (
              select f.fid, f.properties, ST_AsMVTGeom(ST_Transform(f.geom, 3857), t.e, 4096, 64, true) as geom
                from gis_features f, t where f.layer_id = ${l.id}::bigint and f.geom && ST_Transform(t.e, 4326)) q`.execute(database.db),
      );
      out[`${name}Native`] = await time((z, x, y) => tileNative(database.db, l, z, x, y, [], isDense(z, x, y)));
    }
    out[name] = {
      features: l.feature_count,
      denseTiles: denseSet.size,
      routeCold: route,
      routeCached: cached,
      jsEncoder: js,
      rawStAsMvtSql: raw,
    };
  }
  return out;
}

// The bbox of the OGC items figure: ~4 km around the centre, where the points are dense.
const OGC_BBOX = [-102.6, 22.75, -102.56, 22.79];
const OGC_CONNECTIONS = 50;

/**
 * `/ogc/collections/{id}/items?bbox&limit=1000` at 50 connections against its own page SQL
 * (`itemsPage`, the same 1,000 features as GeoJSON) run by 50 concurrent loops on the app's pool.
 * Interleaved: reference, route, reference, route, reference, route, reference; medians.
 */
async function ogcItems(database: Database, url: string, slug: string) {
  const layer = await database.db
    .selectFrom('gis_layers')
    .select(['id', 'feature_count'])
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow();
  const filter = { layerId: layer.id, bbox: OGC_BBOX, when: null };
  const path = `/ogc/collections/${slug}/items?bbox=${OGC_BBOX.join(',')}&limit=1000`;
  const routePage = (await (await fetch(`${url}${path}`)).json()) as { numberMatched?: number; features: { id: number }[] };
  const refPage = (await itemsPage(filter, 1000, 0, false).execute(database.db)).rows[0];
  // Same output: the route's features are the reference query's, in the same order.
  if (JSON.stringify(routePage.features) !== JSON.stringify(JSON.parse(`[${refPage.fc ?? ''}]`)))
    throw new Error('OGC items: the route and its page SQL differ');
  const reference = async () => {
    const ms: number[] = [];
    const end = performance.now() + DURATION * 1000;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: OGC_CONNECTIONS }, async () => {
        while (performance.now() < end) {
          const t = performance.now();
          await itemsPage(filter, 1000, 0, false).execute(database.db);
          ms.push(performance.now() - t);
        }
      }),
    );
    return { perSec: Math.round(ms.length / ((performance.now() - t0) / 1000)), p50ms: pct(ms, 50), p99ms: pct(ms, 99) };
  };
  const refs = [await reference()];
  const routes: { perSec: number; p50ms: number; p99ms: number; non2xx: number }[] = [];
  for (let round = 0; round < 3; round++) {
    const r = await autocannon({ url: `${url}${path}`, connections: OGC_CONNECTIONS, duration: DURATION });
    routes.push({ perSec: Math.round(r.requests.average), p50ms: r.latency.p50, p99ms: r.latency.p99, non2xx: r.non2xx });
    refs.push(await reference());
  }
  const route = { perSec: median(routes.map((r) => r.perSec)), p99ms: median(routes.map((r) => r.p99ms)) };
  const pageSql = { perSec: median(refs.map((r) => r.perSec)), p99ms: median(refs.map((r) => r.p99ms)) };
  return {
    features: layer.feature_count,
    returned: routePage.features.length,
    numberMatched: routePage.numberMatched ?? null,
    connections: OGC_CONNECTIONS,
    route,
    pageSql,
    ratio: Math.round((route.perSec / pageSql.perSec) * 100) / 100,
    goal: '≥ 0.5× the page SQL',
    runs: { routes, references: refs },
  };
}

async function csvImport(database: Database, log: (m: string) => void) {
  const file = path.join(os.tmpdir(), `brj-bench-${process.pid}.csv`);
  const lines = ['clave,nombre,tipo,latitud,longitud'];
  for (let i = 1; i <= CSV_POINTS; i++) {
    const lat = (CENTER[1] + Math.sin(i) * 0.05).toFixed(6);
    const lon = (CENTER[0] + Math.cos(i * 1.7) * 0.05).toFixed(6);
    lines.push(`P${i},Punto ${i},${i % 9},${lat},${lon}`);
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  const bytes = fs.readFileSync(file);
  log(`  CSV de ${CSV_POINTS.toLocaleString('es-MX')} puntos (${(bytes.length / 2 ** 20).toFixed(1)} MB), ${CSV_RUNS} veces…`);
  // Runs alternate the upload and the psql reference, and each figure is the median: this 2-vCPU VM
  // varies by ±20 % from one run to the next.
  const uploads: number[] = [];
  const copies: number[] = [];
  let timings: Record<string, number> = {};
  let valid = 0;
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  for (let run = 0; run < CSV_RUNS; run++) {
    const layer = await createLayer(database.db, actor, MID, { titulo: `Bench CSV ${run + 1}`, publico: false });
    timings = {};
    let t = performance.now();
    const report = await uploadLayerData(
      database.db,
      actor,
      layer.id,
      { name: 'bench.csv', bytes },
      { timings, copyInto: database.copyInto },
    );
    uploads.push(Math.round(performance.now() - t));
    valid = report.valid;
    // The overview of a layer this large is built after the upload answers: timed apart.
    t = performance.now();
    await overviewsReady(layer.id);
    timings.overviewsAfterAnswer = Math.round(performance.now() - t);
    log(`  fases (ms): ${JSON.stringify(timings)}`);
    if (database.kind === 'postgres' && url) {
      const dbUrl = (database as Database & { url?: string }).url ?? url;
      t = performance.now();
      await promisify(execFile)(
        'psql',
        [
          dbUrl,
          '-v',
          'ON_ERROR_STOP=1',
          '-c',
          'drop table if exists bench_copy',
          '-c',
          'create table bench_copy (clave text, nombre text, tipo text, latitud float8, longitud float8)',
          '-c',
          `\\copy bench_copy from '${file}' csv header`,
          '-c',
          'alter table bench_copy add column geom geometry(Point, 4326)',
          '-c',
          'update bench_copy set geom = ST_SetSRID(ST_MakePoint(longitud, latitud), 4326)',
          '-c',
          'create index on bench_copy using gist (geom)',
        ],
        { maxBuffer: 16 * 1024 * 1024 },
      );
      copies.push(Math.round(performance.now() - t));
    }
  }
  const uploadMs = median(uploads);
  const out: Record<string, unknown> = {
    points: CSV_POINTS,
    mb: Math.round((bytes.length / 2 ** 20) * 10) / 10,
    runs: CSV_RUNS,
    uploadMs,
    uploadRunsMs: uploads,
    pointsPerSec: Math.round(CSV_POINTS / (uploadMs / 1000)),
    valid,
    phasesMsLastRun: timings,
  };
  if (copies.length) {
    out.psqlCopyPlusIndexMs = median(copies);
    out.psqlCopyRunsMs = copies;
    out.ratioVsCopy = Math.round((median(copies) / uploadMs) * 100) / 100;
  }
  fs.rmSync(file, { force: true });
  return out;
}

export async function gisBench(database: Database, log: (m: string) => void) {
  // BENCH_GIS_ONLY=csv measures the upload alone; =ogc the bbox pages; =tiles the tiles.
  if (process.env.BENCH_GIS_ONLY === 'csv') return { csvImport: await csvImport(database, log) };
  if (process.env.BENCH_GIS_ONLY === 'ogc') {
    const slugs = await seed(database);
    const app = await build({ config: loadConfig(BENCH_ENV), database, logger: false });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const ogc = await ogcItems(database, url, slugs.points);
    await app.close();
    return { ogcItemsBbox1000: ogc };
  }
  log(`  sembrando ${POINTS.toLocaleString('es-MX')} puntos y ${POLYGONS.toLocaleString('es-MX')} polígonos…`);
  const t = performance.now();
  const { overviewMs, ...slugs } = await seed(database);
  const seedMs = Math.round(performance.now() - t);
  log(`  vistas generales (overviews): ${JSON.stringify(overviewMs)} ms`);
  const app = await build({ config: loadConfig(BENCH_ENV), database, logger: false });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  log('  teselas…');
  const tileResults = await tiles(database, slugs, url);
  if (process.env.BENCH_GIS_ONLY === 'tiles') {
    await app.close();
    return { seedMs, overviewBuildMs: overviewMs, tiles: tileResults };
  }
  log('  OGC items con bbox…');
  const ogc = await ogcItems(database, url, slugs.points);
  await app.close();
  const csv = await csvImport(database, log);
  return { seedMs, overviewBuildMs: overviewMs, tiles: tileResults, ogcItemsBbox1000: ogc, csvImport: csv };
}
