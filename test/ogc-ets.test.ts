import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, testApp, type TestApp } from './helpers.ts';

/**
 * The abstract tests of OGC API – Features – Part 1: Core (OGC 17-069r4, Annex A), as the OGC's
 * ets-ogcapi-features10 runs them against a server, reproduced here on every public collection
 * of the demo. Each `it` names the requirements it checks (/req/core/…, /req/geojson/…).
 */
describe('OGC API – Features Core: the abstract test suite', () => {
  let t: TestApp;
  let anon: Client;
  const BASE = 'https://brujula.example.mx';
  type Link = { href: string; rel: string; type?: string };
  type Collection = { id: string; title?: string; links: Link[]; extent?: { spatial?: { bbox: number[][] } } };
  let collections: Collection[];
  const json = async (url: string) => {
    const r = await anon.get(url);
    expect(r.statusCode, `${url}: ${r.body.slice(0, 200)}`).toBe(200);
    return r.json();
  };
  const local = (href: string) => href.replace(BASE, '');

  beforeAll(async () => {
    t = await testApp('pglite', { env: { BRUJULA_PUBLIC_URL: BASE } });
    anon = new Client(t.app);
    collections = (await json('/ogc/collections')).collections;
  });
  afterAll(() => t?.close());

  it('A.2.1–A.2.3 landing page and API definition: links to the definition, the conformance and the data (/req/core/root-op, root-success, api-definition-op)', async () => {
    const root = await json('/ogc');
    const rels = new Map((root.links as Link[]).map((l) => [l.rel, l]));
    expect(rels.has('self')).toBe(true);
    expect(rels.has('service-desc') || rels.has('service-doc')).toBe(true);
    expect(local(rels.get('conformance')!.href)).toMatch(/^\/ogc\/conformance/);
    expect(local(rels.get('data')!.href)).toMatch(/^\/ogc\/collections/);
    const desc = rels.get('service-desc');
    if (desc) {
      const api = await json(local(desc.href));
      expect(api.openapi).toMatch(/^3\./);
      // The definition documents the items operation with limit's bounds (/req/core/fc-limit-definition).
      const items = Object.entries(api.paths as Record<string, { get?: { parameters?: unknown[] } }>).find(([p]) => p.endsWith('/items'));
      expect(items, 'items path in the definition').toBeDefined();
    }
  });

  it('A.2.4 conformance: declares Core and GeoJSON (/req/core/conformance-op, conformance-success)', async () => {
    const c = await json('/ogc/conformance');
    expect(c.conformsTo).toEqual(
      expect.arrayContaining([
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
      ]),
    );
  });

  it('A.2.5 unknown and invalid query parameters answer 400 (/req/core/query-param-unknown, query-param-invalid)', async () => {
    const id = collections[0].id;
    for (const url of [
      `/ogc/collections/${id}/items?desconocido=1`,
      `/ogc/collections/${id}/items?limit=0`,
      `/ogc/collections/${id}/items?limit=abc`,
      `/ogc/collections/${id}/items?bbox=1,2,3`,
      `/ogc/collections/${id}/items?bbox=a,b,c,d`,
      `/ogc/collections/${id}/items?datetime=ayer`,
      '/ogc/collections?desconocido=1',
    ]) {
      const r = await anon.get(url);
      expect(r.statusCode, url).toBe(400);
    }
  });

  it('A.2.6–A.2.7 collections: each has an id, a self link and an items link; each one reads alone the same (/req/core/fc-md-op, fc-md-success, fc-md-links, fc-md-items, sfc-md-op, sfc-md-success)', async () => {
    const list = await json('/ogc/collections');
    expect((list.links as Link[]).some((l) => l.rel === 'self')).toBe(true);
    expect(collections.length).toBeGreaterThan(0);
    for (const c of collections) {
      expect(c.id).toMatch(/\S/);
      const items = c.links.find((l) => l.rel === 'items');
      expect(items, c.id).toBeDefined();
      expect(items!.type).toBe('application/geo+json');
      const bbox = c.extent?.spatial?.bbox;
      if (bbox) for (const b of bbox) expect([4, 6]).toContain(b.length);
      const one = await json(`/ogc/collections/${c.id}`);
      expect(one.id).toBe(c.id);
      expect(one.title).toBe(c.title);
    }
    expect((await anon.get('/ogc/collections/no-existe')).statusCode).toBe(404);
  });

  it('A.2.8 items: a GeoJSON FeatureCollection with links, numberReturned, the limit honoured and paging that ends (/req/core/fc-op, fc-response, fc-links, fc-limit-response, /req/geojson/content, definition)', async () => {
    for (const c of collections) {
      const r = await anon.get(`/ogc/collections/${c.id}/items?limit=5`);
      expect(r.statusCode, c.id).toBe(200);
      expect(r.headers['content-type']).toMatch(/^application\/geo\+json/);
      const fc = r.json();
      expect(fc.type).toBe('FeatureCollection');
      expect(Array.isArray(fc.features)).toBe(true);
      expect(fc.features.length).toBeLessThanOrEqual(5);
      expect(fc.numberReturned).toBe(fc.features.length);
      if (fc.numberMatched !== undefined) expect(fc.numberMatched).toBeGreaterThanOrEqual(fc.numberReturned);
      if (fc.timeStamp !== undefined) expect(Number.isNaN(Date.parse(fc.timeStamp))).toBe(false);
      const links = fc.links as Link[];
      expect(links.find((l) => l.rel === 'self')?.type).toBe('application/geo+json');
      expect(links.some((l) => l.rel === 'alternate' && l.type === 'text/html')).toBe(true);
      for (const f of fc.features) {
        expect(f.type).toBe('Feature');
        expect(['string', 'number']).toContain(typeof f.id);
        expect(f).toHaveProperty('geometry');
        expect(f).toHaveProperty('properties');
      }
      // Following next links visits each feature once and stops.
      const seen = new Set<string>();
      let page: { features: { id: string | number }[]; links: Link[] } = fc;
      for (let i = 0; i < 100; i++) {
        for (const f of page.features) {
          expect(seen.has(String(f.id)), `${c.id} ${f.id} twice`).toBe(false);
          seen.add(String(f.id));
        }
        const next = page.links.find((l) => l.rel === 'next');
        if (!next || seen.size >= 30) break;
        expect(next.href).toContain('f=json');
        page = await json(local(next.href));
      }
    }
  });

  it('A.2.8 bbox: every returned feature lies in the box, and a box elsewhere returns none (/req/core/fc-bbox-definition, fc-bbox-response)', async () => {
    // A point layer with an extent (schools, health centres… in the demo).
    let c: Collection | undefined;
    for (const x of collections) {
      if (!x.extent?.spatial?.bbox?.[0]) continue;
      const first = (await json(`/ogc/collections/${x.id}/items?limit=1`)).features[0];
      if (first?.geometry.type === 'Point') {
        c = x;
        break;
      }
    }
    expect(c, 'a point collection with an extent').toBeDefined();
    const [w, s, e, n] = c!.extent!.spatial!.bbox[0];
    const box = [w, s, (w + e) / 2, (s + n) / 2];
    const fc = await json(`/ogc/collections/${c!.id}/items?bbox=${box.join(',')}&limit=1000`);
    // Coordinates leave the server rounded to 7 decimals (1 cm); the box's edges are compared with that slack.
    const eps = 1e-6;
    const inBox = (x: number, y: number) => x >= box[0] - eps && x <= box[2] + eps && y >= box[1] - eps && y <= box[3] + eps;
    expect(fc.features.length).toBeGreaterThan(0);
    for (const f of fc.features as { geometry: { coordinates: number[] } }[]) {
      const [x, y] = f.geometry.coordinates;
      expect(inBox(x, y), `${x},${y} in ${box.join(',')} of ${c!.id}`).toBe(true);
    }
    // …and the box leaves some out: the layer's features outside it are not returned.
    const all = await json(`/ogc/collections/${c!.id}/items?limit=10000`);
    expect(all.features.length).toBeGreaterThan(fc.features.length);
    const far = await json(`/ogc/collections/${c!.id}/items?bbox=10,10,11,11`);
    expect(far.features).toEqual([]);
    expect(far.numberReturned).toBe(0);
  });

  it('A.2.9 one feature: by its id, with self and collection links; an unknown id is 404 (/req/core/f-op, f-success, f-links)', async () => {
    for (const c of collections) {
      const fc = await json(`/ogc/collections/${c.id}/items?limit=1`);
      if (!fc.features.length) continue;
      const id = fc.features[0].id;
      const r = await anon.get(`/ogc/collections/${c.id}/items/${id}`);
      expect(r.statusCode, c.id).toBe(200);
      expect(r.headers['content-type']).toMatch(/^application\/geo\+json/);
      const f = r.json();
      expect(f.type).toBe('Feature');
      expect(String(f.id)).toBe(String(id));
      const rels = (f.links as Link[]).map((l) => l.rel);
      expect(rels).toEqual(expect.arrayContaining(['self', 'collection']));
    }
    expect((await anon.get(`/ogc/collections/${collections[0].id}/items/999999999`)).statusCode).toBe(404);
  });
});
