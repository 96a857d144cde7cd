import fs from 'node:fs';
import readline from 'node:readline';
import zlib from 'node:zlib';
import { once } from 'node:events';
import { sql } from 'kysely';
import type { Database } from './connection.ts';

/**
 * Logical backup: gzip'd JSON lines, one header then one line per row, geometry as hex EWKB, bytes as
 * hex. The same file restores on PGlite or PostgreSQL, so a municipality can move from a laptop to a
 * state server. Every application table is included — the list comes from the database catalogue,
 * parents before children by their foreign keys — except what a fresh installation already has or
 * must not carry over: migration bookkeeping, PostGIS' reference systems, the catalogues filled by
 * migrations (states, SMI themes, ODS goals, the national funding sources) and sessions and one-time
 * tokens.
 */
const EXCLUDED = new Set(['schema_migrations', 'spatial_ref_sys', 'sessions', 'user_tokens', 'states', 'indicator_themes', 'ods_goals']);
/** Rows of a table that belong to the installation (the rest come with the migrations). */
const ROWS: Record<string, string> = { funding_sources: 'municipality_id is not null' };
/** One-row tables a migration creates: the backup's row replaces the fresh installation's. */
const SINGLETONS = new Set(['installation']);
/** Row order where a table refers to itself: parents first. */
const ORDER: Record<string, string> = {
  territorial_units: "case level when 'municipio' then 0 when 'localidad' then 1 when 'ageb' then 2 when 'manzana' then 3 else 4 end, id",
  plan_elements: 'nivel, id',
};

export interface BackupTable {
  table: string;
  orderBy: string;
  where: string;
  hasId: boolean;
  /** Stored columns (generated ones, like a search vector, are recomputed on restore). */
  columns: string[];
}

/** The tables a backup holds, parents before children. */
export async function backupTables(db: Database['db']): Promise<BackupTable[]> {
  const tables = (
    await sql<{ name: string; has_id: boolean; columns: string[] }>`
    select c.relname as name,
           exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'id' and a.attidentity <> '') as has_id,
           array(select a.attname::text from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = '' order by a.attnum) as columns
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition`.execute(db)
  ).rows.filter((t) => !EXCLUDED.has(t.name));
  const fks = (
    await sql<{ child: string; parent: string }>`
    select c.relname as child, p.relname as parent from pg_constraint k
      join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
     where k.contype = 'f' and k.conrelid <> k.confrelid`.execute(db)
  ).rows;
  const names = new Set(tables.map((t) => t.name));
  const parents = new Map(
    tables.map((t) => [t.name, new Set(fks.filter((f) => f.child === t.name && names.has(f.parent)).map((f) => f.parent))]),
  );
  // Kahn's algorithm, alphabetical among equals so every backup lists tables in the same order.
  const out: BackupTable[] = [];
  const done = new Set<string>();
  while (out.length < tables.length) {
    const ready = tables
      .filter((t) => !done.has(t.name) && [...parents.get(t.name)!].every((p) => done.has(p)))
      .sort((a, b) => a.name.localeCompare(b.name));
    if (!ready.length)
      throw new Error(
        `Dependencias circulares entre tablas: ${tables
          .filter((t) => !done.has(t.name))
          .map((t) => t.name)
          .join(', ')}`,
      );
    for (const t of ready) {
      done.add(t.name);
      out.push({
        table: t.name,
        orderBy: ORDER[t.name] ?? (t.has_id ? 'id' : '1'),
        where: ROWS[t.name] ?? 'true',
        hasId: t.has_id,
        columns: t.columns,
      });
    }
  }
  return out;
}

const PAGE = 2000;

