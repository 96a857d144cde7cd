import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Client, countRows, hasSharedData, inegi, multipart, TARGETS, testApp, type TestApp } from '../../../../test/helpers.ts';
import { inferTypes } from './layers.ts';

if (!hasSharedData) console.warn('Pruebas con archivos INEGI omitidas: no existe ../shared/data/inegi-32 (en CI sí está).');

describe('attribute types', () => {
  it('keeps INEGI keys with leading zeros as text and converts numeric text only from text formats', () => {
    const f = (p: Record<string, unknown>) => ({ properties: p, geojson: null, wkb: null });
    const rows = [
      f({ cve: '001', pob: '2608', alt: '1269.5', ok: 'true', d: '2020-03-15' }),
      f({ cve: '024', pob: '122', alt: '1520', ok: 'false', d: '2021-01-01' }),
      f({ cve: '030', pob: '*', alt: '-', ok: '', d: '' }),
    ];
    expect(inferTypes(rows, ['cve', 'pob', 'alt', 'ok', 'd'], true)).toEqual([
      { name: 'cve', type: 'text' },
      { name: 'pob', type: 'integer' },
      { name: 'alt', type: 'number' },
      { name: 'ok', type: 'boolean' },
      { name: 'd', type: 'date' },
    ]);
    expect(inferTypes([f({ pob: '2608' })], ['pob'], false)).toEqual([{ name: 'pob', type: 'text' }]);
    expect(inferTypes([f({ cvegeo: '320560001', clave: '12' })], ['cvegeo', 'clave'], true)).toEqual([
      { name: 'cvegeo', type: 'text' },
      { name: 'clave', type: 'text' },
    ]);
  });
});

