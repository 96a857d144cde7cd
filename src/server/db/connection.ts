import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import { PGliteDialect } from './pglite-dialect.ts';
import { lockDataDir, type DataDirLock, type LockOwner } from './lock.ts';
import type { DB } from './types.ts';
import { ROOT } from '../paths.ts';

export type DbKind = 'pglite' | 'postgres';

/** One database handle, the same API on PGlite and PostgreSQL. */
export interface Database {
  kind: DbKind;
  db: Kysely<DB>;
  /** Runs a multi-statement SQL script in one transaction on one session (migrations). */
  runScript(script: string): Promise<void>;
  /** PGlite opened with `lock`: the data folder's lock, held until close. */
  lock?: DataDirLock;
  /** PostgreSQL only: bulk load with COPY, lines in COPY's text format (autocommitted). */
  copyInto?: (table: string, columns: string[], lines: Iterable<string>) => Promise<void>;
  close(): Promise<void>;
}

export interface Actor {
  /** User id, or null for the system (CLI, demo loader). */
  userId: number | null;
  /** Free label stored in the audit log next to the user, e.g. "cli", "demo", an IP address. */
  via?: string;
}

// Same JS types on both drivers: int8 and numeric as number, date as 'YYYY-MM-DD' text.
const parsers: Record<number, (v: string) => unknown> = {
  20: (v) => Number.parseInt(v, 10),
  1700: (v) => Number.parseFloat(v),
  1082: (v) => v,
};

export const PGLITE_VERSION_TAG = 'pglite-0.5.8-postgis-0.2.8';

/** Folder holding a prepared PGlite data folder with PostGIS already created (see prepareTemplate). */
export function templateDir(): string {
  return process.env.BRUJULA_TEMPLATE_DIR
    ? path.resolve(process.env.BRUJULA_TEMPLATE_DIR)
    : path.join(ROOT, 'node_modules/.cache/brujula', PGLITE_VERSION_TAG);
}

const slimBundlePath = () => path.join(templateDir(), '..', `${PGLITE_VERSION_TAG}-postgis-slim.tar.gz`);

/**
 * The PostGIS bundle holds raster, topology and tiger (92 MB unpacked) which Brújula does not use;
 * PGlite unpacks and loads the whole bundle on every open. A bundle with only the core library,
 * its install script and PROJ's database halves the reopen time (measured: 2.0 s → 1.0 s).
 */
async function slimPostgisBundle(log: (m: string) => void): Promise<string> {
  const target = slimBundlePath();
  if (fs.existsSync(target)) return target;
  const tar = await import('tar');
  const require = createRequire(import.meta.url);
  const full = path.join(path.dirname(require.resolve('@electric-sql/pglite-postgis')), 'postgis.tar.gz');
  const work = `${target}.tmp-${process.pid}`;
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  await tar.x({ file: full, cwd: work });
  const extDir = path.join(work, 'share/postgresql/extension');
  const version = /default_version\s*=\s*'([^']+)'/.exec(fs.readFileSync(path.join(extDir, 'postgis.control'), 'utf8'))?.[1];
  const keep = ['lib/postgresql/postgis-3.so', 'share/proj', 'share/postgresql/extension/postgis.control', `share/postgresql/extension/postgis--${version}.sql`];
  for (const k of keep) if (!fs.existsSync(path.join(work, k))) throw new Error(`El paquete de PostGIS no contiene ${k}`);
  log('Preparando el paquete reducido de PostGIS…');
  await tar.c({ gzip: true, file: `${target}.part`, cwd: work, portable: true }, keep);
  fs.renameSync(`${target}.part`, target);
  fs.rmSync(work, { recursive: true, force: true });
  return target;
}

async function openPGlite(dataDir: string) {
  const [{ PGlite }, { postgis }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite-postgis'),
  ]);
  const slim = slimBundlePath();
  const extension = fs.existsSync(slim)
    ? {
        name: 'postgis',
        setup: async (...args: Parameters<typeof postgis.setup>) => ({ ...(await postgis.setup(...args)), bundlePath: pathToFileURL(slim) }),
      }
    : postgis;
  return PGlite.create({ dataDir, extensions: { postgis: extension }, parsers });
}

