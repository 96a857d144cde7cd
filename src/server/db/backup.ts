import fs from 'node:fs';
import readline from 'node:readline';
import zlib from 'node:zlib';
import { once } from 'node:events';
import { sql } from 'kysely';
import type { Database } from './connection.ts';

/**
 * Logical backup: gzip'd JSON lines, one header then one line per row, geometry as hex EWKB.
 * The same file restores on PGlite or PostgreSQL, so a municipality can move from a laptop to a
 * state server. Tables are listed parents first; sessions and one-time tokens are not kept.
 */
export const BACKUP_TABLES: { table: string; orderBy: string }[] = [
  { table: 'municipalities', orderBy: 'id' },
  { table: 'territory_imports', orderBy: 'id' },
  {
    table: 'territorial_units',
    orderBy: "case level when 'municipio' then 0 when 'localidad' then 1 when 'ageb' then 2 when 'manzana' then 3 else 4 end, id",
  },
  { table: 'departments', orderBy: 'id' },
  { table: 'users', orderBy: 'id' },
  { table: 'role_grants', orderBy: 'id' },
  { table: 'outbox', orderBy: 'id' },
  { table: 'audit_log', orderBy: 'id' },
];

const PAGE = 2000;

export async function backup(database: Database, file: string, onProgress?: (table: string, rows: number) => void) {
  const migrations = (await sql<{ name: string }>`select name from schema_migrations order by name`.execute(database.db)).rows.map((r) => r.name);
  const out = zlib.createGzip();
  const sink = fs.createWriteStream(file);
  out.pipe(sink);
  const write = async (obj: unknown) => {
    if (!out.write(`${JSON.stringify(obj)}\n`)) await once(out, 'drain');
  };
  await write({ format: 'brujula-backup', version: 1, createdAt: new Date().toISOString(), database: database.kind, migrations });
  const counts: Record<string, number> = {};
  for (const { table, orderBy } of BACKUP_TABLES) {
    counts[table] = 0;
    for (let offset = 0; ; offset += PAGE) {
      const rows = (
        await sql<{ r: Record<string, unknown> }>`select to_jsonb(t) as r from ${sql.table(table)} t order by ${sql.raw(orderBy)} limit ${PAGE} offset ${offset}`.execute(
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
  if (missing.length) throw new Error(`El respaldo es de una versión más nueva (migraciones ${missing.join(', ')}); actualice Brújula antes de restaurar.`);

  const counts: Record<string, number> = {};
  const allowed = new Set(BACKUP_TABLES.map((t) => t.table));
  await database.db.transaction().execute(async (trx) => {
    for (const { table } of BACKUP_TABLES) {
      const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(trx);
      if (r.rows[0].n > 0) throw new Error(`La base de datos no está vacía (${table} tiene registros): restaure sobre una instalación nueva.`);
    }
    // The restored audit_log already holds the history: the row triggers must not add to it.
    await sql`select set_config('brujula.restoring', 'on', true)`.execute(trx);
    let batch: Record<string, unknown>[] = [];
    let current = '';
    const flush = async () => {
      if (!batch.length) return;
      await sql`insert into ${sql.table(current)} overriding system value
                select * from jsonb_populate_recordset(null::${sql.table(current)}, ${JSON.stringify(batch)}::jsonb)`.execute(trx);
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
    for (const { table } of BACKUP_TABLES.filter((b) => b.table !== 'municipalities')) {
      await sql`select setval(pg_get_serial_sequence(${table}, 'id'), coalesce((select max(id) from ${sql.table(table)}), 0) + 1, false)`.execute(trx);
    }
  });
  return counts;
}
