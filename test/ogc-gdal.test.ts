import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, freePort, hasSharedData, inegi, multipart, testApp, type TestApp } from './helpers.ts';

const run = promisify(execFile);
const hasGdal = fs.existsSync('/usr/bin/ogrinfo');
if (!hasGdal) console.warn('Prueba con GDAL omitida: falta ogrinfo (instale el paquete "gdal-bin"; CI lo instala).');

/** A real OGC API – Features client, GDAL's OAPIF driver, reads Brújula's /ogc over HTTP. */
describe.skipIf(!hasGdal || !hasSharedData)('GDAL reads the OGC API – Features endpoint', () => {
  let t: TestApp;
  let url: string;
  let slug: string;
  beforeAll(async () => {
    const port = await freePort();
    t = await testApp('pglite', { env: { BRUJULA_PUBLIC_URL: `http://127.0.0.1:${port}` } });
    url = await t.app.listen({ port, host: '127.0.0.1' });
    const planner = await new Client(t.app).login('planeacion@demo.brujula.mx');
    const l = (
      await planner.post('/api/v1/municipalities/32056/layers', {
        titulo: 'Localidades de Zacatecas (INEGI 2020)',
        tema: 'ordenamiento',
        fuente: 'INEGI',
        publico: true,
      })
    ).json();
    slug = l.slug;
    const body = multipart({ name: '32loc_puntos.csv', bytes: fs.readFileSync(inegi('32loc_puntos.csv')) });
    const r = await planner.request('PUT', `/api/v1/municipalities/32056/layers/${l.id}/data`, body.payload, { headers: body.headers });
    expect(r.statusCode, r.body).toBe(200);
    // A private layer that GDAL, as an anonymous client, must not see.
    await planner.post('/api/v1/municipalities/32056/layers', { titulo: 'Capa interna', publico: false });
  });
  afterAll(() => t?.close());

  it('lists the public collections and reads every feature of a layer with its attributes', async () => {
    const list = await run('ogrinfo', ['-ro', '-q', `OAPIF:${url}/ogc`], { timeout: 60_000 });
    expect(list.stdout).toContain(slug);
    expect(list.stdout).not.toContain('capa-interna');

    const summary = await run('ogrinfo', ['-ro', '-so', `OAPIF:${url}/ogc`, slug], { timeout: 120_000 });
    expect(summary.stdout).toMatch(/Feature Count: 1323/);
    expect(summary.stdout).toMatch(/Geometry: Point/);
    for (const field of ['cvegeo', 'nom_loc', 'pob', 'viv']) expect(summary.stdout).toContain(`${field}:`);

    // Reading all features follows the `next` links page by page.
    const out = await run('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', `OAPIF:${url}/ogc`, slug], {
      timeout: 300_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    const fc = JSON.parse(out.stdout) as { features: { properties: Record<string, unknown> }[] };
    expect(fc.features).toHaveLength(1323);
    const zac = fc.features.find((f) => f.properties.cvegeo === '320560001')!;
    expect(zac.properties).toMatchObject({ nom_loc: 'Zacatecas', cve_mun: '056' });
  });
});
