// A real installation without the demo: the one-time setup link, the first admin, the
// institution, the INEGI territory, active municipalities, departments, invitations — through the
// API and through the CLI, on both databases — and the CLI refusing to touch a folder a server holds.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/server/config.ts';
import { build } from '../src/server/app.ts';
import { openDatabase } from '../src/server/db/connection.ts';
import { issueSetupToken } from '../src/server/modules/setup/service.ts';
import { Client, countRows, freshDatabase, hasSharedData, inegi, multipart, TARGETS, testApp, type TestApp } from './helpers.ts';

const PASSWORD = 'Clave-segura-2026';
const sharedOnly = hasSharedData ? it : it.skip;
if (!hasSharedData) console.warn('test/setup.test.ts: ../shared/data no existe; se omiten las pruebas con archivos de INEGI.');

/** Posts a file with form fields, as the browser does. */
async function upload(c: Client, url: string, file: string, fields: Record<string, string>) {
  const body = multipart({ name: path.basename(file), bytes: fs.readFileSync(file) }, fields);
  return c.request('POST', url, body.payload, { headers: body.headers });
}

/** The link of the newest mail to an address, read from the outbox as an admin without SMTP would. */
async function linkInMail(t: TestApp, to: string) {
  const mail = await t.database.db
    .selectFrom('outbox')
    .select('body')
    .where('to_address', '=', to)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  return /token=([A-Za-z0-9_-]+)/.exec(mail.body)![1];
}

