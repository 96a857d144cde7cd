import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from './helpers.ts';

/** Security headers on every kind of response, and links that never come from the Host header. */
describe('security headers and links', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp('pglite', { env: { BRUJULA_PUBLIC_URL: 'https://brujula.example.gob.mx' } });
  }, 300_000);
  afterAll(async () => t?.close());

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

  it('sends CSP, anti-framing, nosniff and HSTS on the home page, an API answer, an OGC HTML page and the docs', async () => {
    const pages = [
      '/',
      '/m/32056/indicadores',
      '/api/v1/config',
      '/api/v1/municipalities/32056/indicators',
      '/ogc?f=html',
      '/ogc/collections?f=html',
      '/api/docs/',
      '/api/v1/nada',
    ];
    for (const url of pages) {
      const res = await get(url);
      expect(res.statusCode, url).toBeLessThan(500);
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("default-src 'self'");
      expect(csp, url).toContain("script-src 'self'");
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).toContain("object-src 'none'");
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['strict-transport-security'], url).toMatch(/max-age=\d+/);
      expect(res.headers['referrer-policy'], url).toBe('strict-origin-when-cross-origin');
    }
  });

  it('lets other sites frame the embeds, and only the embeds', async () => {
    const res = await get('/embed/m/32056/indicadores/OT-01');
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(String(res.headers['content-security-policy'])).toContain('frame-ancestors *');
    expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'");
  });

  it('builds OGC and TileJSON links from BRUJULA_PUBLIC_URL, never from a forged Host header', async () => {
    const evil = { host: 'evil.example"><script>alert(1)</script>' };
    const html = await get('/ogc/collections?f=html', evil);
    expect(html.statusCode).toBe(200);
    expect(html.body).not.toContain('evil.example');
    const json = (await get('/ogc/collections?f=json', evil)).json();
    const hrefs: string[] = JSON.stringify(json).match(/"href":"[^"]+"/g) ?? [];
    expect(hrefs.length).toBeGreaterThan(3);
    for (const h of hrefs) expect(h).toContain('https://brujula.example.gob.mx/');
    const layer = (await get('/api/v1/layers')).json();
    const slug = (layer.items ?? layer)[0].slug;
    const tilejson = (await get(`/tiles/${slug}.json`, evil)).json();
    expect(tilejson.tiles[0]).toMatch(/^https:\/\/brujula\.example\.gob\.mx\/tiles\//);
  });
});
