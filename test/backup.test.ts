import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { backup, backupTables, restore } from '../src/server/db/backup.ts';
import { withActor } from '../src/server/db/connection.ts';
import { loadDemo } from '../demo/load.ts';
import { countRows, freshDatabase, TARGETS } from './helpers.ts';

describe('backup and restore', () => {
  let source: Awaited<ReturnType<typeof freshDatabase>>;
  let TABLES: string[];
  const file = path.join(os.tmpdir(), `brj-backup-${process.pid}.jsonl.gz`);
  beforeAll(async () => {
    source = await freshDatabase('pglite');
    await loadDemo(source.db);
    // Every module's data, including the bulk tables, travels in the backup.
    const { loadDemoCalls } = await import('../demo/emergency.ts');
    await loadDemoCalls(source.db, 2000);
    TABLES = (await backupTables(source.db)).map((t) => t.table);
    await backup(source, file);
  });
  afterAll(async () => {
    await source?.close();
    fs.rmSync(file, { force: true });
  });

  it.each(TARGETS)('restores an embedded backup on %s with every row, geometry and the audit history', async (kind) => {
    const target = await freshDatabase(kind);
    try {
      await restore(target, file);
      expect(TABLES).toEqual(
        expect.arrayContaining([
          'indicator_observations',
          'plans',
          'plan_elements',
          'poa_actions',
          'evidence_files',
          'contracts',
          'gis_layers',
          'gis_features',
          'emergency_calls',
        ]),
      );
      const before = await countRows(source, ...TABLES);
      expect(await countRows(target, ...TABLES)).toEqual(before);
      for (const t of ['indicator_observations', 'plan_elements', 'poa_actions', 'evidence_files', 'gis_features', 'emergency_calls'])
        expect(before[t], t).toBeGreaterThan(0);
      const area = (d: typeof source) =>
        sql<{ a: number }>`select round(sum(ST_Area(geom::geography))) as a from territorial_units`
          .execute(d.db)
          .then((r) => Number(r.rows[0].a));
      expect(await area(target)).toBe(await area(source));
      // Evidence photos, layer geometries and call places come back byte for byte.
      const digest = (d: typeof source) =>
        sql<{ e: string; g: string; c: string }>`select (select md5(string_agg(md5(contenido), '' order by id)) from evidence_files) as e,
                                                        (select md5(string_agg(ST_AsEWKT(geom), '' order by layer_id, fid)) from gis_features) as g,
                                                        (select md5(string_agg(ST_AsEWKT(geom) || recibida::text, '' order by id)) from emergency_calls) as c`
          .execute(d.db)
          .then((r) => r.rows[0]);
      expect(await digest(target)).toEqual(await digest(source));
      // The restored installation keeps working: new ids follow, logins work, the log stays append-only.
      const u = await withActor(target.db, { userId: null }, (trx) =>
        trx
          .insertInto('users')
          .values({ email: 'nueva@example.mx', name: 'Nueva', password_hash: 'x' })
          .returning('id')
          .executeTakeFirstOrThrow(),
      );
      const maxBefore = await source.db
        .selectFrom('users')
        .select((eb) => eb.fn.max('id').as('m'))
        .executeTakeFirstOrThrow();
      expect(u.id).toBeGreaterThan(Number(maxBefore.m));
      await expect(sql`delete from audit_log`.execute(target.db)).rejects.toThrow(/solo anexado/);
      // Restoring twice is refused: restore only fills an empty installation.
      await expect(restore(target, file)).rejects.toThrow(/no está vacía/);
    } finally {
      await target.close();
    }
  });

  it('refuses a file that is not a Brújula backup', async () => {
    const target = await freshDatabase('pglite');
    const bogus = path.join(os.tmpdir(), `brj-bogus-${process.pid}.gz`);
    const zlib = await import('node:zlib');
    fs.writeFileSync(bogus, zlib.gzipSync('{"hola":1}\n'));
    try {
      await expect(restore(target, bogus)).rejects.toThrow(/no es un respaldo de Brújula/);
      expect(await countRows(target, 'users')).toEqual({ users: 0 });
    } finally {
      fs.rmSync(bogus, { force: true });
      await target.close();
    }
  });
});