/**
 * Creating PostGIS in a fresh PGlite takes ~12 s; copying a prepared folder takes ~0.1 s.
 * The template is made once (npm postinstall, or the first start) and copied for each new data folder.
 */
export async function prepareTemplate(log: (m: string) => void = () => {}): Promise<string> {
  const dir = templateDir();
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  await slimPostgisBundle(log);
  if (fs.existsSync(path.join(dir, 'PG_VERSION'))) return dir;
  log('Preparando la plantilla de base de datos embebida (PostGIS), solo la primera vez…');
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(tmp), { recursive: true });
  const pgl = await openPGlite(tmp);
  await pgl.exec('create extension if not exists postgis');
  await pgl.close();
  try {
    fs.renameSync(tmp, dir);
  } catch (e) {
    // Another process finished first; keep theirs.
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) throw e;
  }
  return dir;
}

export async function openDatabase(opts: {
  databaseUrl: string | null;
  dataDir: string;
  poolSize?: number;
  log?: (m: string) => void;
  /** Hold the embedded data folder's lock (the server and the CLI do; see lock.ts). */
  lock?: { role: LockOwner['role']; command: string };
}): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolSize ?? 10);
  const dataDir = opts.dataDir;
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).some((f) => f !== 'brujula.lock')) {
      throw new Error(`La carpeta de datos ${dataDir} no está vacía y no contiene una base de datos de Brújula`);
    }
    const tpl = await prepareTemplate(opts.log);
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    fs.cpSync(tpl, dataDir, { recursive: true });
  }
  const lock = opts.lock ? lockDataDir(dataDir, opts.lock.role, opts.lock.command) : undefined;
  let pgl: Awaited<ReturnType<typeof openPGlite>>;
  try {
    pgl = await openPGlite(dataDir);
  } catch (e) {
    lock?.release();
    throw e;
  }
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pgl) });
  return {
    kind: 'pglite',
    db,
    lock,
    async runScript(script) {
      await pgl.exec('begin');
      try {
        await pgl.exec(script);
        await pgl.exec('commit');
      } catch (e) {
        await pgl.exec('rollback');
        throw e;
      }
    },
    async close() {
      await db.destroy();
      await pgl.close();
      lock?.release();
    },
  };
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  // Loaded only in server mode, so the embedded start does not pay for it.
  const { default: pg } = await import('pg');
  for (const [oid, fn] of Object.entries(parsers)) pg.types.setTypeParser(Number(oid), fn);
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'postgres',
    db,
    async runScript(script) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query(script);
        await client.query('commit');
      } catch (e) {
        await client.query('rollback').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    async copyInto(table, columns, lines) {
      const { from } = await import('pg-copy-streams');
      const { Readable } = await import('node:stream');
      const { pipeline } = await import('node:stream/promises');
      const client = await pool.connect();
      try {
        const ident = (n: string) => `"${n.replace(/"/g, '""')}"`;
        await pipeline(Readable.from(lines), client.query(from(`copy ${ident(table)} (${columns.map(ident).join(', ')}) from stdin`)));
      } finally {
        client.release();
      }
    },
    async close() {
      await db.destroy();
    },
  };
}

/**
 * Runs fn in one transaction with the actor recorded for the audit triggers. Every write of the
 * application goes through here, so the audit rows land in the same transaction as the change.
 */
export async function withActor<T>(db: Kysely<DB>, actor: Actor, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  const run = async (trx: Transaction<DB>) => {
    await sql`select set_config('brujula.actor_id', ${actor.userId === null ? '' : String(actor.userId)}, true),
                     set_config('brujula.via', ${actor.via ?? ''}, true)`.execute(trx);
    return fn(trx);
  };
  // Inside a caller's transaction (one module writing through another's service) it joins it.
  return db.isTransaction ? run(db as Transaction<DB>) : db.transaction().execute(run);
}
