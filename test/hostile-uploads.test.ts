/**
 * Hostile uploads, with a corpus built here: zip bombs (tiny archives that inflate far beyond the
 * limit) sent to every route that opens an archive. Each is refused quickly with a Spanish 413,
 * the server keeps answering, memory stays near where it was, and nothing is written. Parsed files
 * are bounded too: rows, columns and the length of a cell.
 */
import { Readable } from 'node:stream';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, countRows, multipart, testApp, type TestApp } from './helpers.ts';

const MB = 2 ** 20;

/** A zip whose entries are `mb` megabytes of zeros each, streamed (never held in memory here). */
function bomb(entries: [string, number][]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, mb] of entries) {
    let left = mb;
    const zeros = Buffer.alloc(MB);
    zip.addReadStream(
      new Readable({
        read() {
          this.push(left-- > 0 ? zeros : null);
        },
      }),
      name,
    );
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream
      .on('data', (c: Buffer) => chunks.push(c))
      .on('end', () => resolve(Buffer.concat(chunks)))
      .on('error', reject);
  });
}

describe('zip bombs (pglite)', () => {
  let t: TestApp;
  let planner: Client;
  let state: Client;
  let layerId: number;
  beforeAll(async () => {
    t = await testApp('pglite', { env: { BRUJULA_UPLOAD_MAX_INFLATED_MB: '16' } });
    planner = await new Client(t.app).login('planeacion@demo.brujula.mx');
    state = await new Client(t.app).login('admin@demo.brujula.mx');
    layerId = (
      await t.database.db
        .selectFrom('gis_layers')
        .select('id')
        .where('municipality_id', '=', '32056')
        .orderBy('id')
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(() => t?.close());

  it('refuses each within seconds with a Spanish 413 naming the limit, keeps serving, and writes nothing', async () => {
    const tables = ['gis_features', 'territorial_units', 'indicator_observations', 'indicator_loads', 'territory_imports'];
    const before = await countRows(t.database, ...tables);
    const shp = await bomb([
      ['calles.shp', 64],
      ['calles.dbf', 1],
      ['calles.shx', 1],
      ['calles.prj', 1],
    ]);
    const kmz = await bomb([['doc.kml', 64]]);
    const xlsx = await bomb([
      ['[Content_Types].xml', 1],
      ['xl/worksheets/sheet1.xml', 64],
    ]);
    // Compressed, each is well under the upload limit.
    for (const b of [shp, kmz, xlsx]) expect(b.length).toBeLessThan(MB);
    const baseline = process.memoryUsage().rss;
    const sends: [string, 'PUT' | 'POST', string, Buffer, string, Record<string, string>][] = [
      ['SIG layer', 'PUT', `/api/v1/municipalities/32056/layers/${layerId}/data`, shp, 'calles.zip', {}],
      [
        'territory import',
        'POST',
        '/api/v1/territory/imports',
        shp,
        'municipios.zip',
        { level: 'municipio', keyField: 'cvegeo', nameField: 'nom_agem' },
      ],
      [
        'territory KMZ',
        'POST',
        '/api/v1/territory/imports',
        kmz,
        'municipios.kmz',
        { level: 'municipio', keyField: 'cvegeo', nameField: 'nom_agem' },
      ],
      ['indicator XLSX', 'POST', '/api/v1/municipalities/32056/indicators/data', xlsx, 'datos.xlsx', {}],
    ];
    for (const [what, method, url, bytes, name, fields] of sends) {
      const client = what.startsWith('territory') ? state : planner;
      const body = multipart({ name, bytes }, fields);
      const t0 = performance.now();
      const res = await client.request(method, url, body.payload, { headers: body.headers });
      expect(performance.now() - t0, what).toBeLessThan(10_000);
      expect(res.statusCode, `${what}: ${res.body}`).toBe(413);
      expect(res.json().message, what).toMatch(/16 MB descomprimidos \(BRUJULA_UPLOAD_MAX_INFLATED_MB\)/);
      // Still serving.
      expect((await new Client(t.app).get('/health')).statusCode).toBe(200);
    }
    expect(process.memoryUsage().rss - baseline).toBeLessThan(100 * MB);
    expect(await countRows(t.database, ...tables)).toEqual(before);
  });

  it('still reads an honest archive that inflates within the limit', async () => {
    const zip = new yazl.ZipFile();
    zip.addBuffer(
      Buffer.from(
        `<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>Plaza</name><ExtendedData><Data name="clave"><value>32056-P1</value></Data></ExtendedData><Point><coordinates>-102.57,22.77</coordinates></Point></Placemark></Document></kml>`,
      ),
      'doc.kml',
    );
    zip.end();
    const chunks: Buffer[] = [];
    await new Promise((r) => zip.outputStream.on('data', (c: Buffer) => chunks.push(c)).on('end', r));
    const body = multipart({ name: 'plaza.kmz', bytes: Buffer.concat(chunks) }, { dryRun: 'true' });
    const res = await planner.request('PUT', `/api/v1/municipalities/32056/layers/${layerId}/data`, body.payload, {
      headers: body.headers,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ dryRun: true });
  });
});

describe('parse limits on rows, columns and cells (pglite)', () => {
  let t: TestApp;
  let planner: Client;
  let layerId: number;
  beforeAll(async () => {
    t = await testApp('pglite', { env: { BRUJULA_UPLOAD_MAX_ROWS: '1000' } });
    planner = await new Client(t.app).login('planeacion@demo.brujula.mx');
    layerId = (
      await t.database.db
        .selectFrom('gis_layers')
        .select('id')
        .where('municipality_id', '=', '32056')
        .orderBy('id')
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(() => t?.close());

  const send = (method: 'PUT' | 'POST', url: string, name: string, bytes: string | Buffer) => {
    const body = multipart({ name, bytes });
    return planner.request(method, url, body.payload, { headers: body.headers });
  };
  const layer = () => `/api/v1/municipalities/32056/layers/${layerId}/data`;
  const indicators = '/api/v1/municipalities/32056/indicators/data';

  it('refuses too many rows, too many columns and an oversized cell with a Spanish message naming the limit, writing nothing', async () => {
    const tables = ['gis_features', 'indicator_observations', 'indicator_loads', 'plan_elements'];
    const before = await countRows(t.database, ...tables);
    const rows = (n: number) => ['latitud,longitud,nombre', ...Array.from({ length: n }, (_, i) => `22.77,-102.57,punto ${i}`)].join('\n');
    const wide = [Array.from({ length: 1001 }, (_, i) => `c${i}`).join(','), Array.from({ length: 1001 }, () => '1').join(',')].join('\n');
    const baseline = process.memoryUsage().rss;
    const cases: [string, Promise<{ statusCode: number; json(): { message: string } }>, number, RegExp][] = [
      ['layer rows', send('PUT', layer(), 'puntos.csv', rows(1001)), 413, /más de 1,000 filas o elementos.*BRUJULA_UPLOAD_MAX_ROWS/],
      [
        'indicator rows',
        send(
          'POST',
          indicators,
          'datos.csv',
          ['clave,unidad,periodo,valor', ...Array.from({ length: 1001 }, () => 'T_HOM,32056,2024,1')].join('\n'),
        ),
        413,
        /más de 1,000 filas/,
      ],
      ['indicator columns', send('POST', indicators, 'datos.csv', wide), 422, /1,001 columnas; el máximo es 1,000/],
      [
        'layer cell',
        send('PUT', layer(), 'puntos.csv', `latitud,longitud,nombre\n22.77,-102.57,${'x'.repeat(1024 * 1024)}\n`),
        422,
        /columna «nombre», tiene 1,048,576 caracteres; el máximo por celda es 32,767/,
      ],
      [
        'indicator cell',
        send('POST', indicators, 'datos.csv', `clave,unidad,periodo,valor\nT_HOM,32056,2024,${'9'.repeat(1024 * 1024)}\n`),
        422,
        /el máximo por celda es 32,767/,
      ],
      [
        'GeoJSON attribute',
        send(
          'PUT',
          layer(),
          'p.geojson',
          JSON.stringify({
            type: 'FeatureCollection',
            features: [
              { type: 'Feature', geometry: { type: 'Point', coordinates: [-102.57, 22.77] }, properties: { nota: 'y'.repeat(40_000) } },
            ],
          }),
        ),
        422,
        /columna «nota», tiene 40,000 caracteres/,
      ],
    ];
    for (const [what, pending, status, message] of cases) {
      const res = await pending;
      expect(res.statusCode, what).toBe(status);
      expect(res.json().message, what).toMatch(message);
    }
    expect(await countRows(t.database, ...tables)).toEqual(before);
    // The refused files are not kept around: memory comes back near where it was.
    (globalThis as { gc?: () => void }).gc?.();
    expect(process.memoryUsage().rss - baseline).toBeLessThan(150 * MB);
    // At the limit, a file still loads.
    const ok = await send('PUT', layer(), 'puntos.csv', rows(1000));
    expect(ok.statusCode, JSON.stringify(ok.json()).slice(0, 200)).toBe(200);
  });
});
