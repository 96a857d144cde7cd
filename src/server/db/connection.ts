import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  Kysely,
  PostgresDialect,
  sql,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type Transaction,
} from 'kysely';
import { PGliteDialect } from './pglite-dialect.ts';
import { openPGlite, parsers } from './pglite-host.js';
import { PGliteWorker } from './pglite-worker.ts';
import { lockDataDir, type DataDirLock, type LockOwner } from './lock.ts';
import type { DB } from './types.ts';
import { ROOT } from '../paths.ts';

export type DbKind = 'pglite' | 'postgres';

/** One database handle, the same API on PGlite and PostgreSQL. */
/**
 * When a query last came back from the database, any query: /health takes a recent answer as proof
 * that the database is up, so under load it does not queue behind the requests it watches.
 */
class Heartbeat implements KyselyPlugin {
  at = 0;
  transformQuery(args: PluginTransformQueryArgs) {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs) {
    this.at = Date.now();
    return args.result;
  }
}

export interface Database {
  kind: DbKind;
  db: Kysely<DB>;
  /** Milliseconds since this database last answered a query. */
  sinceLastAnswer(): number;
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

export const PGLITE_VERSION_TAG = 'pglite-0.5.8-postgis-0.2.8';

/** Folder holding a prepared PGlite data folder with PostGIS already created (see prepareTemplate). */
export function templateDir(): string {
  return process.env.BRUJULA_TEMPLATE_DIR
    ? path.resolve(process.env.BRUJULA_TEMPLATE_DIR)
    : path.join(ROOT, 'node_modules/.cache/brujula', PGLITE_VERSION_TAG);
}

const slimBundlePath = () => path.join(templateDir(), '..', `${PGLITE_VERSION_TAG}-postgis-slim.tar.gz`);
const openBundlePath = () => path.join(templateDir(), '..', `${PGLITE_VERSION_TAG}-postgis-open.tar`);

/**
 * The PostGIS bundle holds raster, topology and tiger (92 MB unpacked) which Brújula does not use;
 * PGlite unpacks and loads the whole bundle on every open. A bundle with only the core library,
 * its install script and PROJ's database halves the reopen time (measured: 2.0 s → 1.0 s).
 * Opening a folder where PostGIS already exists needs neither the install script nor gzip: PGlite
 * inflates its bundles through a stream of 16 KB chunks (~0.4 s of a warm start), so those opens
 * read an uncompressed tar without the script instead (`-postgis-open.tar`).
 */
async function slimPostgisBundle(log: (m: string) => void): Promise<string> {
  const target = slimBundlePath();
  if (fs.existsSync(target) && fs.existsSync(openBundlePath())) return target;
  const tar = await import('tar');
  const require = createRequire(import.meta.url);
  const full = path.join(path.dirname(require.resolve('@electric-sql/pglite-postgis')), 'postgis.tar.gz');
  const work = `${target}.tmp-${process.pid}`;
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  await tar.x({ file: full, cwd: work });
  const extDir = path.join(work, 'share/postgresql/extension');
  const version = /default_version\s*=\s*'([^']+)'/.exec(fs.readFileSync(path.join(extDir, 'postgis.control'), 'utf8'))?.[1];
  const open = ['lib/postgresql/postgis-3.so', 'share/proj', 'share/postgresql/extension/postgis.control'];
  const keep = [...open, `share/postgresql/extension/postgis--${version}.sql`];
  for (const k of keep) if (!fs.existsSync(path.join(work, k))) throw new Error(`El paquete de PostGIS no contiene ${k}`);
  log('Preparando el paquete reducido de PostGIS…');
  await tar.c({ gzip: true, file: `${target}.part`, cwd: work, portable: true }, keep);
  await tar.c({ file: `${openBundlePath()}.part`, cwd: work, portable: true }, open);
  fs.renameSync(`${openBundlePath()}.part`, openBundlePath());
  fs.renameSync(`${target}.part`, target);
  fs.rmSync(work, { recursive: true, force: true });
  return target;
}

const bundles = () => ({ slim: slimBundlePath(), open: openBundlePath() });

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
  const pgl = await openPGlite(tmp, bundles(), true);
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

export interface OpenOptions {
  databaseUrl: string | null;
  dataDir: string;
  poolSize?: number;
  log?: (m: string) => void;
  /** Hold the embedded data folder's lock (the server and the CLI do; see lock.ts). */
  lock?: { role: LockOwner['role']; command: string };
  /** A prepared data folder copied into an empty one instead of the bare PostGIS template (the demo's). */
  template?: string | null;
}

export type OpenedDatabase = Database & { fromTemplate?: string };

/** Opens the database and waits until it answers. */
export async function openDatabase(opts: OpenOptions): Promise<OpenedDatabase> {
  const { database, ready } = await startDatabase(opts);
  await ready;
  return database;
}

/**
 * Starts opening the database and returns its handle at once; queries wait until `ready`. PGlite
 * opens in a worker thread (~1 s) meanwhile, so the server builds its routes at the same time.
 * When `ready` rejects the handle is already closed (and the data folder's lock released).
 */
export async function startDatabase(opts: OpenOptions): Promise<{ database: OpenedDatabase; ready: Promise<void> }> {
  if (opts.databaseUrl) return { database: await openPostgres(opts.databaseUrl, opts.poolSize ?? 10), ready: Promise.resolve() };
  const dataDir = opts.dataDir;
  let copied: string | undefined;
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).some((f) => f !== 'brujula.lock')) {
      throw new Error(`La carpeta de datos ${dataDir} no está vacía y no contiene una base de datos de Brújula`);
    }
    const tpl = opts.template ?? (await prepareTemplate(opts.log));
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    // A copy-on-write clone where the file system offers it (btrfs, XFS), a plain copy elsewhere.
    fs.cpSync(tpl, dataDir, {
      recursive: true,
      mode: fs.constants.COPYFILE_FICLONE,
      filter: (src) => path.basename(src) !== 'brujula.lock',
    });
    copied = opts.template ?? undefined;
  }
  const lock = opts.lock ? lockDataDir(dataDir, opts.lock.role, opts.lock.command) : undefined;
  const pgl = new PGliteWorker(dataDir, bundles());
  const heartbeat = new Heartbeat();
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pgl), plugins: [heartbeat] });
  const database: OpenedDatabase = {
    kind: 'pglite',
    db,
    sinceLastAnswer: () => (heartbeat.at ? Date.now() - heartbeat.at : Infinity),
    lock,
    fromTemplate: copied,
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
      heartbeat.at = 0;
      await db.destroy();
      await pgl.close();
      lock?.release();
    },
  };
  const ready = pgl.ready.catch(async (e) => {
    await pgl.close();
    lock?.release();
    throw e;
  });
  return { database, ready };
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  // Loaded only in server mode, so the embedded start does not pay for it.
  const { default: pg } = await import('pg');
  for (const [oid, fn] of Object.entries(parsers)) pg.types.setTypeParser(Number(oid), fn);
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  const heartbeat = new Heartbeat();
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins: [heartbeat] });
  return {
    kind: 'postgres',
    db,
    sinceLastAnswer: () => (heartbeat.at ? Date.now() - heartbeat.at : Infinity),
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
      heartbeat.at = 0;
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