describe.each(TARGETS)('SIG layers on %s', (kind) => {
  let t: TestApp;
  let planner: Client, anon: Client, citizen: Client;
  const m = '/api/v1/municipalities/32056';
  beforeAll(async () => {
    t = await testApp(kind);
    planner = await new Client(t.app).login('planeacion@demo.brujula.mx');
    citizen = await new Client(t.app).login('ciudadana@demo.brujula.mx');
    anon = new Client(t.app);
  });
  afterAll(() => t?.close());

  async function layer(titulo: string, extra: object = {}) {
    const r = await planner.post(`${m}/layers`, { titulo, tema: 'ordenamiento', fuente: 'INEGI', publico: true, ...extra });
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as { id: number; slug: string };
  }
  const upload = (id: number, name: string, bytes: Buffer | string, fields: Record<string, string> = {}) => {
    const body = multipart({ name, bytes }, fields);
    return planner.request('PUT', `${m}/layers/${id}/data`, body.payload, { headers: body.headers });
  };
  const sumPob = async (id: number, field = 'pob') =>
    // Only numeric values count ("-" marks a locality without data in INEGI's tables).
    Number(
      (
        await sql<{
          s: number;
        }>`select sum((properties->>${field})::numeric) filter (where properties->>${field} ~ '^[0-9]+$') as s from gis_features where layer_id = ${id}`.execute(
          t.database.db,
        )
      ).rows[0].s,
    );

  it.skipIf(!hasSharedData)('loads every INEGI format with the right counts and attributes', async () => {
    const cases: [string, string, Record<string, string>, number, number | null][] = [
      ['32mun_epsg6372.zip', 'Municipios (Shapefile EPSG:6372)', {}, 58, 1_622_138],
      ['AGEM_32.geojson', 'Municipios (GeoJSON)', {}, 58, 1_622_138],
      ['32mun.kml', 'Municipios (KML)', {}, 58, 1_622_138],
      ['32loc.gpkg', 'Localidades (GeoPackage)', { layer: 'localidades_urbanas' }, 1323, null],
      ['32loc_puntos.csv', 'Localidades (CSV)', {}, 1323, null],
    ];
    for (const [file, titulo, fields, n, pob] of cases) {
      const l = await layer(titulo);
      const r = await upload(l.id, file, fs.readFileSync(inegi(file)), fields);
      expect(r.statusCode, `${file}: ${r.body.slice(0, 300)}`).toBe(200);
      expect(r.json()).toMatchObject({ committed: true, features: n, valid: n, rejected: [] });
      if (pob) expect(await sumPob(l.id)).toBe(pob);
      const meta = (await anon.get(`/api/v1/layers/${l.slug}`)).json();
      expect(meta.featureCount).toBe(n);
      // Reprojected to EPSG:4326: Zacatecas state lies within these degrees.
      expect(meta.bbox[0]).toBeGreaterThan(-104.5);
      expect(meta.bbox[2]).toBeLessThan(-100.5);
      expect(meta.bbox[1]).toBeGreaterThan(21);
      expect(meta.bbox[3]).toBeLessThan(25.2);
    }
    // Zacatecas (32056) has 149,607 inhabitants in every municipal format.
    const zac = await sql<{ n: string }>`select f.properties->>'pob' as n from gis_features f join gis_layers l on l.id = f.layer_id
                                            where l.titulo like 'Municipios%' and f.properties->>'cvegeo' = '32056'`.execute(t.database.db);
    expect(zac.rows.map((r) => Number(r.n))).toEqual([149_607, 149_607, 149_607]);
    // CSV: numeric text became numbers, keys kept their zeros; the state's localities add up to their total.
    const csv = await t.database.db
      .selectFrom('gis_layers')
      .select(['id', 'atributos', 'geometry_type'])
      .where('titulo', '=', 'Localidades (CSV)')
      .executeTakeFirstOrThrow();
    expect(csv.geometry_type).toBe('POINT');
    expect(csv.atributos.find((a) => a.name === 'cve_mun')!.type).toBe('text');
    expect(csv.atributos.find((a) => a.name === 'cvegeo')!.type).toBe('text');
    expect(csv.atributos.find((a) => a.name === 'pob')!.type).toBe('integer');
    const gpkgPob = await sumPob(
      (await t.database.db.selectFrom('gis_layers').select('id').where('titulo', '=', 'Localidades (GeoPackage)').executeTakeFirstOrThrow())
        .id,
    );
    expect(await sumPob(csv.id)).toBe(gpkgPob);
  });

  it('refuses broken files with a clear message and leaves the layer as it was', async () => {
    const l = await layer('Capa de prueba de errores');
    const good = JSON.stringify({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { nombre: 'A' }, geometry: { type: 'Point', coordinates: [-102.58, 22.77] } }],
    });
    expect((await upload(l.id, 'bien.geojson', good)).statusCode).toBe(200);
    const before = await countRows(t.database, 'gis_features');
    const version = (await anon.get(`/api/v1/layers/${l.slug}`)).json().version;

    // Invalid geometry that cannot be repaired (a ring of 3 points) and one without coordinates.
    const bad = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { nombre: 'ok' }, geometry: { type: 'Point', coordinates: [-102.5, 22.7] } },
        {
          type: 'Feature',
          properties: { nombre: 'anillo' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [-102.5, 22.7],
                [-102.4, 22.7],
                [-102.5, 22.7],
              ],
            ],
          },
        },
        { type: 'Feature', properties: { nombre: 'vacía' }, geometry: null },
      ],
    });
    const r1 = await upload(l.id, 'mala.geojson', bad);
    expect(r1.statusCode).toBe(422);
    expect(r1.json().message).toBe('La capa no se cargó: 2 elemento(s) con geometría no válida. No se guardó ningún elemento.');
    expect(r1.json().details.rejected).toEqual([
      { n: 2, reason: 'Geometría ilegible: Un anillo del polígono tiene menos de 4 puntos' },
      { n: 3, reason: 'Sin geometría.' },
    ]);
    // A self-intersecting polygon is repaired, not refused.
    const bowtie = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: {},
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [0, 0],
                [1, 1],
                [1, 0],
                [0, 1],
                [0, 0],
              ],
            ],
          },
        },
      ],
    });
    const dry = await upload(l.id, 'moño.geojson', bowtie, { dryRun: 'true' });
    expect(dry.json()).toMatchObject({ committed: false, valid: 1 });
    expect(dry.json().repaired[0].reason).toMatch(/Reparada con ST_MakeValid: Self-intersection/);

    if (hasSharedData) {
      const zip = fs.readFileSync(inegi('32mun_epsg6372.zip'));
      const { default: yauzl } = await import('yauzl');
      // Rebuild the zip without one member, with the real files.
      const entries = await new Promise<Map<string, Buffer>>((res, rej) => {
        const out = new Map<string, Buffer>();
        yauzl.fromBuffer(zip, { lazyEntries: true }, (e, z) => {
          if (e || !z) return rej(e);
          z.on('end', () => res(out));
          z.on('entry', (en) =>
            z.openReadStream(en, (e2, s) => {
              if (e2 || !s) return rej(e2);
              const c: Buffer[] = [];
              s.on('data', (d: Buffer) => c.push(d)).on('end', () => {
                out.set(en.fileName, Buffer.concat(c));
                z.readEntry();
              });
            }),
          );
          z.readEntry();
        });
      });
      const without = async (ext: string) => {
        const { default: yazl } = await import('yazl');
        const out = new yazl.ZipFile();
        for (const [n, b] of entries) if (!n.toLowerCase().endsWith(ext)) out.addBuffer(b, n);
        out.end();
        const chunks: Buffer[] = [];
        for await (const c of out.outputStream) chunks.push(c as Buffer);
        return Buffer.concat(chunks);
      };
      const noShx = await upload(l.id, 'sin_shx.zip', await without('.shx'));
      expect(noShx.statusCode).toBe(422);
      expect(noShx.json().message).toMatch(/^Falta 32mun\.shx en el \.zip/);
      const noPrj = await upload(l.id, 'sin_prj.zip', await without('.prj'));
      expect(noPrj.json().message).toMatch(/^Falta 32mun\.prj en el \.zip: sin él no se sabe en qué proyección/);
      const truncated = await upload(l.id, 'cortado.zip', zip.subarray(0, Math.floor(zip.length / 2)));
      expect(truncated.statusCode).toBe(422);
      expect(truncated.json().message).toMatch(/El archivo \.zip está dañado o incompleto/);
    }
    // Text that is not UTF-8 (Latin-1 bytes in a file read as UTF-8).
    const latin1 = Buffer.concat([
      Buffer.from('nombre,latitud,longitud\n'),
      Buffer.from('Jerez de Garc\xeda Salinas,22.65,-102.99\n', 'latin1'),
    ]);
    const enc = await upload(l.id, 'latin1.csv', latin1);
    expect(enc.statusCode).toBe(422);
    expect(enc.json().message).toMatch(/no corresponde a la codificación declarada/);
    const noCoords = await upload(l.id, 'sin_coordenadas.csv', 'nombre,pob\nA,1\n');
    expect(noCoords.json().message).toMatch(/necesita columnas de latitud y longitud/);
    const exe = await upload(l.id, 'capa.geojson', Buffer.concat([Buffer.from('MZ'), zlib.deflateSync(Buffer.alloc(100))]));
    expect(exe.statusCode).toBe(415);

    expect(await countRows(t.database, 'gis_features')).toEqual(before);
    expect((await anon.get(`/api/v1/layers/${l.slug}`)).json().version).toBe(version);
  });

  it('re-uploads keep the layer id, metadata and style; only planners of the municipality upload', async () => {
    const l = await layer('Escuelas', { tema: 'educacion', descripcion: 'Planteles de educación básica' });
    const fc = (n: number) =>
      JSON.stringify({
        type: 'FeatureCollection',
        features: Array.from({ length: n }, (_, i) => ({
          type: 'Feature',
          properties: { nombre: `Escuela ${i + 1}`, alumnos: 100 + i },
          geometry: { type: 'Point', coordinates: [-102.58 + i * 0.001, 22.77] },
        })),
      });
    await upload(l.id, 'escuelas.geojson', fc(3));
    const styled = await planner.patch(`${m}/layers/${l.id}`, {
      estilo: { tipo: 'graduado', campo: 'alumnos', metodo: 'cuantiles', clases: 5, colores: ['#eeeeee', '#111111'] },
      atributos: [{ name: 'alumnos', description: 'Matrícula 2025–2026' }],
    });
    expect(styled.json().estilo.cortes).toEqual([100.4, 100.8, 101.2, 101.6]);
    const r = await upload(l.id, 'escuelas_2026.geojson', fc(5));
    expect(r.json()).toMatchObject({ committed: true, valid: 5 });
    const meta = (await anon.get(`/api/v1/layers/${l.slug}`)).json();
    // The style stays and its class breaks follow the new data (quantiles of 100…104).
    expect(meta).toMatchObject({
      id: l.id,
      descripcion: 'Planteles de educación básica',
      estilo: { tipo: 'graduado', campo: 'alumnos', cortes: [100.8, 101.6, 102.4, 103.2] },
      featureCount: 5,
      version: 3,
    });
    expect(meta.atributos).toEqual([
      { name: 'nombre', type: 'text', description: '' },
      { name: 'alumnos', type: 'integer', description: 'Matrícula 2025–2026' },
    ]);
    // Types are editable: every value is converted, or nothing changes when one does not fit.
    const item = async () => (await anon.get(`/ogc/collections/${l.slug}/items/1`)).json().properties;
    expect(await item()).toEqual({ nombre: 'Escuela 1', alumnos: 100 });
    expect((await planner.patch(`${m}/layers/${l.id}`, { atributos: [{ name: 'alumnos', type: 'text' }] })).statusCode).toBe(200);
    expect(await item()).toEqual({ nombre: 'Escuela 1', alumnos: '100' });
    const back = await planner.patch(`${m}/layers/${l.id}`, { atributos: [{ name: 'alumnos', type: 'integer' }] });
    expect(back.json().atributos.find((a: { name: string }) => a.name === 'alumnos')).toEqual({
      name: 'alumnos',
      type: 'integer',
      description: 'Matrícula 2025–2026',
    });
    expect(back.json().version).toBe(5);
    expect(await item()).toEqual({ nombre: 'Escuela 1', alumnos: 100 });
    const refused = await planner.patch(`${m}/layers/${l.id}`, { atributos: [{ name: 'nombre', type: 'integer' }] });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toBe('No se cambió el tipo de «nombre»: 5 valor(es) no son números enteros (p. ej. «Escuela 1»).');
    expect(await item()).toEqual({ nombre: 'Escuela 1', alumnos: 100 });
    const body = multipart({ name: 'x.geojson', bytes: fc(1) });
    expect((await citizen.request('PUT', `${m}/layers/${l.id}/data`, body.payload, { headers: body.headers })).statusCode).toBe(403);
    const other = await new Client(t.app).login('planeacion.guadalupe@demo.brujula.mx');
    expect((await other.request('PUT', `${m}/layers/${l.id}/data`, body.payload, { headers: body.headers })).statusCode).toBe(403);
    // The upload is one audit event with the file's hash.
    const ev = await t.database.db
      .selectFrom('audit_log')
      .select(['after'])
      .where('entity', '=', 'gis_layer_upload')
      .where('entity_id', '=', String(l.id))
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(ev.after).toMatchObject({ archivo: 'escuelas_2026.geojson', elementos: 5, formato: 'geojson' });
  });

  it('keeps text with quotes, backslashes, tabs and line breaks intact through the bulk load', async () => {
    const l = await layer('Nombres difíciles');
    const nombre = 'Calle "5 de Mayo" \\ Norte\tesq.\nSur';
    const csv = `nombre,latitud,longitud\n"${nombre.replace(/"/g, '""')}",22.77,-102.58\nPlaza,22.771,-102.581\n`;
    const r = await upload(l.id, 'nombres.csv', csv);
    expect(r.statusCode, r.body).toBe(200);
    const item = (await anon.get(`/ogc/collections/${l.slug}/items/1`)).json();
    expect(item.properties.nombre).toBe(nombre);
    expect(item.geometry.coordinates).toEqual([-102.58, 22.77]);
    // A second upload replaces the layer's partition: only the new rows remain.
    await upload(l.id, 'nombres2.csv', 'nombre,latitud,longitud\nUno,22.7,-102.5\n');
    expect((await anon.get(`/ogc/collections/${l.slug}/items`)).json().numberMatched).toBe(1);
  });

  it('classifies numeric attributes by equal interval, quantiles and natural breaks, and validates saved styles', async () => {
    const l = await layer('Pozos');
    const values = [1, 2, 3, 10, 11, 12, 30, 31];
    const fc = {
      type: 'FeatureCollection',
      features: values.map((v, i) => ({
        type: 'Feature',
        properties: { gasto: v, uso: i % 3 ? 'agrícola' : 'urbano', nombre: `Pozo ${i}` },
        geometry: { type: 'Point', coordinates: [-102.58 + i * 0.001, 22.77] },
      })),
    };
    expect((await upload(l.id, 'pozos.geojson', JSON.stringify(fc))).statusCode).toBe(200);
    const classify = async (metodo: string, clases: number) =>
      (await anon.get(`/api/v1/layers/${l.slug}/classify?campo=gasto&metodo=${metodo}&clases=${clases}`)).json();
    // Hand computation: equal steps of (31 − 1) / 3; linear quantiles of the 8 values; Jenks groups 1–3, 10–12, 30–31.
    expect(await classify('igual', 3)).toMatchObject({ n: 8, min: 1, max: 31, cortes: [11, 21] });
    expect((await classify('cuantiles', 4)).cortes).toEqual([2.75, 10.5, 16.5]);
    expect((await classify('naturales', 3)).cortes).toEqual([10, 30]);
    expect((await anon.get(`/api/v1/layers/${l.slug}/values?campo=uso`)).json()).toEqual({
      campo: 'uso',
      valores: [
        { valor: 'agrícola', n: 5 },
        { valor: 'urbano', n: 3 },
      ],
      mas: false,
    });
    const refuse = async (estilo: object, message: RegExp) => {
      const r = await planner.patch(`${m}/layers/${l.id}`, { estilo });
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().message).toMatch(message);
    };
    await refuse(
      { tipo: 'graduado', campo: 'uso', colores: ['#ffffff', '#000000'] },
      /«uso» es de tipo text; el estilo graduado necesita un atributo numérico/,
    );
    await refuse({ tipo: 'graduado', campo: 'caudal', colores: ['#ffffff', '#000000'] }, /no tiene el atributo «caudal»/);
    await refuse({ tipo: 'categorias', campo: 'uso' }, /al menos una categoría/);
    expect((await planner.patch(`${m}/layers/${l.id}`, { estilo: { tipo: 'unico', color: 'rojo' } })).statusCode).toBe(400);
    const saved = await planner.patch(`${m}/layers/${l.id}`, {
      estilo: { tipo: 'graduado', campo: 'gasto', metodo: 'naturales', clases: 3, colores: ['#fee5d9', '#fb6a4a', '#a50f15', '#67000d'] },
    });
    expect(saved.json().estilo).toEqual({
      tipo: 'graduado',
      campo: 'gasto',
      metodo: 'naturales',
      clases: 3,
      cortes: [10, 30],
      colores: ['#fee5d9', '#a50f15', '#67000d'],
    });
    expect((await citizen.patch(`${m}/layers/${l.id}`, { estilo: { tipo: 'unico', color: '#ff0000' } })).statusCode).toBe(403);
    // Place search for the viewer: colonias and localities by name, accents ignored, with their extent.
    const places = (await anon.get(`${m}/places?q=historico`)).json();
    expect(places[0]).toMatchObject({ level: 'colonia', name: 'Centro Histórico' });
    expect(places[0].bbox).toHaveLength(4);
  });

  it('serves OGC API – Features with paging and bbox, and hides private layers from the public', async () => {
    const l = await layer('Puntos de prueba OGC');
    const fc = JSON.stringify({
      type: 'FeatureCollection',
      features: Array.from({ length: 25 }, (_, i) => ({
        type: 'Feature',
        properties: { n: i + 1, fecha: `2024-01-${String(i + 1).padStart(2, '0')}` },
        geometry: { type: 'Point', coordinates: [-102 + i * 0.1, 22] },
      })),
    });
    await upload(l.id, 'puntos.geojson', fc);
    expect((await anon.get('/ogc')).json().links.map((k: { rel: string }) => k.rel)).toEqual([
      'self',
      'alternate',
      'service-desc',
      'conformance',
      'data',
    ]);
    expect((await anon.get('/ogc/conformance')).json().conformsTo).toContain(
      'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
    );
    const cols = (await anon.get('/ogc/collections')).json().collections.map((c: { id: string }) => c.id);
    expect(cols).toContain(l.slug);
    const p1 = await anon.get(`/ogc/collections/${l.slug}/items?limit=10`);
    expect(p1.headers['content-type']).toMatch(/application\/geo\+json/);
    expect(p1.json()).toMatchObject({ numberMatched: 25, numberReturned: 10 });
    const next = p1.json().links.find((k: { rel: string }) => k.rel === 'next').href as string;
    expect(next).toMatch(/offset=10/);
    // Paging keeps the format asked for; an unknown parameter is an error, not ignored (OGC Core).
    expect(next).toMatch(/[?&]f=json(&|$)/);
    const html = await anon.get(`/ogc/collections/${l.slug}/items?limit=10&f=html`);
    expect(html.body).toContain('offset=10&#38;f=html');
    expect(html.body).not.toContain('f=json');
    for (const bad of ['crs=http://www.opengis.net/def/crs/EPSG/0/3857', 'nombre=Escuela']) {
      const r = await anon.get(`/ogc/collections/${l.slug}/items?limit=10&${bad}`);
      expect(r.statusCode, bad).toBe(400);
      expect(r.json().message).toMatch(/^Parámetro no admitido: \w+\. Esta API acepta: f, limit, offset, bbox, datetime\.$/);
    }
    // datetime: instants and intervals (open on either end) against the layer's date attribute.
    const byDate = async (dt: string, extra = '') => {
      const r = await anon.get(`/ogc/collections/${l.slug}/items?datetime=${encodeURIComponent(dt)}${extra}`);
      expect(r.statusCode, `${dt}: ${r.body}`).toBe(200);
      return r.json() as { numberMatched: number; features: { properties: { n: number } }[]; links: { rel: string; href: string }[] };
    };
    expect((await byDate('2024-01-05')).features.map((f) => f.properties.n)).toEqual([5]);
    expect((await byDate('2024-01-05T10:30:00Z')).features.map((f) => f.properties.n)).toEqual([5]);
    const interval = await byDate('2024-01-03/2024-01-06');
    expect([interval.numberMatched, interval.features.map((f) => f.properties.n)]).toEqual([4, [3, 4, 5, 6]]);
    expect((await byDate('../2024-01-02')).features.map((f) => f.properties.n)).toEqual([1, 2]);
    expect((await byDate('2024-01-24/')).features.map((f) => f.properties.n)).toEqual([24, 25]);
    const paged = await byDate('2024-01-01/2024-01-20', '&limit=5');
    expect(paged.numberMatched).toBe(20);
    expect(paged.links.find((k) => k.rel === 'next')?.href).toContain('datetime=2024-01-01%2F2024-01-20');
    for (const bad of ['ayer', '../..', '2024-01-09/2024-01-02', '2024-13-45']) {
      const r = await anon.get(`/ogc/collections/${l.slug}/items?datetime=${encodeURIComponent(bad)}`);
      expect([bad, r.statusCode, r.json().message]).toEqual([bad, 400, expect.stringMatching(/^datetime/)]);
    }
    const undated = await layer('Puntos sin fecha');
    await upload(
      undated.id,
      'p.geojson',
      JSON.stringify({
        type: 'FeatureCollection',
        features: [{ type: 'Feature', properties: { n: 1 }, geometry: { type: 'Point', coordinates: [-102.5, 22.7] } }],
      }),
    );
    const noDate = await anon.get(`/ogc/collections/${undated.slug}/items?datetime=2024-01-01`);
    expect([noDate.statusCode, noDate.json().message]).toEqual([400, expect.stringMatching(/no tiene un atributo de fecha/)]);
    expect((await anon.get('/ogc/collections?f=json')).statusCode).toBe(200);
    expect((await anon.get('/ogc/collections?otro=1')).statusCode).toBe(400);
    const p3 = (await anon.get(`/ogc/collections/${l.slug}/items?limit=10&offset=20`)).json();
    expect(p3.numberReturned).toBe(5);
    expect(p3.links.some((k: { rel: string }) => k.rel === 'next')).toBe(false);
    expect(p3.links.find((k: { rel: string }) => k.rel === 'prev').href).toMatch(/offset=10/);
    const box = (await anon.get(`/ogc/collections/${l.slug}/items?bbox=-102.05,21.9,-101.55,22.1&limit=100`)).json();
    expect(box.features.map((f: { properties: { n: number } }) => f.properties.n)).toEqual([1, 2, 3, 4, 5]);
    expect(box.numberMatched).toBe(5);
    expect((await anon.get(`/ogc/collections/${l.slug}/items/7`)).json().properties).toEqual({ n: 7, fecha: '2024-01-07' });
    expect((await anon.request('GET', `/ogc/collections/${l.slug}/items?f=html`)).headers['content-type']).toMatch(/text\/html/);

    // Private: gone for the public (collections, items, metadata, download), visible for staff.
    await planner.patch(`${m}/layers/${l.id}`, { publico: false });
    expect((await anon.get('/ogc/collections')).json().collections.map((c: { id: string }) => c.id)).not.toContain(l.slug);
    expect((await anon.get(`/ogc/collections/${l.slug}/items`)).statusCode).toBe(404);
    expect((await anon.get(`/ogc/collections/${l.slug}/items/1`)).statusCode).toBe(404);
    expect((await anon.get(`/api/v1/layers/${l.slug}`)).statusCode).toBe(404);
    expect((await anon.get(`/api/v1/layers/${l.slug}/download.geojson`)).statusCode).toBe(404);
    expect((await citizen.get(`/ogc/collections/${l.slug}/items`)).statusCode).toBe(404);
    expect((await planner.get(`/ogc/collections/${l.slug}/items`)).json().numberMatched).toBe(25);
    expect((await planner.get(`/api/v1/layers/${l.slug}/download.geojson`)).json().features).toHaveLength(25);
  });

  it('counts a filtered page only as far as is cheap: exact for a short page, left out past 5,000 matches beyond the page', async () => {
    const l = await layer('Puntos numerosos');
    await upload(
      l.id,
      'p.geojson',
      JSON.stringify({
        type: 'FeatureCollection',
        features: [{ type: 'Feature', properties: { n: 0 }, geometry: { type: 'Point', coordinates: [-102.5, 22.7] } }],
      }),
    );
    // 5,100 more points in a 0.1° square (straight into the table: an upload is capped at 1,000 rows here).
    await sql`insert into gis_features (layer_id, municipality_id, fid, properties, geom)
              select ${l.id}, '32056', g + 1, jsonb_build_object('n', g), ST_SetSRID(ST_MakePoint(-102.55 + (g % 100) * 0.001, 22.75 + (g / 100) * 0.001), 4326)
                from generate_series(1, 5100) g`.execute(t.app.db);
    await sql`update gis_layers set feature_count = 5101 where id = ${l.id}`.execute(t.app.db);
    const items = async (q: string) => {
      const r = await anon.get(`/ogc/collections/${l.slug}/items?${q}`);
      expect(r.statusCode, r.body).toBe(200);
      return r.json() as { numberMatched?: number; numberReturned: number; links: { rel: string; href: string }[] };
    };
    const box = 'bbox=-102.56,22.74,-102.44,22.81';
    const first = await items(`${box}&limit=10`);
    expect([first.numberMatched, first.numberReturned]).toEqual([undefined, 10]);
    expect(first.links.find((k) => k.rel === 'next')?.href).toMatch(/offset=10/);
    expect((await anon.get(`/ogc/collections/${l.slug}/items?${box}&limit=10&f=html`)).body).toContain('1–10 de más de 5,010');
    // The last page is short: its own rows tell the total, without a count.
    const last = await items(`${box}&limit=10&offset=5095`);
    expect([last.numberMatched, last.numberReturned, last.links.some((k) => k.rel === 'next')]).toEqual([5100, 5, false]);
    // Near the end a full page is counted, since the rest is within reach.
    expect((await items(`${box}&limit=10&offset=1000`)).numberMatched).toBe(5100);
    // Without a filter the layer's stored count answers; a small box is counted exactly.
    expect((await items('limit=10')).numberMatched).toBe(5101);
    expect((await items('bbox=-102.5505,22.7495,-102.5465,22.7505&limit=2')).numberMatched).toBe(3);
  });
});