describe.each(TARGETS)('first-run setup of a real installation (%s)', (kind) => {
  let t: TestApp;
  let dataDir: string;
  // Each test starts from its own empty installation.
  beforeEach(async () => {
    // The installation's own folder, where the basemap is rebuilt when the territory changes.
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brj-setup-data-'));
    t = await testApp(kind, { demo: false, env: { BRUJULA_DATA_DIR: dataDir, BRUJULA_BASEMAP_AUTO: 'true' } });
  });
  afterEach(async () => {
    await t?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('offers the setup page only with the printed token, once, and answers 404 for good after', async () => {
    const anon = new Client(t.app);
    expect((await anon.get('/api/v1/setup?token=abcdefghijklmnop')).statusCode).toBe(404); // no link printed yet
    expect((await anon.get('/api/v1/config')).json()).toMatchObject({ setupPending: true, demo: false, defaultMunicipalityId: null });
    const stale = (await issueSetupToken(t.database.db))!;
    const token = (await issueSetupToken(t.database.db))!; // a restart prints a new link
    expect((await anon.get(`/api/v1/setup?token=${stale}`)).statusCode).toBe(400);
    expect((await anon.get(`/api/v1/setup?token=${token}`)).json()).toEqual({ valid: true });

    const weak = await anon.post('/api/v1/setup', { token, email: 'directora@implan.gob.mx', name: 'Directora', password: 'corta' });
    expect(weak.statusCode).toBe(400);
    expect(await countRows(t.database, 'users')).toEqual({ users: 0 });

    // Two submissions of the same link at once: exactly one admin.
    const [a, b] = await Promise.all([
      new Client(t.app).post('/api/v1/setup', {
        token,
        email: 'directora@implan.gob.mx',
        name: 'Directora del IMPLAN',
        password: PASSWORD,
      }),
      new Client(t.app).post('/api/v1/setup', { token, email: 'otra@implan.gob.mx', name: 'Otra', password: PASSWORD }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 404]);
    expect(await countRows(t.database, 'users')).toEqual({ users: 1 });
    const admin = new Client(t.app);
    await admin.login(a.statusCode === 201 ? 'directora@implan.gob.mx' : 'otra@implan.gob.mx', PASSWORD);
    expect((await admin.get('/api/v1/auth/me')).json().grants).toEqual([expect.objectContaining({ role: 'admin', municipalityId: null })]);

    expect((await anon.get(`/api/v1/setup?token=${token}`)).statusCode).toBe(404);
    expect(
      (await anon.post('/api/v1/setup', { token, email: 'tercera@implan.gob.mx', name: 'Tercera', password: PASSWORD })).statusCode,
    ).toBe(404);
    expect(await issueSetupToken(t.database.db)).toBeNull(); // no link is printed any more
    expect((await anon.get('/api/v1/config')).json().setupPending).toBe(false);
    const audit = await t.database.db.selectFrom('audit_log').select(['entity', 'after']).where('entity', '=', 'installation').execute();
    expect(audit.some((r) => (r.after as { event?: string })?.event === 'admin_created')).toBe(true);
  });

  sharedOnly(
    'lets the admin name the IMPLAN, import INEGI files, activate municipalities, add departments and invite a planner who publishes an indicator',
    async () => {
      // The first admin, made through the link the server prints.
      const setupToken = (await issueSetupToken(t.database.db))!;
      const first = await new Client(t.app).post('/api/v1/setup', {
        token: setupToken,
        email: 'directora@implan.gob.mx',
        name: 'Directora',
        password: PASSWORD,
      });
      expect(first.statusCode, first.body).toBe(201);
      const admin = await new Client(t.app).login('directora@implan.gob.mx', PASSWORD);
      expect((await admin.get('/api/v1/admin/setup')).json()).toMatchObject({
        institution: false,
        municipalities: 0,
        active: 0,
        departments: 0,
        staff: 0,
      });

      const named = await admin.patch('/api/v1/installation', {
        institutionName: 'Instituto Municipal de Planeación de Zacatecas',
        cveEnt: '32',
        primaryColor: '#7A1E48',
      });
      expect(named.statusCode, named.body).toBe(200);
      expect(named.json()).toMatchObject({ stateName: 'Zacatecas', primaryColor: '#7a1e48', logoUrl: null });
      const png = await (await import('sharp'))
        .default({ create: { width: 900, height: 300, channels: 3, background: '#7a1e48' } })
        .jpeg()
        .toBuffer();
      const logo = multipart({ name: 'logo.jpg', bytes: png, type: 'image/jpeg' });
      const withLogo = await admin.request('PUT', '/api/v1/installation/logo', logo.payload, { headers: logo.headers });
      expect(withLogo.statusCode, withLogo.body).toBe(200);
      const served = await new Client(t.app).get(withLogo.json().logoUrl);
      expect(served.headers['content-type']).toBe('image/png');
      const meta = await (await import('sharp')).default(served.rawPayload).metadata();
      expect([meta.width, meta.height]).toEqual([512, 171]);
      expect((await new Client(t.app).get('/api/v1/config')).json().institution.institutionName).toBe(
        'Instituto Municipal de Planeación de Zacatecas',
      );

      // Territory: a dry run first, then the import.
      const fields = { level: 'municipio', keyField: 'cvegeo', nameField: 'nom_agem', populationField: 'pob' };
      const dry = await upload(admin, '/api/v1/territory/imports', inegi('32mun_epsg6372.zip'), { ...fields, dryRun: 'true' });
      expect(dry.statusCode, dry.body).toBe(200);
      expect(dry.json()).toMatchObject({ committed: false, dryRun: true, features: 58, valid: 58, population: 1622138, sourceSrid: 6372 });
      expect(await countRows(t.database, 'municipalities')).toEqual({ municipalities: 0 });
      const mun = await upload(admin, '/api/v1/territory/imports', inegi('32mun_epsg6372.zip'), fields);
      expect(mun.statusCode, mun.body).toBe(201);
      const loc = await upload(admin, '/api/v1/territory/imports', inegi('32loc.gpkg'), {
        level: 'localidad',
        keyField: 'cvegeo',
        nameField: 'nom_loc',
        populationField: 'pob',
      });
      expect(loc.statusCode, loc.body).toBe(201);
      expect(loc.json().inserted).toBe(1323);

      // Imported municipalities start inactive: no pages, no registrations.
      expect((await new Client(t.app).get('/api/v1/municipalities?active=true')).json()).toEqual([]);
      for (const id of ['32056', '32017'])
        expect((await admin.patch(`/api/v1/municipalities/${id}`, { active: true })).statusCode).toBe(200);
      const active = (await new Client(t.app).get('/api/v1/municipalities?active=true')).json();
      expect(active.map((m: { id: string }) => m.id)).toEqual(['32017', '32056']);
      const zac = active.find((m: { id: string }) => m.id === '32056');
      expect(zac.population).toBe(149607);
      // Both areas: the planar EPSG:6372 one (INEGI's tables) is below the geodesic one.
      expect(zac.areaKm2Planar).toBeLessThan(zac.areaKm2);
      expect(zac.areaKm2 / zac.areaKm2Planar).toBeGreaterThan(1.001);
      expect(zac.areaKm2 / zac.areaKm2Planar).toBeLessThan(1.02);

      // The activation rebuilt the own basemap in the background; the wizard follows its progress.
      let basemap = (await admin.get('/api/v1/admin/setup')).json().basemap;
      expect(basemap.estado).toBe('construyendo');
      for (let i = 0; i < 600 && basemap.estado === 'construyendo'; i++) {
        await new Promise((r) => setTimeout(r, 200));
        basemap = (await admin.get('/api/v1/admin/setup')).json().basemap;
      }
      expect(basemap).toMatchObject({ listo: true, estado: 'listo', error: null });
      expect(basemap.teselas).toBeGreaterThan(10);
      const basemaps = (await new Client(t.app).get('/api/v1/config')).json().basemaps;
      expect(basemaps).toEqual([
        expect.objectContaining({
          url: '/basemap/basemap.pmtiles',
          vectorLayers: expect.arrayContaining(['municipios', 'localidades', 'etiquetas']),
        }),
      ]);

      // Departments from a list, then from an XLSX; bad lines refuse the whole list.
      const bad = await admin.post('/api/v1/municipalities/32056/departments/batch', {
        departments: [{ name: 'Tesorería Municipal' }, { name: 'X' }, { name: 'tesorería municipal' }],
      });
      expect(bad.statusCode).toBe(422);
      expect(bad.json().details.errores.map((e: { fila: number }) => e.fila)).toEqual([2, 3]);
      expect(await countRows(t.database, 'departments')).toEqual({ departments: 0 });
      const list = await admin.post('/api/v1/municipalities/32056/departments/batch', {
        departments: [
          { name: 'Tesorería Municipal', acronym: 'TM' },
          { name: 'Secretaría de Obras Públicas', acronym: 'SOP' },
        ],
      });
      expect(list.statusCode, list.body).toBe(201);
      const { default: ExcelJS } = await import('exceljs');
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('Dependencias');
      ws.addRows([
        ['Nombre', 'Siglas'],
        ['Secretaría de Obras Públicas', 'SOP'],
        ['Dirección de Desarrollo Social', 'DS'],
        ['Dirección de Seguridad Pública', 'DSP'],
      ]);
      const xlsx = multipart({ name: 'dependencias.xlsx', bytes: Buffer.from(await wb.xlsx.writeBuffer()) });
      const imported = await admin.request('POST', '/api/v1/municipalities/32017/departments/import', xlsx.payload, {
        headers: xlsx.headers,
      });
      expect(imported.statusCode, imported.body).toBe(201);
      expect(imported.json().created.map((d: { acronym: string }) => d.acronym)).toEqual(['SOP', 'DS', 'DSP']);
      const again = await admin.request('POST', '/api/v1/municipalities/32017/departments/import', xlsx.payload, { headers: xlsx.headers });
      expect(again.json()).toMatchObject({
        created: [],
        existing: ['Secretaría de Obras Públicas', 'Dirección de Desarrollo Social', 'Dirección de Seguridad Pública'],
      });

      // Invite a planner; the link in the mail sets the password and signs in.
      const inv = await admin.post('/api/v1/admin/invitations', {
        email: 'planeacion@implan.gob.mx',
        name: 'Luis Planeación',
        municipalityId: '32056',
        role: 'planner',
      });
      expect(inv.statusCode, inv.body).toBe(201);
      expect((await new Client(t.app).login('planeacion@implan.gob.mx', PASSWORD).catch((e) => e)) instanceof Error).toBe(true);
      const token = await linkInMail(t, 'planeacion@implan.gob.mx');
      expect((await new Client(t.app).get(`/api/v1/auth/invitation?token=${token}`)).json()).toMatchObject({
        email: 'planeacion@implan.gob.mx',
        grants: [{ role: 'planner', municipalityName: 'Zacatecas' }],
      });
      const planner = new Client(t.app);
      const accepted = await planner.post('/api/v1/auth/invitation/accept', { token, password: PASSWORD });
      expect(accepted.statusCode, accepted.body).toBe(200);
      expect((await new Client(t.app).post('/api/v1/auth/invitation/accept', { token, password: PASSWORD })).statusCode).toBe(400); // once
      expect((await admin.get('/api/v1/admin/setup')).json()).toMatchObject({
        institution: true,
        municipalities: 58,
        localities: 1323,
        active: 2,
        departments: 5,
        staff: 1,
        pending: 0,
      });

      const v = await planner.post('/api/v1/municipalities/32056/variables', {
        clave: 'POB',
        nombre: 'Población total',
        fuente: 'INEGI, Censo 2020',
      });
      expect(v.statusCode, v.body).toBe(201);
      const ind = await planner.post('/api/v1/municipalities/32056/indicators', {
        clave: 'DEM-01',
        nombre: 'Población total',
        tema: 'desarrollo-humano',
        formula: 'POB',
        estado: 'publicado',
      });
      expect(ind.statusCode, ind.body).toBe(201);
      const page = await new Client(t.app).get('/api/v1/municipalities/32056/indicators/DEM-01');
      expect(page.statusCode).toBe(200);
      expect(page.json()).toMatchObject({ clave: 'DEM-01', nombre: 'Población total' });
      // The planner's role is Zacatecas only.
      expect(
        (await planner.post('/api/v1/municipalities/32017/variables', { clave: 'POB', nombre: 'Población', fuente: 'INEGI' })).statusCode,
      ).toBe(403);
    },
  );
});

// ——— The CLI ———

const BIN = path.resolve(import.meta.dirname, '../bin/brujula.js');
const cliEnv = (dataDir: string, url: string | null, extra: Record<string, string> = {}) => ({
  ...process.env,
  BRUJULA_DATA_DIR: dataDir,
  BRUJULA_DEMO: 'false',
  BRUJULA_DEMO_BACKGROUND: 'false',
  LOG_LEVEL: 'warn',
  DATABASE_URL: url ?? '',
  ...extra,
});

function cli(env: NodeJS.ProcessEnv, args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env, input, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe.each(TARGETS)('the same setup through the CLI (%s)', (kind) => {
  sharedOnly('creates the admin, imports INEGI files, activates, adds departments and invites, with Spanish one-line errors', async () => {
    const database = await freshDatabase(kind);
    // On PGlite the CLI opens the folder itself, so the test's handle is closed first and reopened after.
    const dataDir = kind === 'pglite' ? fs.mkdtempSync(path.join(os.tmpdir(), 'brj-cli-')) : '';
    if (kind === 'pglite') {
      await database.close();
      fs.rmSync(dataDir, { recursive: true });
    }
    const env = cliEnv(dataDir, database.url);
    try {
      const weak = cli(env, ['admin', 'create', '--email', 'admin@implan.gob.mx'], 'corta\n');
      expect(weak.code).toBe(1);
      expect(weak.err.trim()).toBe('La contraseña debe tener al menos 10 caracteres.');
      const made = cli(env, ['admin', 'create', '--email', 'admin@implan.gob.mx', '--name', 'Administración'], `${PASSWORD}\n`);
      expect(made.code, made.err).toBe(0);
      expect(cli(env, ['admin', 'create', '--email', 'admin@implan.gob.mx'], `${PASSWORD}\n`).err.trim()).toBe(
        'Ya existe una cuenta con ese correo electrónico.',
      );

      expect(cli(env, ['institution', '--name', 'IMPLAN Guadalupe', '--state', '32']).out).toMatch(/IMPLAN Guadalupe · entidad: Zacatecas/);
      const mun = cli(env, [
        'import',
        'territory',
        inegi('32mun_epsg6372.zip'),
        '-l',
        'municipio',
        '-k',
        'cvegeo',
        '-n',
        'nom_agem',
        '--population',
        'pob',
      ]);
      expect(mun.code, mun.err).toBe(0);
      expect(mun.out).toMatch(/58 nuevas/);
      expect(cli(env, ['import', 'territory', inegi('32loc.gpkg'), '-l', 'localidad', '-k', 'cvegeo', '-n', 'nom_loc']).out).toMatch(
        /1323 nuevas/,
      );
      const wrong = cli(env, ['municipality', 'activate', '32056', '32999']);
      expect([wrong.code, wrong.err.trim()]).toEqual([
        1,
        'No están importados: 32999. Importe primero el territorio («brujula import territory …»).',
      ]);
      expect(cli(env, ['municipality', 'activate', '32056', '32017']).out).toMatch(/Activados: Guadalupe \(32017\), Zacatecas \(32056\)/);
      const csv = path.join(os.tmpdir(), `deps-${process.pid}.csv`);
      fs.writeFileSync(csv, 'nombre,siglas\nSecretaría de Obras Públicas,SOP\nTesorería Municipal,TM\n');
      expect(cli(env, ['department', 'import', csv, '-m', '32017']).out).toMatch(/Dependencias nuevas: 2/);
      const invited = cli(env, [
        'user',
        'invite',
        '--email',
        'enlace@guadalupe.gob.mx',
        '--role',
        'enlace',
        '-m',
        '32017',
        '--department',
        'SOP',
      ]);
      expect(invited.code, invited.err).toBe(0);
      const token = /token=([A-Za-z0-9_-]+)/.exec(invited.out)![1];
      // Commander's own errors and missing files: one Spanish line, exit ≠ 0.
      const missing = cli(env, ['import', 'territory', 'no-existe.zip', '-l', 'municipio', '-k', 'cvegeo', '-n', 'nom_agem']);
      expect([missing.code, missing.err.trim()]).toEqual([1, 'No existe el archivo no-existe.zip.']);
      const noLevel = cli(env, ['import', 'territory', 'x.zip']);
      expect(noLevel.code).not.toBe(0);
      expect(noLevel.err.trim()).toMatch(/^Error: falta la opción obligatoria -l, --level/);
      expect(noLevel.err.trim().split('\n')).toHaveLength(1);

      // The invitee accepts in the web app and works as an enlace of Guadalupe.
      const reopened = kind === 'pglite' ? await openDatabase({ databaseUrl: null, dataDir }) : database;
      const app = await build({
        config: loadConfig({ BRUJULA_DATA_DIR: dataDir || '/nonexistent', LOG_LEVEL: 'silent' }),
        database: reopened,
        logger: false,
      });
      try {
        const enlace = new Client(app);
        expect((await enlace.post('/api/v1/auth/invitation/accept', { token, password: PASSWORD })).statusCode).toBe(200);
        expect((await enlace.get('/api/v1/auth/me')).json().grants).toEqual([
          expect.objectContaining({ role: 'enlace', municipalityId: '32017', departmentName: 'Secretaría de Obras Públicas' }),
        ]);
        const admin = await new Client(app).login('admin@implan.gob.mx', PASSWORD);
        expect((await admin.get('/api/v1/admin/setup')).json()).toMatchObject({
          institution: true,
          municipalities: 58,
          localities: 1323,
          active: 2,
          departments: 2,
          staff: 1,
        });
        const events = await reopened.db.selectFrom('audit_log').select(['entity', 'via']).where('via', '=', 'cli').execute();
        expect([...new Set(events.map((e) => e.entity))]).toEqual(
          expect.arrayContaining([
            'users',
            'role_grants',
            'installation',
            'territorial_units',
            'territory_import',
            'municipalities',
            'departments',
            'user_tokens',
          ]),
        );
      } finally {
        await app.close();
        if (kind === 'pglite') await reopened.close();
        fs.rmSync(csv, { force: true });
      }
    } finally {
      if (kind === 'pglite') fs.rmSync(dataDir, { recursive: true, force: true });
      else await database.close();
    }
  });
});

describe('the CLI on a data folder a running server holds (pglite)', () => {
  sharedOnly('refuses with one Spanish line and changes nothing, then works once the server stops', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brj-lock-'));
    fs.rmSync(dataDir, { recursive: true });
    const port = 4900 + Math.floor(Math.random() * 90);
    const env = cliEnv(dataDir, null, { PORT: String(port) });
    const server = spawn(process.execPath, [BIN, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    server.stdout.on('data', (d) => (out += d));
    server.stderr.on('data', (d) => (out += d));
    try {
      const t0 = Date.now();
      while (!out.includes('instalar?token=')) {
        if (server.exitCode !== null || Date.now() - t0 > 120_000) throw new Error(`El servidor no arrancó: ${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const busy = 'Brújula está en marcha con esta carpeta de datos';
      const admin = cli(env, ['admin', 'create', '--email', 'admin@implan.gob.mx'], `${PASSWORD}\n`);
      expect(admin.code).toBe(3);
      expect(admin.err.trim().split('\n')).toEqual([expect.stringContaining(busy)]);
      expect(admin.err).toContain('detenga el servidor o use la API');
      const imp = cli(env, ['import', 'territory', inegi('32mun_epsg6372.zip'), '-l', 'municipio', '-k', 'cvegeo', '-n', 'nom_agem']);
      expect(imp.code).toBe(3);
      expect(imp.err.trim().split('\n')).toEqual([expect.stringContaining(busy)]);
      // A second server on the same folder is refused too.
      const second = cli({ ...env, PORT: String(port + 1) }, ['serve']);
      expect(second.code).toBe(3);
      // The running server still answers, and nothing was written.
      const cfg = await (await fetch(`http://127.0.0.1:${port}/api/v1/config`)).json();
      expect(cfg.setupPending).toBe(true);
      expect(await (await fetch(`http://127.0.0.1:${port}/api/v1/municipalities`)).json()).toEqual([]);
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => (server.exitCode !== null ? r(null) : server.once('exit', r)));
    }
    try {
      expect(fs.existsSync(path.join(dataDir, 'brujula.lock'))).toBe(false);
      expect(cli(env, ['admin', 'create', '--email', 'admin@implan.gob.mx'], `${PASSWORD}\n`).code).toBe(0);
      const imp = cli(env, ['import', 'territory', inegi('32mun_epsg6372.zip'), '-l', 'municipio', '-k', 'cvegeo', '-n', 'nom_agem']);
      expect(imp.code, imp.err).toBe(0);
      expect(imp.out).toMatch(/58 nuevas/);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
