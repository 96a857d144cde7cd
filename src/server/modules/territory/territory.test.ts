import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Client, countRows, createUser, hasSharedData, inegi, TARGETS, testApp, type TestApp } from '../../../../test/helpers.ts';

/** Multipart body for app.inject, built with the platform's FormData. */
async function multipart(file: Buffer, fileName: string, fields: Record<string, string>) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([new Uint8Array(file)]), fileName);
  const req = new Request('http://x', { method: 'POST', body: form });
  return { body: Buffer.from(await req.arrayBuffer()), contentType: req.headers.get('content-type')! };
}

const TABLES = ['municipalities', 'territorial_units', 'territory_imports', 'audit_log'];

/** Colonias of Zacatecas: one good square, a repairable bow-tie, an unreadable ring and a point without key. */
const COLONIAS = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { clave: 'COL-1', nombre: 'Centro' },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [-102.58, 22.77],
            [-102.57, 22.77],
            [-102.57, 22.78],
            [-102.58, 22.78],
            [-102.58, 22.77],
          ],
        ],
      },
    },
    // A bow-tie: self-intersecting, repairable.
    {
      type: 'Feature',
      properties: { clave: 'COL-2', nombre: 'Moño' },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [-102.59, 22.76],
            [-102.58, 22.77],
            [-102.58, 22.76],
            [-102.59, 22.77],
            [-102.59, 22.76],
          ],
        ],
      },
    },
    // A ring of two points: unreadable.
    {
      type: 'Feature',
      properties: { clave: 'COL-3', nombre: 'Rota' },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [-102.5, 22.7],
            [-102.5, 22.7],
          ],
        ],
      },
    },
    { type: 'Feature', properties: { clave: '', nombre: 'Sin clave' }, geometry: { type: 'Point', coordinates: [-102.5, 22.7] } },
  ],
};