describe.each(TARGETS)('vector tiles on %s', (kind) => {
  let t: TestApp;
  let planner: Client, anon: Client;
  let slug: string, id: number;
  const m = '/api/v1/municipalities/32056';
  // Zacatecas centre at zoom 14: tile x=3524, y=7157 (the point -102.5832, 22.7709 falls inside it).
  const [z, x, y] = [
    14,
    Math.floor(((-102.5832 + 180) / 360) * 2 ** 14),
    Math.floor(((1 - Math.log(Math.tan((22.7709 * Math.PI) / 180) + 1 / Math.cos((22.7709 * Math.PI) / 180)) / Math.PI) / 2) * 2 ** 14),
  ];
  const decode = async (buf: Buffer) => {
    const { VectorTile } = await import('@mapbox/vector-tile');
    const { PbfReader } = await import('pbf');
    return new VectorTile(new PbfReader(buf));
  };
  /** A public layer with a point and a park in the tile and a point far away; answers [slug, id]. */
  const equipamiento = async (titulo: string): Promise<[string, number]> => {
    const l = (await planner.post(`${m}/layers`, { titulo, publico: true })).json();
    const fc = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { nombre: 'Plaza', tipo: 'recreacion' },
          geometry: { type: 'Point', coordinates: [-102.5832, 22.7709] },
        },
        {
          type: 'Feature',
          properties: { nombre: 'Parque', tipo: 'area-verde' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [-102.585, 22.769],
                [-102.581, 22.769],
                [-102.581, 22.772],
                [-102.585, 22.772],
                [-102.585, 22.769],
              ],
            ],
          },
        },
        { type: 'Feature', properties: { nombre: 'Lejos', tipo: 'otro' }, geometry: { type: 'Point', coordinates: [-101.5, 23.5] } },
      ],
    };
    const body = multipart({ name: 'equipamiento.geojson', bytes: JSON.stringify(fc) });
    expect((await planner.request('PUT', `${m}/layers/${l.id}/data`, body.payload, { headers: body.headers })).statusCode).toBe(200);
    return [l.slug, l.id];
  };
  beforeAll(async () => {
    t = await testApp(kind);
    planner = await new Client(t.app).login('planeacion@demo.brujula.mx');
    anon = new Client(t.app);
    [slug, id] = await equipamiento('Equipamiento de prueba');
  });
  afterAll(() => t?.close());

  it('encodes the features of a tile with their attributes, with ETag, and empty tiles as 204', async () => {
    const r = await anon.get(`/tiles/${slug}/${z}/${x}/${y}.mvt`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
    expect(r.headers['cache-control']).toBe('public, max-age=300');
    const tile = await decode(r.rawPayload);
    const layer = tile.layers[slug];
    expect(layer.length).toBe(2);
    const feats = Array.from({ length: layer.length }, (_, i) => layer.feature(i));
    expect(feats.map((f) => [f.id, f.type, f.properties.nombre]).sort()).toEqual([
      [1, 1, 'Plaza'],
      [2, 3, 'Parque'],
    ]);
    // The point sits where it should inside the 4096-unit tile.
    const [pt] = feats.find((f) => f.id === 1)!.loadGeometry()[0];
    const px = (((-102.5832 + 180) / 360) * 2 ** z - x) * 4096;
    expect(Math.abs(pt.x - px)).toBeLessThan(2);
    // The polygon's exterior ring is clockwise in tile space (positive area in y-down coordinates).
    const ring = feats.find((f) => f.id === 2)!.loadGeometry()[0];
    const area = ring.reduce((s, p, i) => s + (p.x * ring[(i + 1) % ring.length].y - ring[(i + 1) % ring.length].x * p.y), 0);
    expect(area).toBeGreaterThan(0);
    // Below zoom 12 tiles carry no attributes unless the style uses one or the client asks (known ones only).
    const low = await decode((await anon.get(`/tiles/${slug}/10/${x >> 4}/${y >> 4}.mvt`)).rawPayload);
    expect(Object.keys(low.layers[slug].feature(0).properties)).toEqual([]);
    const asked = await decode((await anon.get(`/tiles/${slug}/10/${x >> 4}/${y >> 4}.mvt?campos=tipo,clave_secreta`)).rawPayload);
    expect(Object.keys(asked.layers[slug].feature(0).properties)).toEqual(['tipo']);
    expect(
      (
        await anon.request('GET', `/tiles/${slug}/${z}/${x}/${y}.mvt`, undefined, {
          headers: { 'if-none-match': r.headers.etag as string },
        })
      ).statusCode,
    ).toBe(304);
    expect((await anon.get(`/tiles/${slug}/${z}/0/0.mvt`)).statusCode).toBe(204);
    expect((await anon.get(`/tiles/${slug}/3/9/0.mvt`)).statusCode).toBe(404);
    const tj = (await anon.get(`/tiles/${slug}.json`)).json();
    expect(tj.tiles[0]).toMatch(new RegExp(`/tiles/${slug}/\\{z\\}/\\{x\\}/\\{y\\}\\.mvt\\?v=1$`));
    expect(tj.vector_layers[0].fields).toEqual({ nombre: 'String', tipo: 'String' });
  });

  it('invalidates cached tiles on re-upload and hides private layers', async () => {
    // Its own layer: the other tests read the first one as it was uploaded.
    const [slug, id] = await equipamiento('Equipamiento que cambia');
    const first = await anon.get(`/tiles/${slug}/${z}/${x}/${y}.mvt`);
    const fc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { nombre: 'Nueva plaza' }, geometry: { type: 'Point', coordinates: [-102.5832, 22.7709] } },
      ],
    };
    const body = multipart({ name: 'v2.geojson', bytes: JSON.stringify(fc) });
    await planner.request('PUT', `${m}/layers/${id}/data`, body.payload, { headers: body.headers });
    const second = await anon.get(`/tiles/${slug}/${z}/${x}/${y}.mvt`);
    expect(second.headers.etag).not.toBe(first.headers.etag);
    const tile = await decode(second.rawPayload);
    expect(tile.layers[slug].feature(0).properties.nombre).toBe('Nueva plaza');
    await planner.patch(`${m}/layers/${id}`, { publico: false });
    expect((await anon.get(`/tiles/${slug}/${z}/${x}/${y}.mvt`)).statusCode).toBe(404);
    expect((await anon.get(`/tiles/${slug}.json`)).statusCode).toBe(404);
    const staff = await planner.get(`/tiles/${slug}/${z}/${x}/${y}.mvt`);
    expect(staff.statusCode).toBe(200);
    expect(staff.headers['cache-control']).toBe('private, no-store');
  });

  it.skipIf(kind !== 'postgres')('encodes the same tile in JavaScript as PostGIS ST_AsMVT does', async () => {
    const { tileJs, tileNative } = await import('./tiles.ts');
    const l = await t.database.db.selectFrom('gis_layers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const layer = { ...l, estilo: l.estilo as Record<string, unknown> };
    const summary = async (buf: Buffer) => {
      const v = (await decode(buf)).layers[slug];
      return Array.from({ length: v.length }, (_, i) => v.feature(i))
        .map((f) => ({ id: f.id, type: f.type, props: f.properties, geom: f.loadGeometry().map((r) => r.map((p) => [p.x, p.y])) }))
        .sort((a, b) => Number(a.id) - Number(b.id));
    };
    const [js, native] = [
      await summary(await tileJs(t.database.db, layer, z, x, y)),
      await summary(await tileNative(t.database.db, layer, z, x, y)),
    ];
    expect(js.map((f) => [f.id, f.type, f.props])).toEqual(native.map((f) => [f.id, f.type, f.props]));
    // Same pixels, give or take the last one from rounding.
    js.forEach((f, i) =>
      f.geom.flat().forEach(([px, py], j) => {
        const [nx, ny] = native[i].geom.flat()[j];
        expect(Math.abs(px - nx) + Math.abs(py - ny)).toBeLessThanOrEqual(2);
      }),
    );
  });
});

