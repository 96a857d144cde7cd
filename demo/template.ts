/**
 * A prepared data folder holding the migrated schema and the whole demo (territory, plans, works,
 * participation, 200,000 emergency calls, the basemap), made once at install time (`brujula
 * prepare-template`, run by npm's postinstall). A first start on an empty folder copies it instead
 * of migrating and loading the demo (~10 s → ~2 s). Its name carries a hash of the sources that
 * shape the data (migrations, demo, server modules), so an edited checkout never copies stale data:
 * it falls back to loading the demo, as before.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase, PGLITE_VERSION_TAG, templateDir } from '../src/server/db/connection.ts';
import { migrate } from '../src/server/db/migrate.ts';
import { ROOT } from '../src/server/paths.ts';

const SOURCES = ['migrations', 'demo', 'src/server'];

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return sourceFiles(p);
      return /\.(ts|sql|json|geojson|csv)$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [p] : [];
    });
}

/** Hash of everything that decides the demo data's content and schema. */
export function demoTemplateKey(): string {
  const h = crypto.createHash('sha256').update(PGLITE_VERSION_TAG);
  for (const f of SOURCES.flatMap((d) => sourceFiles(path.join(ROOT, d)))) {
    h.update(path.relative(ROOT, f)).update('\0').update(fs.readFileSync(f));
  }
  return h.digest('hex').slice(0, 16);
}

export function demoTemplateDir(key = demoTemplateKey()): string {
  return path.join(path.dirname(templateDir()), `demo-${key}`);
}

/** The prepared demo folder for these sources, or null when there is none (then the demo loads as usual). */
export function readyDemoTemplate(): string | null {
  const dir = demoTemplateDir();
  return fs.existsSync(path.join(dir, 'PG_VERSION')) ? dir : null;
}

/** Builds the demo folder for the current sources (and removes those of other versions). */
export async function prepareDemoTemplate(log: (m: string) => void = () => {}): Promise<string> {
  const key = demoTemplateKey();
  const dir = demoTemplateDir(key);
  if (fs.existsSync(path.join(dir, 'PG_VERSION'))) return dir;
  log('Preparando la copia de la demostración (solo al instalar o actualizar)…');
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  const database = await openDatabase({ databaseUrl: null, dataDir: tmp });
  const step = async (what: string, fn: () => Promise<unknown>) => {
    const t0 = performance.now();
    await fn();
    log(`  ${what}: ${Math.round(performance.now() - t0)} ms`);
  };
  try {
    await step('esquema', () => migrate(database));
    const { loadDemo } = await import('./load.ts');
    await step('datos', () => loadDemo(database.db));
    const { loadDemoCalls, linkDemoCallsIndicator } = await import('./emergency.ts');
    await step('llamadas de emergencia', async () => {
      await loadDemoCalls(database.db);
      await linkDemoCallsIndicator(database.db);
    });
    const { buildBasemap } = await import('../src/server/modules/gis/basemap.ts');
    await step('mapa base', () => buildBasemap(database.db, { dataDir: tmp }));
    await step('estadísticas', () => sql`vacuum analyze`.execute(database.db));
    // PGlite applies WAL settings on the next open; a small ceiling lets checkpoints drop the bulk
    // load's write-ahead log (~100 MB, which every first start would copy). Reset after compaction.
    await sql`alter system set min_wal_size = '32MB'`.execute(database.db);
    await sql`alter system set max_wal_size = '32MB'`.execute(database.db);
    // Recycled segments would stay as files; without recycling each checkpoint removes one.
    await sql`alter system set wal_recycle = off`.execute(database.db);
  } finally {
    await database.close();
  }
  await step('compactación', async () => {
    const again = await openDatabase({ databaseUrl: null, dataDir: tmp });
    try {
      for (let i = 0; i < 8; i++) {
        await sql`select pg_switch_wal()`.execute(again.db);
        await sql`checkpoint`.execute(again.db);
      }
      await sql`alter system reset all`.execute(again.db);
    } finally {
      await again.close();
    }
  });
  fs.rmSync(path.join(tmp, 'brujula.lock'), { force: true });
  try {
    fs.renameSync(tmp, dir);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) throw e;
  }
  // Folders made for earlier sources only take space.
  const parent = path.dirname(dir);
  for (const f of fs.readdirSync(parent)) {
    if (/^demo-[0-9a-f]{16}$/.test(f) && f !== path.basename(dir)) fs.rmSync(path.join(parent, f), { recursive: true, force: true });
  }
  return dir;
}
