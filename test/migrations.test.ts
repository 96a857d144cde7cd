import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { migrate } from '../src/server/db/migrate.ts';
import { withActor } from '../src/server/db/connection.ts';
import { freshDatabase, TARGETS } from './helpers.ts';

describe.each(TARGETS)('migrations and audit log on %s', (kind) => {
  let d: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    d = await freshDatabase(kind);
  });
  afterAll(() => d?.close());

  it('applies every migration once; a second run changes nothing', async () => {
    const tables = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_schema = 'public'`.execute(d.db))
        .rows[0].n;
    const before = await tables();
    const r = await migrate(d);
    expect(r.applied).toEqual([]);
    expect(r.skipped.length).toBeGreaterThanOrEqual(3);
    expect(await tables()).toBe(before);
    const postgis = await sql<{ v: string }>`select postgis_lib_version() as v`.execute(d.db);
    expect(postgis.rows[0].v).toMatch(/^3\./);
  });

  it('writes an audit row in the same transaction as the change, and none when it rolls back', async () => {
    await withActor(d.db, { userId: null, via: 'test' }, (trx) =>
      trx.insertInto('municipalities').values({ id: '32056', cve_ent: '32', name: 'Zacatecas' }).execute(),
    );
    const rows = await d.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity', '=', 'municipalities')
      .where('entity_id', '=', '32056')
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'insert', municipality_id: '32056', entity_id: '32056', via: 'test', is_public: true });

    await expect(
      withActor(d.db, { userId: null }, async (trx) => {
        await trx.updateTable('municipalities').set({ name: 'Otro nombre' }).where('id', '=', '32056').execute();
        throw new Error('falla a propósito');
      }),
    ).rejects.toThrow('falla a propósito');
    expect(
      await d.db.selectFrom('audit_log').selectAll().where('entity', '=', 'municipalities').where('entity_id', '=', '32056').execute(),
    ).toHaveLength(1);

    await withActor(d.db, { userId: null }, (trx) =>
      trx.updateTable('municipalities').set({ name: 'Zacatecas de Ángeles' }).where('id', '=', '32056').execute(),
    );
    const upd = await d.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity', '=', 'municipalities')
      .where('entity_id', '=', '32056')
      .where('action', '=', 'update')
      .executeTakeFirstOrThrow();
    expect(upd.before).toMatchObject({ name: 'Zacatecas' });
    expect(upd.after).toMatchObject({ name: 'Zacatecas de Ángeles' });
  });

  it('has an audit trigger on every table that holds application data', async () => {
    // Tables deliberately without row audit: the log itself, migration bookkeeping, the states
    // and themes catalogues (changed only by migrations) and sessions (login/logout are audit events instead).
    const exempt = [
      'audit_log',
      'schema_migrations',
      'states',
      'indicator_themes',
      'ods_goals',
      // Bulk layer data and emergency calls: each upload is one audited event or import row (counts, hash).
      'gis_features',
      'gis_overviews',
      'gis_overview_tiles',
      'emergency_calls',
      'sessions',
      'spatial_ref_sys',
      // Secret ballots: an audit row would put the voter next to the choice (pb_voters is audited).
      'pb_ballots',
      // Failed sign-ins per e-mail: operational state for the per-account limit, kept a day.
      'login_failures',
      // Spent proof-of-work challenges: a throwaway replay guard.
      'pow_spent',
    ];
    const r = await sql<{ table_name: string }>`
      select c.relname as table_name from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind = 'r' and not c.relispartition
         and not exists (select 1 from pg_trigger t join pg_proc p on p.oid = t.tgfoid
                          where t.tgrelid = c.oid and p.proname = 'audit_row')
       order by 1`.execute(d.db);
    expect(r.rows.map((x) => x.table_name).filter((t) => !exempt.includes(t))).toEqual([]);
  });

  it('refuses to update, delete or truncate the audit log', async () => {
    const n = async () => (await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(d.db)).rows[0].n;
    await withActor(d.db, { userId: null, via: 'test' }, (trx) =>
      trx.insertInto('municipalities').values({ id: '32017', cve_ent: '32', name: 'Guadalupe' }).execute(),
    );
    const before = await n();
    expect(before).toBeGreaterThan(0);
    await expect(sql`update audit_log set entity = 'x'`.execute(d.db)).rejects.toThrow(/solo anexado/);
    await expect(sql`delete from audit_log`.execute(d.db)).rejects.toThrow(/solo anexado/);
    await expect(sql`truncate audit_log`.execute(d.db)).rejects.toThrow(/solo anexado/);
    expect(await n()).toBe(before);
  });

  it('stops when a released migration file was edited', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const { MIGRATIONS_DIR } = await import('../src/server/db/migrate.ts');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brj-mig-'));
    for (const f of fs.readdirSync(MIGRATIONS_DIR)) fs.copyFileSync(path.join(MIGRATIONS_DIR, f), path.join(dir, f));
    fs.appendFileSync(path.join(dir, '0001_core.sql'), '\n-- edited\n');
    await expect(migrate(d, dir)).rejects.toThrow(/cambió después de aplicarse/);
  });
});

describe('upgrading an embedded installation', () => {
  it('backs the data up before applying a new version’s migrations', async () => {
    const { spawnSync } = await import('node:child_process');
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const { openDatabase } = await import('../src/server/db/connection.ts');
    const { MIGRATIONS_DIR } = await import('../src/server/db/migrate.ts');
    // The previous version: every migration but the newest.
    const old = fs.mkdtempSync(path.join(os.tmpdir(), 'brj-old-migrations-'));
    const all = fs
      .readdirSync(MIGRATIONS_DIR)
      .filter((f) => f.endsWith('.sql'))
      .sort();
    for (const f of all.slice(0, -1)) fs.copyFileSync(path.join(MIGRATIONS_DIR, f), path.join(old, f));
    const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'brj-upgrade-')), 'datos');
    try {
      const before = await openDatabase({ databaseUrl: null, dataDir });
      await migrate(before, old);
      await withActor(before.db, { userId: null }, (trx) =>
        trx.insertInto('municipalities').values({ id: '32056', cve_ent: '32', name: 'Zacatecas', active: true }).execute(),
      );
      await before.close();

      const r = spawnSync(process.execPath, [path.resolve(import.meta.dirname, '../bin/brujula.js'), 'migrate'], {
        env: { ...process.env, BRUJULA_DATA_DIR: dataDir, DATABASE_URL: '' },
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/Respaldo previo en .*respaldos\/antes-de-/);
      expect(r.stdout).toContain(`Migraciones aplicadas: ${all.at(-1)}`);
      const [file] = fs.readdirSync(path.join(dataDir, 'respaldos'));
      const zlib = await import('node:zlib');
      const lines = zlib
        .gunzipSync(fs.readFileSync(path.join(dataDir, 'respaldos', file)))
        .toString('utf8')
        .trim()
        .split('\n');
      expect(JSON.parse(lines[0]).migrations).toEqual(all.slice(0, -1));
      expect(lines.some((l) => l.includes('"t":"municipalities"') && l.includes('Zacatecas'))).toBe(true);
      // A second run has nothing to do and writes no second backup.
      const again = spawnSync(process.execPath, [path.resolve(import.meta.dirname, '../bin/brujula.js'), 'migrate'], {
        env: { ...process.env, BRUJULA_DATA_DIR: dataDir, DATABASE_URL: '' },
        encoding: 'utf8',
      });
      expect(again.stdout).toContain('La base de datos ya estaba al día.');
      expect(fs.readdirSync(path.join(dataDir, 'respaldos'))).toHaveLength(1);
    } finally {
      fs.rmSync(old, { recursive: true, force: true });
      fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
    }
  });
});