describe.each(TARGETS)('overviews of large layers on %s', (kind) => {
  let t: TestApp;
  let planner: Client, anon: Client;
  const m = '/api/v1/municipalities/32056';
  beforeAll(async () => {
    t = await testApp(kind);
    planner = await new Client(t.app).login('planeacion@demo.brujula.mx');
    anon = new Client(t.app);
  });
  afterAll(() => t?.close());
  const decode = async (buf: Buffer) => {
    const { VectorTile } = await import('@mapbox/vector-tile');
    const { PbfReader } = await import('pbf');
    return new VectorTile(new PbfReader(buf));
  };
  const tileAt = (lon: number, lat: number, z: number) => {
    const r = (lat * Math.PI) / 180;
    return [
      z,
      Math.floor(((lon + 180) / 360) * 2 ** z),
      Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z),
    ];
  };
  const features = (tile: Awaited<ReturnType<typeof decode>>, slug: string) => {
    const l = tile.layers[slug];
    return l ? Array.from({ length: l.length }, (_, i) => l.feature(i)) : [];
  };

  it('merges the points of a 30,000-point layer per cell at low zooms, keeping every point counted, and serves the points themselves above', async () => {
    const l = (await planner.post(`${m}/layers`, { titulo: 'Muchos puntos', publico: true })).json();
    // A 150 × 200 grid of points 0.0001° apart (about 11 m) around the centre.
    const fc = {
      type: 'FeatureCollection',
      features: Array.from({ length: 30_000 }, (_, i) => ({
        type: 'Feature',
        properties: { tipo: `t${i % 4}` },
        geometry: { type: 'Point', coordinates: [-102.59 + (i % 150) * 0.0001, 22.76 + Math.floor(i / 150) * 0.0001] },
      })),
    };
    const body = multipart({ name: 'puntos.geojson', bytes: JSON.stringify(fc) });
    expect((await planner.request('PUT', `${m}/layers/${l.id}/data`, body.payload, { headers: body.headers })).statusCode).toBe(200);
    // Tiles holding more than 4,000 points are drawn from cells of 1/64 of the tile.
    const dense = await t.database.db.selectFrom('gis_overview_tiles').selectAll().where('layer_id', '=', l.id).execute();
    expect(dense.length).toBeGreaterThan(0);
    expect(dense.every((d) => d.features > 4000 && d.cells <= 64 * 64)).toBe(true);
    for (const z of [8, 12]) {
      const [, x, y] = tileAt(-102.5825, 22.77, z);
      const feats = features(await decode((await anon.get(`/tiles/${l.slug}/${z}/${x}/${y}.mvt`)).rawPayload), l.slug);
      expect(feats.length).toBeLessThan(2_000);
      // Every point is in exactly one cell: the counts add up to the layer (the grid lies inside one tile at these zooms).
      expect(feats.reduce((a, f) => a + Number(f.properties.n), 0)).toBe(30_000);
      // Identify works on cells: their id is a member's feature id.
      expect((await anon.get(`/ogc/collections/${l.slug}/items/${feats[0].id}`)).statusCode).toBe(200);
    }
    // Above zoom 14 tiles always read the points themselves, with their attributes.
    const [, x16, y16] = tileAt(-102.5825, 22.77, 16);
    expect(dense.some((d) => d.z === 16)).toBe(false);
    const raw = features(await decode((await anon.get(`/tiles/${l.slug}/16/${x16}/${y16}.mvt`)).rawPayload), l.slug);
    expect(raw.length).toBeGreaterThan(500);
    expect(raw.every((f) => f.properties.n === undefined && typeof f.properties.tipo === 'string')).toBe(true);
    // A re-upload below the threshold drops the overview.
    const small = multipart({ name: 'pocos.geojson', bytes: JSON.stringify({ ...fc, features: fc.features.slice(0, 100) }) });
    await planner.request('PUT', `${m}/layers/${l.id}/data`, small.payload, { headers: small.headers });
    expect(
      Number(
        (await sql<{ n: number }>`select count(*)::int as n from gis_overviews where layer_id = ${l.id}`.execute(t.database.db)).rows[0].n,
      ),
    ).toBe(0);
    const [, x8, y8] = tileAt(-102.5825, 22.77, 8);
    expect(features(await decode((await anon.get(`/tiles/${l.slug}/8/${x8}/${y8}.mvt`)).rawPayload), l.slug)).toHaveLength(100);
  });

  it('builds the overview of a large layer after the upload answers, and tiles switch to it with a new version', async () => {
    const { createLayer, overviewsReady, uploadLayerData } = await import('./layers.ts');
    const l = await createLayer(t.database.db, { userId: null }, '32056', { titulo: 'Capa grande', publico: true });
    const fc = {
      type: 'FeatureCollection',
      features: Array.from({ length: 25_000 }, (_, i) => ({
        type: 'Feature',
        properties: {},
        geometry: { type: 'Point', coordinates: [-102.59 + (i % 160) * 0.0001, 22.76 + Math.floor(i / 160) * 0.0001] },
      })),
    };
    const r = await uploadLayerData(
      t.database.db,
      { userId: null },
      l.id,
      { name: 'grande.geojson', bytes: Buffer.from(JSON.stringify(fc)) },
      { overviewsAfterFrom: 20_000 },
    );
    expect(r).toMatchObject({ committed: true, valid: 25_000, overviews: 'pending' });
    await overviewsReady(l.id);
    const meta = (await anon.get(`/api/v1/layers/${l.slug}`)).json();
    expect(meta.version).toBe(2);
    const [, x, y] = tileAt(-102.5825, 22.768, 10);
    const feats = features(await decode((await anon.get(`/tiles/${l.slug}/10/${x}/${y}.mvt`)).rawPayload), l.slug);
    expect(feats.reduce((a, f) => a + Number(f.properties.n), 0)).toBe(25_000);
  });

  it('shows tiny polygons as cells at low zooms while large polygons keep their shape', async () => {
    const l = (await planner.post(`${m}/layers`, { titulo: 'Predios', publico: true })).json();
    const square = (x: number, y: number, d: number) => [
      [
        [x, y],
        [x + d, y],
        [x + d, y + d],
        [x, y + d],
        [x, y],
      ],
    ];
    const parcels = Array.from({ length: 24_000 }, (_, i) => ({
      type: 'Feature',
      properties: { uso: 'habitacional' },
      geometry: { type: 'Polygon', coordinates: square(-102.6 + (i % 160) * 0.0002, 22.75 + Math.floor(i / 160) * 0.0002, 0.00015) },
    }));
    const park = {
      type: 'Feature',
      properties: { uso: 'parque' },
      geometry: { type: 'Polygon', coordinates: square(-102.57, 22.75, 0.02) },
    };
    const body = multipart({ name: 'predios.geojson', bytes: JSON.stringify({ type: 'FeatureCollection', features: [...parcels, park] }) });
    expect((await planner.request('PUT', `${m}/layers/${l.id}/data`, body.payload, { headers: body.headers })).statusCode).toBe(200);
    const [, x, y] = tileAt(-102.58, 22.76, 10);
    const feats = features(await decode((await anon.get(`/tiles/${l.slug}/10/${x}/${y}.mvt?campos=uso`)).rawPayload), l.slug);
    const cells = feats.filter((f) => f.properties.n !== undefined);
    expect(cells.reduce((a, f) => a + Number(f.properties.n), 0)).toBe(24_000);
    expect(cells.length).toBeLessThan(2_000);
    // The park (≈2 km) is far larger than a cell at zoom 10 (≈150 m): it comes whole, with its attributes.
    expect(feats.filter((f) => f.properties.uso === 'parque' && f.properties.n === undefined)).toHaveLength(1);
  });
});