export async function backup(database: Database, file: string, onProgress?: (table: string, rows: number) => void) {
  const migrations = (await sql<{ name: string }>`select name from schema_migrations order by name`.execute(database.db)).rows.map(
    (r) => r.name,
  );
  const out = zlib.createGzip();
  const sink = fs.createWriteStream(file);
  out.pipe(sink);
  const write = async (obj: unknown) => {
    if (!out.write(`${JSON.stringify(obj)}\n`)) await once(out, 'drain');
  };
  await write({ format: 'brujula-backup', version: 1, createdAt: new Date().toISOString(), database: database.kind, migrations });
  const counts: Record<string, number> = {};
  for (const { table, orderBy, where } of await backupTables(database.db)) {
    counts[table] = 0;
    for (let offset = 0; ; offset += PAGE) {
      const rows = (
        await sql<{
          r: Record<string, unknown>;
        }>`select to_jsonb(t) as r from ${sql.table(table)} t where ${sql.raw(where)} order by ${sql.raw(orderBy)} limit ${PAGE} offset ${offset}`.execute(
          database.db,
        )
      ).rows;
      for (const { r } of rows) await write({ t: table, r });
      counts[table] += rows.length;
      onProgress?.(table, counts[table]);
      if (rows.length < PAGE) break;
    }
  }
  out.end();
  await once(sink, 'finish');
  return counts;
}

export async function restore(database: Database, file: string, onProgress?: (table: string, rows: number) => void) {
  const lines = readline.createInterface({ input: fs.createReadStream(file).pipe(zlib.createGunzip()), crlfDelay: Infinity });
  const it = lines[Symbol.asyncIterator]();
  const first = await it.next();
  const header = first.done ? null : JSON.parse(first.value);
  if (header?.format !== 'brujula-backup') throw new Error('El archivo no es un respaldo de Brújula.');
  const known = new Set((await sql<{ name: string }>`select name from schema_migrations`.execute(database.db)).rows.map((r) => r.name));
  const missing = (header.migrations as string[]).filter((m) => !known.has(m));
  if (missing.length)
    throw new Error(`El respaldo es de una versión más nueva (migraciones ${missing.join(', ')}); actualice Brújula antes de restaurar.`);

  const counts: Record<string, number> = {};
  const tables = await backupTables(database.db);
  const allowed = new Set(tables.map((t) => t.table));
  await database.db.transaction().execute(async (trx) => {
    for (const { table, where } of tables) {
      if (SINGLETONS.has(table)) continue;
      const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where ${sql.raw(where)}`.execute(trx);
      if (r.rows[0].n > 0)
        throw new Error(`La base de datos no está vacía (${table} tiene registros): restaure sobre una instalación nueva.`);
    }
    // The restored audit_log already holds the history: the row triggers must not add to it.
    await sql`select set_config('brujula.restoring', 'on', true)`.execute(trx);
    for (const t of SINGLETONS) await sql`delete from ${sql.table(t)}`.execute(trx);
    let batch: Record<string, unknown>[] = [];
    let current = '';
    const columnsOf = new Map(tables.map((t) => [t.table, sql.join(t.columns.map((c) => sql.ref(c)))]));
    const flush = async () => {
      if (!batch.length) return;
      const cols = columnsOf.get(current)!;
      await sql`insert into ${sql.table(current)} (${cols}) overriding system value
                select ${cols} from jsonb_populate_recordset(null::${sql.table(current)}, ${JSON.stringify(batch)}::jsonb)`.execute(trx);
      counts[current] = (counts[current] ?? 0) + batch.length;
      onProgress?.(current, counts[current]);
      batch = [];
    };
    for (let next = await it.next(); !next.done; next = await it.next()) {
      if (!next.value) continue;
      const { t, r } = JSON.parse(next.value) as { t: string; r: Record<string, unknown> };
      if (!allowed.has(t)) throw new Error(`Tabla desconocida en el respaldo: ${t}`);
      if (t !== current || batch.length >= 500) {
        await flush();
        current = t;
      }
      batch.push(r);
    }
    await flush();
    for (const { table } of tables.filter((b) => b.hasId)) {
      await sql`select setval(pg_get_serial_sequence(${table}, 'id'), coalesce((select max(id) from ${sql.table(table)}), 0) + 1, false)`.execute(
        trx,
      );
    }
  });
  return counts;
}