describe.each(TARGETS)('territory on %s', (kind) => {
  let t: TestApp;
  let state: Client;
  const post = async (c: Client, file: Buffer, fileName: string, fields: Record<string, string>) => {
    const { body, contentType } = await multipart(file, fileName, fields);
    if (!c.csrf) await c.fetchCsrf();
    const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return t.app.inject({
      method: 'POST',
      url: '/api/v1/territory/imports',
      payload: body,
      headers: { 'content-type': contentType, 'x-csrf-token': c.csrf!, cookie },
    });
  };

  // Each test starts from its own empty installation with a state-level planner.
  beforeEach(async () => {
    t = await testApp(kind, { demo: false });
    await createUser(t.database, 'estatal@example.mx', [[null, 'planner']]);
    state = await new Client(t.app).login('estatal@example.mx');
  });
  afterEach(() => t?.close());

  const municipality = (id: string, name: string) =>
    t.database.db
      .insertInto('municipalities')
      .values({ id, cve_ent: '32', name })
      .onConflict((oc) => oc.doNothing())
      .execute();
  /** A planner of Zacatecas (32056) and the four-feature colonias file, imported with `onInvalid` as given. */
  const zacatecasPlanner = async () => {
    await municipality('32056', 'Zacatecas');
    await createUser(t.database, 'plan32056@example.mx', [['32056', 'planner']]);
    return new Client(t.app).login('plan32056@example.mx');
  };
  const importColonias = (c: Client, extra: Record<string, string> = {}) =>
    post(c, Buffer.from(JSON.stringify(COLONIAS)), 'colonias.geojson', {
      level: 'colonia',
      keyField: 'clave',
      nameField: 'nombre',
      municipalityId: '32056',
      ...extra,
    });

  it.skipIf(!hasSharedData)('imports INEGI municipalities from a zipped Shapefile in EPSG:6372', async () => {
    const zip = fs.readFileSync(inegi('32mun_epsg6372.zip'));
    const res = await post(state, zip, '32mun_epsg6372.zip', {
      level: 'municipio',
      keyField: 'cvegeo',
      nameField: 'nom_agem',
      populationField: 'pob',
    });
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json();
    expect(r).toMatchObject({
      format: 'shapefile',
      sourceSrid: 6372,
      features: 58,
      valid: 58,
      inserted: 58,
      updated: 0,
      population: 1_622_138,
    });
    expect(r.rejected).toEqual([]);

    const sum = await sql<{
      n: number;
      pob: number;
    }>`select count(*)::int as n, sum(population)::int as pob from territorial_units where level = 'municipio'`.execute(t.database.db);
    expect(sum.rows[0]).toEqual({ n: 58, pob: 1_622_138 });
    const pops = await t.database.db
      .selectFrom('territorial_units')
      .select(['cvegeo', 'population', 'name'])
      .where('cvegeo', 'in', ['32056', '32017', '32010'])
      .orderBy('cvegeo')
      .execute();
    expect(pops.map((p) => [p.cvegeo, p.population])).toEqual([
      ['32010', 240_532],
      ['32017', 211_740],
      ['32056', 149_607],
    ]);
    expect(pops.find((p) => p.cvegeo === '32056')!.name).toBe('Zacatecas');
    expect((await t.database.db.selectFrom('municipalities').select('id').execute()).length).toBe(58);

    // Areas: the stored EPSG:4326 geometry, projected back to EPSG:6372, against the source polygons' own ST_Area.
    const shapefile = await import('shapefile');
    const { default: yauzl } = await import('yauzl');
    const files = await new Promise<Map<string, Buffer>>((resolve, reject) => {
      const out = new Map<string, Buffer>();
      yauzl.fromBuffer(zip, { lazyEntries: true }, (err, z) => {
        if (err) return reject(err);
        z.on('entry', (e) =>
          z.openReadStream(e, (_e, s) => {
            const ch: Buffer[] = [];
            s!.on('data', (c) => ch.push(c));
            s!.on('end', () => {
              out.set(e.fileName, Buffer.concat(ch));
              z.readEntry();
            });
          }),
        );
        z.on('end', () => resolve(out));
        z.readEntry();
      });
    });
    const ab = (b: Buffer) => new Uint8Array(b).buffer;
    const src = await shapefile.open(ab(files.get('32mun.shp')!), ab(files.get('32mun.dbf')!), { encoding: 'utf-8' });
    let checked = 0;
    for (let f = await src.read(); !f.done; f = await src.read()) {
      const key = String(f.value.properties!.cvegeo);
      const r2 = await sql<{ source: number; stored: number; geodesic: number }>`
        select ST_Area(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(f.value.geometry)}), 6372)) as source,
               (select ST_Area(ST_Transform(geom, 6372)) from territorial_units where level = 'municipio' and cvegeo = ${key}) as stored,
               (select area_m2 from territorial_units where level = 'municipio' and cvegeo = ${key}) as geodesic`.execute(t.database.db);
      const { source, stored, geodesic } = r2.rows[0];
      expect(Math.abs(stored - source) / source).toBeLessThan(0.005);
      expect(Math.abs(geodesic - source) / source).toBeLessThan(0.02);
      checked++;
    }
    expect(checked).toBe(58);
  });

  it.skipIf(!hasSharedData)('imports the 1,323 INEGI localities from a GeoPackage and links them to their municipio', async () => {
    const municipios = await post(state, fs.readFileSync(inegi('AGEM_32.geojson')), 'AGEM_32.geojson', {
      level: 'municipio',
      keyField: 'cvegeo',
      nameField: 'nom_agem',
    });
    expect(municipios.statusCode, municipios.body).toBe(201);
    const res = await post(state, fs.readFileSync(inegi('32loc.gpkg')), '32loc.gpkg', {
      level: 'localidad',
      keyField: 'cvegeo',
      nameField: 'nom_loc',
      populationField: 'pob',
    });
    expect(res.statusCode, res.body.slice(0, 500)).toBe(201);
    expect(res.json()).toMatchObject({ format: 'geopackage', layer: 'localidades_urbanas', features: 1323, inserted: 1323 });
    const orphans = await sql<{
      n: number;
    }>`select count(*)::int as n from territorial_units where level = 'localidad' and parent_id is null`.execute(t.database.db);
    expect(orphans.rows[0].n).toBe(0);
    const zac = await new Client(t.app).get('/api/v1/municipalities/32056/units?level=localidad&q=zacatecas');
    expect(zac.json().items.map((u: { cvegeo: string }) => u.cvegeo)).toContain('320560001');
  });

  it.skipIf(!hasSharedData)('dry-runs a GeoJSON import: full report, nothing kept', async () => {
    const before = await countRows(t.database, ...TABLES);
    const res = await post(state, fs.readFileSync(inegi('AGEM_32.geojson')), 'AGEM_32.geojson', {
      level: 'municipio',
      keyField: 'cvegeo',
      nameField: 'nom_agem',
      populationField: 'pob',
      dryRun: 'true',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ dryRun: true, committed: false, features: 58, valid: 58, population: 1_622_138 });
    expect(await countRows(t.database, ...TABLES)).toEqual(before);
  });

  it.skipIf(!hasSharedData)('leaves the database unchanged when the file is corrupted or partial', async () => {
    const before = await countRows(t.database, ...TABLES);
    const zip = fs.readFileSync(inegi('32mun_epsg6372.zip'));
    const partial = await post(state, zip.subarray(0, Math.floor(zip.length * 0.6)), 'partial.zip', {
      level: 'municipio',
      keyField: 'cvegeo',
      nameField: 'nom_agem',
    });
    expect(partial.statusCode).toBe(422);
    expect(partial.json().message).toMatch(/dañado|incompleto/);
    const gpkg = Buffer.from(fs.readFileSync(inegi('32loc.gpkg')));
    gpkg.fill(0x41, 4096, 200_000);
    const corrupt = await post(state, gpkg, 'corrupt.gpkg', { level: 'localidad', keyField: 'cvegeo', nameField: 'nom_loc' });
    expect(corrupt.statusCode).toBe(422);
    const wrongField = await post(state, zip, '32mun.zip', { level: 'municipio', keyField: 'CVEGEO_X', nameField: 'nom_agem' });
    expect(wrongField.statusCode).toBe(422);
    expect(wrongField.json().message).toMatch(/no existe en el archivo/);
    expect(await countRows(t.database, ...TABLES)).toEqual(before);
  });

  it.skipIf(!hasSharedData)('refuses a Shapefile without .prj instead of guessing its projection, and reads KML', async () => {
    const yazl = await import('yazl');
    const yauzl = await import('yauzl');
    // The INEGI zip again, without its .prj.
    const entries = await new Promise<{ name: string; bytes: Buffer }[]>((res, rej) => {
      const out: { name: string; bytes: Buffer }[] = [];
      yauzl.fromBuffer(fs.readFileSync(inegi('32mun_epsg6372.zip')), { lazyEntries: true }, (err, z) => {
        if (err) return rej(err);
        z.on('entry', (e) =>
          z.openReadStream(e, (er, st) => {
            if (er) return rej(er);
            const chunks: Buffer[] = [];
            st.on('data', (c: Buffer) => chunks.push(c)).on(
              'end',
              () => (out.push({ name: e.fileName, bytes: Buffer.concat(chunks) }), z.readEntry()),
            );
          }),
        );
        z.on('end', () => res(out));
        z.readEntry();
      });
    });
    const zip = new yazl.ZipFile();
    for (const e of entries.filter((x) => !x.name.endsWith('.prj'))) zip.addBuffer(e.bytes, e.name);
    zip.end();
    const chunks: Buffer[] = [];
    for await (const c of zip.outputStream) chunks.push(c as Buffer);
    const before = await countRows(t.database, ...TABLES);
    const res = await post(state, Buffer.concat(chunks), 'sin-prj.zip', { level: 'municipio', keyField: 'cvegeo', nameField: 'nom_agem' });
    expect(res.statusCode).toBe(422);
    expect(res.json().message).toMatch(/Falta .*\.prj/);
    expect(await countRows(t.database, ...TABLES)).toEqual(before);

    const kml = await post(state, fs.readFileSync(inegi('32mun.kml')), '32mun.kml', {
      level: 'municipio',
      keyField: 'cvegeo',
      nameField: 'nom_agem',
      dryRun: 'true',
    });
    expect(kml.statusCode, kml.body).toBe(200);
    expect(kml.json()).toMatchObject({ format: 'kml', features: 58, valid: 58 });
  });

  it('asks what to do with each feature that has no name: skip it, or use its key', async () => {
    await municipality('32056', 'Zacatecas');
    const square = (x: number) => ({
      type: 'Polygon',
      coordinates: [
        [
          [x, 22.7],
          [x + 0.01, 22.7],
          [x + 0.01, 22.71],
          [x, 22.71],
          [x, 22.7],
        ],
      ],
    });
    // INEGI has real localities with estatus 0 and no nom_loc.
    const fc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { cvegeo: '320560001', nom_loc: 'Zacatecas' }, geometry: square(-102.6) },
        { type: 'Feature', properties: { cvegeo: '320560501', nom_loc: null }, geometry: square(-102.5) },
        { type: 'Feature', properties: { cvegeo: '320560502', nom_loc: '' }, geometry: square(-102.4) },
      ],
    };
    const file = Buffer.from(JSON.stringify(fc));
    const fields = { level: 'localidad', keyField: 'cvegeo', nameField: 'nom_loc' };
    const before = await countRows(t.database, ...TABLES);
    const first = await post(state, file, 'loc.geojson', fields);
    expect(first.statusCode).toBe(422);
    expect(first.json().details.unnamed).toEqual([
      expect.objectContaining({ key: '320560501', choice: 'reject' }),
      expect.objectContaining({ key: '320560502', choice: 'reject' }),
    ]);
    expect(await countRows(t.database, ...TABLES)).toEqual(before);
    const chosen = await post(state, file, 'loc.geojson', {
      ...fields,
      missingName: JSON.stringify({ '320560501': 'key', '320560502': 'skip' }),
    });
    expect(chosen.statusCode, chosen.body).toBe(201);
    expect(chosen.json()).toMatchObject({
      valid: 2,
      rejected: [],
      unnamed: [expect.objectContaining({ choice: 'key' }), expect.objectContaining({ choice: 'skip' })],
    });
    const names = await t.database.db
      .selectFrom('territorial_units')
      .select(['cvegeo', 'name'])
      .where('cvegeo', 'in', ['320560001', '320560501', '320560502'])
      .orderBy('cvegeo')
      .execute();
    expect(names).toEqual([
      { cvegeo: '320560001', name: 'Zacatecas' },
      { cvegeo: '320560501', name: '320560501' },
    ]);
    expect((await post(state, file, 'loc.geojson', { ...fields, missingName: '{"x": "borrar"}' })).statusCode).toBe(400);
  });

  it('repairs an invalid polygon, rejects an unreadable one, and keeps nothing unless told to skip', async () => {
    const planner = await zacatecasPlanner();
    const before = await countRows(t.database, ...TABLES);
    const strict = await importColonias(planner);
    expect(strict.statusCode).toBe(422);
    const report = strict.json().details;
    expect(report.rejected.map((p: { n: number }) => p.n)).toEqual([3, 4]);
    expect(report.repaired.map((p: { key: string }) => p.key)).toEqual(['COL-2']);
    expect(report.repaired[0].reason).toMatch(/Self-intersection|intersec/i);
    expect(await countRows(t.database, ...TABLES)).toEqual(before);

    const skip = await importColonias(planner, { onInvalid: 'skip' });
    expect(skip.statusCode).toBe(201);
    expect(skip.json()).toMatchObject({ inserted: 2, valid: 2 });
    const valid = await sql<{
      ok: boolean;
      type: string;
    }>`select ST_IsValid(geom) as ok, GeometryType(geom) as type from territorial_units where cvegeo = 'COL-2'`.execute(t.database.db);
    expect(valid.rows[0].ok).toBe(true);
    expect(valid.rows[0].type).toMatch(/POLYGON/);

    // Re-importing updates by key instead of duplicating.
    const again = await importColonias(planner, { onInvalid: 'skip' });
    expect(again.json()).toMatchObject({ inserted: 0, updated: 2 });
  });

  it('refuses an import into a municipality where the planner has no role, keeping nothing', async () => {
    await municipality('32056', 'Zacatecas');
    await municipality('32017', 'Guadalupe');
    await createUser(t.database, 'plan32017@example.mx', [['32017', 'planner']]);
    const other = await new Client(t.app).login('plan32017@example.mx');
    const fc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { clave: 'X-1', nombre: 'Intrusa' }, geometry: { type: 'Point', coordinates: [-102.58, 22.77] } },
      ],
    };
    const before = await countRows(t.database, ...TABLES);
    const res = await post(other, Buffer.from(JSON.stringify(fc)), 'x.geojson', {
      level: 'poligono',
      keyField: 'clave',
      nameField: 'nombre',
      municipalityId: '32056',
    });
    expect(res.statusCode).toBe(403);
    expect(await countRows(t.database, ...TABLES)).toEqual(before);
    const anon = await post(new Client(t.app), Buffer.from(JSON.stringify(fc)), 'x.geojson', {
      level: 'poligono',
      keyField: 'clave',
      nameField: 'nombre',
      municipalityId: '32056',
    });
    expect(anon.statusCode).toBe(401);
  });

  it('rejects a file in an unknown format with a clear message', async () => {
    const res = await post(state, Buffer.from('esto no es un mapa'), 'notas.txt', {
      level: 'colonia',
      keyField: 'a',
      nameField: 'b',
      municipalityId: '32056',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().message).toMatch(/GeoJSON, Shapefile/);
  });

  it('serves territory as GeoJSON and a public change history', async () => {
    const planner = await zacatecasPlanner();
    expect((await importColonias(planner, { onInvalid: 'skip' })).statusCode).toBe(201);
    expect((await importColonias(planner, { onInvalid: 'skip' })).json()).toMatchObject({ updated: 2 });
    const geo = await new Client(t.app).get('/api/v1/municipalities/32056/units.geojson?level=colonia&tolerance=0.0001');
    expect(geo.statusCode).toBe(200);
    expect(geo.headers['content-type']).toMatch(/geo\+json/);
    const fc = geo.json();
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.map((f: { properties: { cvegeo: string } }) => f.properties.cvegeo)).toEqual(['COL-1', 'COL-2']);
    const page2 = (await new Client(t.app).get('/api/v1/municipalities/32056/units?level=colonia&limit=1&page=2')).json();
    expect(page2).toMatchObject({ total: 2, page: 2, limit: 1 });
    expect(page2.items.map((u: { cvegeo: string }) => u.cvegeo)).toEqual(['COL-2']);
    const past = (await new Client(t.app).get('/api/v1/municipalities/32056/units?level=colonia&limit=1&page=9')).json();
    expect(past).toMatchObject({ total: 2, items: [] });
    const accentless = (await new Client(t.app).get('/api/v1/municipalities/32056/units?q=MONO')).json();
    expect(accentless.items.map((u: { name: string }) => u.name)).toEqual(['Moño']);
    const detail = (await new Client(t.app).get('/api/v1/municipalities/32056')).json();
    const [minX, minY, maxX, maxY] = detail.bbox;
    expect(minX).toBeLessThanOrEqual(-102.59);
    expect(maxX).toBeGreaterThanOrEqual(-102.57);
    expect(minY).toBeLessThanOrEqual(22.76);
    expect(maxY).toBeGreaterThanOrEqual(22.78);
    expect(detail.levels.colonia).toBe(2);
    const hist = (await new Client(t.app).get('/api/v1/history/territorial_units/COL-1')).json();
    expect(hist.items.map((h: { action: string }) => h.action)).toEqual(['update', 'insert']);
    expect(hist.items[0].via).toBeNull();
  });
});