describe.each(TARGETS)('self-hosted PMTiles basemap on %s', (kind) => {
  let t: TestApp;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brujula-basemap-'));
    t = await testApp(kind, { env: { BRUJULA_DATA_DIR: dataDir } });
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('builds a basemap from the territory and public layers, serves it with range requests, and a PMTiles client reads its tiles', async () => {
    const { buildBasemap } = await import('./basemap.ts');
    const r = await buildBasemap(t.database.db, { dataDir, municipalities: ['32056'], minzoom: 10, maxzoom: 14 });
    expect(r.tiles).toBeGreaterThan(20);
    // The public configuration announces it to the web maps.
    const cfg = (await t.app.inject('/api/v1/config')).json();
    expect(cfg.basemaps).toEqual([
      expect.objectContaining({
        url: '/basemap/basemap.pmtiles',
        tileType: 'mvt',
        minZoom: 10,
        maxZoom: 14,
        vectorLayers: ['municipios', 'localidades', 'areas_verdes', 'manzanas', 'colonias', 'vialidades', 'etiquetas'],
      }),
    ]);
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `${base}/basemap/basemap.pmtiles`;
    // A byte range comes back as 206 with exactly those bytes.
    const part = await fetch(url, { headers: { range: 'bytes=0-6' } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).toString('ascii')).toBe('PMTiles');
    expect((await fetch(`${base}/basemap/nada.pmtiles`)).status).toBe(404);
    // The reference reader (npm pmtiles, what the browser uses) finds the tile over the city centre.
    const { PMTiles } = await import('pmtiles');
    const archive = new PMTiles(url);
    const h = await archive.getHeader();
    expect([h.minZoom, h.maxZoom, h.numAddressedTiles]).toEqual([10, 14, r.tiles]);
    const [z, x, y] = [
      14,
      Math.floor(((-102.5832 + 180) / 360) * 2 ** 14),
      Math.floor(((1 - Math.log(Math.tan((22.7709 * Math.PI) / 180) + 1 / Math.cos((22.7709 * Math.PI) / 180)) / Math.PI) / 2) * 2 ** 14),
    ];
    const tile = await archive.getZxy(z, x, y);
    const { VectorTile } = await import('@mapbox/vector-tile');
    const { PbfReader } = await import('pbf');
    const vt = new VectorTile(new PbfReader(new Uint8Array(tile!.data)));
    const colonias = vt.layers.colonias;
    const names = Array.from({ length: colonias.length }, (_, i) => colonias.feature(i).properties.nombre);
    expect(names).toContain('Centro Histórico');
    expect(Object.keys(vt.layers)).toEqual(expect.arrayContaining(['colonias', 'vialidades', 'localidades', 'etiquetas']));
    // Place names for the map's labels: points with the name and a rank (1 municipio … 4 small locality).
    const labels = vt.layers.etiquetas;
    const label = labels.feature(0);
    expect(label.type).toBe(1);
    expect(label.properties).toMatchObject({
      nombre: expect.any(String),
      tipo: expect.stringMatching(/^(municipio|localidad|colonia)$/),
      rango: expect.any(Number),
    });
    // Nothing outside the municipalities asked for.
    expect(await archive.getZxy(14, 0, 0)).toBeUndefined();
  });
});
