/**
 * The embedded first start with the demo: an empty data folder becomes a complete demo (emergency
 * calls and basemap included, with no background wait) from the prepared copy, and a warm restart
 * keeps it as it was — less what an interrupted process left behind, which a start cleans.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { prepareDemoTemplate, readyDemoTemplate } from '../demo/template.ts';
import { openDatabase } from '../src/server/db/connection.ts';
import { createPartitionTable, partitionName } from '../src/server/modules/gis/partitions.ts';

const BIN = path.resolve(import.meta.dirname, '../bin/brujula.js');

async function serve(dataDir: string) {
  const port = 4900 + Math.floor(Math.random() * 90);
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: {
      ...process.env,
      BRUJULA_DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      BRUJULA_DEMO: 'true',
      BRUJULA_DEMO_BACKGROUND: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const t0 = Date.now();
  for (;;) {
    if (child.exitCode !== null || Date.now() - t0 > 120_000) throw new Error(`El servidor no arrancó: ${out}`);
    if (out.includes('Brújula lista en')) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const base = `http://127.0.0.1:${port}/api/v1`;
  return {
    out: () => out,
    get: async (p: string) => (await fetch(`${base}${p}`)).json(),
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    },
  };
}

describe('first start of the embedded demo (pglite)', () => {
  let dataDir: string;
  beforeAll(async () => {
    // Made by npm's postinstall; built here when the sources changed since.
    if (!readyDemoTemplate()) await prepareDemoTemplate();
    dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'brj-first-')), 'datos');
  }, 300_000);
  afterAll(() => fs.rmSync(path.dirname(dataDir), { recursive: true, force: true }));

  it('serves the whole demo at once from the prepared copy, and a restart keeps it', async () => {
    const first = await serve(dataDir);
    let before: unknown;
    try {
      expect(first.out()).toContain('Datos de demostración cargados');
      expect(first.out()).toContain('planeacion@demo.brujula.mx');
      const muns = (await first.get('/municipalities')) as { id: string; active: boolean }[];
      expect(muns.filter((m) => m.active).map((m) => m.id)).toEqual(expect.arrayContaining(['32017', '32056']));
      // The extras a visitor would otherwise wait for in the background are already there.
      expect(fs.statSync(path.join(dataDir, 'basemap', 'basemap.pmtiles')).size).toBeGreaterThan(10_000);
      const calls = (await first.get('/municipalities/32056/emergency-calls/summary')) as { total: number };
      expect(calls.total).toBeGreaterThan(1000);
      // The demo's administrators exist, so no setup link is offered.
      expect(((await first.get('/config')) as { setupPending: boolean }).setupPending).toBe(false);
      expect(first.out()).not.toContain('instalar?token=');
      before = await first.get('/municipalities/32056/indicators?limit=100');
    } finally {
      await first.stop();
    }
    expect(fs.existsSync(path.join(dataDir, 'brujula.lock'))).toBe(false);

    // What a kill -9 leaves: the table of a layer upload cut short two hours ago (and one of an
    // upload still running elsewhere, just begun), and a demo generation without its last chunk.
    const db = await openDatabase({ databaseUrl: null, dataDir });
    const layer = await db.db.selectFrom('gis_layers').select('id').executeTakeFirstOrThrow();
    const stale = partitionName(layer.id, `${(Date.now() - 2 * 3600_000).toString(36)}x1`);
    const running = partitionName(layer.id, `${Date.now().toString(36)}x2`);
    await createPartitionTable(db.db, layer.id, stale);
    await createPartitionTable(db.db, layer.id, running);
    const half = await db.db
      .updateTable('emergency_call_imports')
      .set({ desde: null })
      .where('is_demo', '=', true)
      .where('municipality_id', '=', '32017')
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.close();

    const warm = await serve(dataDir);
    try {
      expect(warm.out()).not.toContain('Datos de demostración cargados');
      expect(await warm.get('/municipalities/32056/indicators?limit=100')).toEqual(before);
      for (let i = 0; i < 200 && !warm.out().includes('quedó a medias'); i++) await new Promise((r) => setTimeout(r, 50));
      expect(warm.out()).toContain('Se borró la tabla de una carga de capa interrumpida.');
      expect(warm.out()).toContain('Se borró una generación de llamadas de demostración que quedó a medias.');
    } finally {
      await warm.stop();
    }
    const after = await openDatabase({ databaseUrl: null, dataDir });
    try {
      const tables = (
        await sql<{ name: string }>`select relname as name from pg_class where relname in (${stale}, ${running})`.execute(after.db)
      ).rows.map((r) => r.name);
      expect(tables).toEqual([running]);
      expect(await after.db.selectFrom('emergency_calls').select('id').where('import_id', '=', half.id).limit(1).execute()).toEqual([]);
      expect(await after.db.selectFrom('emergency_call_imports').select('id').where('is_demo', '=', true).execute()).toHaveLength(1);
    } finally {
      await after.close();
    }
  }, 300_000);
});
