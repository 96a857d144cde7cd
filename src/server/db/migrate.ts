import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Database } from './connection.ts';
import { MIGRATIONS_DIR } from '../paths.ts';

export { MIGRATIONS_DIR };

export interface MigrationResult {
  applied: string[];
  skipped: string[];
}

function listMigrations(dir: string) {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((name) => {
      const text = fs.readFileSync(path.join(dir, name), 'utf8');
      return { name, text, checksum: crypto.createHash('sha256').update(text).digest('hex') };
    });
}

/** Migrations not yet applied to a database that already has some (an upgrade); [] for a new one. */
export async function pendingUpgrade(database: Database, dir = MIGRATIONS_DIR): Promise<string[]> {
  const exists = await sql<{ t: string | null }>`select to_regclass('schema_migrations')::text as t`.execute(database.db);
  if (!exists.rows[0]?.t) return [];
  const done = new Set((await sql<{ name: string }>`select name from schema_migrations`.execute(database.db)).rows.map((r) => r.name));
  if (done.size === 0) return [];
  return listMigrations(dir)
    .map((m) => m.name)
    .filter((n) => !done.has(n));
}

/**
 * Applies each file in migrations/ once, in name order, each in its own transaction, and records it.
 * Files are frozen once released: a changed checksum stops the run instead of guessing.
 */
export async function migrate(database: Database, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  await database.runScript(`create table if not exists schema_migrations (
    name text primary key,
    checksum text not null,
    applied_at timestamptz not null default now()
  )`);
  const done = new Map(
    (await sql<{ name: string; checksum: string }>`select name, checksum from schema_migrations`.execute(database.db)).rows.map((r) => [
      r.name,
      r.checksum,
    ]),
  );
  const result: MigrationResult = { applied: [], skipped: [] };
  for (const m of listMigrations(dir)) {
    const known = done.get(m.name);
    if (known) {
      if (known !== m.checksum) {
        throw new Error(`La migración ${m.name} cambió después de aplicarse; las migraciones publicadas no se editan, cree una nueva.`);
      }
      result.skipped.push(m.name);
      continue;
    }
    // The advisory lock serialises app processes migrating the same PostgreSQL at once; the primary
    // key on schema_migrations makes the loser roll back instead of applying twice.
    const script = `select pg_advisory_xact_lock(7465720);\n${m.text}\n;insert into schema_migrations (name, checksum) values ('${m.name}', '${m.checksum}');`;
    try {
      await database.runScript(script);
      result.applied.push(m.name);
    } catch (e) {
      const again = await sql<{ n: number }>`select count(*)::int as n from schema_migrations where name = ${m.name}`.execute(database.db);
      if (again.rows[0]?.n === 1) {
        result.skipped.push(m.name);
        continue;
      }
      throw new Error(`Falló la migración ${m.name}: ${(e as Error).message}`);
    }
  }
  return result;
}
