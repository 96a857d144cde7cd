import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_DIST } from '../../app.ts';
import { Client, TARGETS, testApp, type TestApp } from '../../../../test/helpers.ts';
import { apiPaths, PATHS_FILE } from '../../../../scripts/api-paths.ts';

describe.each(TARGETS)('system routes on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(kind);
  });
  afterAll(() => t?.close());

  it('reports health with the database kind', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', database: kind });
  });

  it('answers 503 on /health when the database is gone', async () => {
    const broken = await testApp(kind, { demo: false });
    await broken.database.close();
    const res = await broken.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json().status).toBe('error');
    await broken.app.close();
  });

  it('exposes Prometheus metrics including request durations', async () => {
    await t.app.inject({ method: 'GET', url: '/api/v1/municipalities' });
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.body).toMatch(/^# HELP brujula_http_request_duration_seconds/m);
    expect(res.body).toMatch(
      /brujula_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/municipalities",status="200"\} \d+/,
    );
    expect(res.body).toMatch(/process_cpu_user_seconds_total/);
  });

  it('protects the metrics with BRUJULA_METRICS_TOKEN when it is set', async () => {
    const guarded = await testApp(kind, { demo: false, env: { BRUJULA_METRICS_TOKEN: 'secreto-de-prometheus' } });
    try {
      const get = (authorization?: string) =>
        guarded.app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });
      for (const wrong of [undefined, 'Bearer otro', 'Bearer secreto-de-prometheu', 'secreto-de-prometheus']) {
        const res = await get(wrong);
        expect(res.statusCode, String(wrong)).toBe(401);
        expect(res.body).not.toContain('brujula_http_request_duration_seconds');
      }
      const ok = await get('Bearer secreto-de-prometheus');
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toMatch(/process_cpu_user_seconds_total/);
    } finally {
      await guarded.close();
    }
  });

  it('publishes an OpenAPI document that a real validator accepts, with unique operationIds and its security schemes', async () => {
    const { default: SwaggerParser } = await import('@apidevtools/swagger-parser');
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeTruthy();
    const ids = Object.values(doc.paths as Record<string, Record<string, { operationId?: string }>>).flatMap((ops) =>
      Object.values(ops).map((o) => o.operationId),
    );
    expect(ids.length).toBeGreaterThan(200);
    expect(ids.filter((id) => !id)).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearerMetricas', 'csrf', 'open311', 'sesion', 'tokenDependencia']);
    // What each operation needs: a session (or a department's token) where it answers 401, the CSRF
    // header on every write outside Open311, nothing for public reads.
    expect(doc.paths['/api/v1/audit'].get.security).toEqual([{ sesion: [] }, { tokenDependencia: [] }]);
    expect(doc.paths['/api/v1/auth/login'].post.security).toEqual([{ csrf: [] }]);
    expect(doc.paths['/api/v1/municipalities/{municipalityId}/plans'].post.security).toEqual([
      { sesion: [], csrf: [] },
      { tokenDependencia: [] },
    ]);
    expect(doc.paths['/open311/v2/requests.{format}'].post.security).toEqual([{ open311: [] }]);
    expect(doc.paths['/api/v1/states'].get.security).toEqual([{}, { sesion: [] }]);
  });

  it("passes Redocly's recommended lint rules with no error, for the API and for the OGC API document", async () => {
    const { createConfig, lintFromString } = await import('@redocly/openapi-core');
    const { default: SwaggerParser } = await import('@apidevtools/swagger-parser');
    const config = await createConfig({ extends: ['recommended'] });
    for (const url of ['/api/v1/openapi.json', '/ogc/api']) {
      const source = (await t.app.inject({ method: 'GET', url })).body;
      await expect(SwaggerParser.validate(JSON.parse(source))).resolves.toBeTruthy();
      const problems = await lintFromString({ source, absoluteRef: `http://localhost${url}`, config });
      expect(
        problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`),
        url,
      ).toEqual([]);
    }
  });

  it('gives the web app the URL of every operation, generated from this document (the fetch helpers accept no other)', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(apiPaths(doc), 'run: node --import tsx scripts/api-paths.ts').toBe(fs.readFileSync(PATHS_FILE, 'utf8'));
  });

  it('publishes an OpenAPI 3 document where every API route declares the shape of its success, with no operation left without one', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\.0/);
    const paths = Object.keys(doc.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/municipalities/{municipalityId}/units',
        '/api/v1/territory/imports',
        '/api/v1/auth/login',
        '/api/v1/audit',
        '/health',
      ]),
    );
    const unschemed: string[] = [];
    type Response = { content?: Record<string, { schema?: object }> };
    for (const ops of Object.values(
      doc.paths as Record<string, Record<string, { operationId: string; responses?: Record<string, Response> }>>,
    )) {
      for (const op of Object.values(ops)) {
        const ok = Object.entries(op.responses ?? {}).filter(([c]) => c.startsWith('2'));
        expect(ok.length, op.operationId).toBeGreaterThan(0);
        // 204 has no body; every other success names its media types, each with a schema that says something.
        const vague = ok.some(
          ([c, r]) => c !== '204' && (!r.content || Object.values(r.content).some((m) => !m.schema || Object.keys(m.schema).length === 0)),
        );
        if (vague) unschemed.push(op.operationId);
      }
    }
    expect(unschemed.sort()).toEqual([]);
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
  });

  it('returns the one error shape with a Spanish message for unknown resources', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/municipalities/99999' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ code: 'BRJ_ERR_MUNICIPALITY_NOT_FOUND', message: expect.stringMatching(/municipio no existe/) });
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/municipalities/abc' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('BRJ_ERR_VALIDATION');
  });

  it('serves the public config with the demo flag and the default municipality', async () => {
    const res = await new Client(t.app).get('/api/v1/config');
    expect(res.json()).toMatchObject({ demo: true, defaultMunicipalityId: '32056', database: kind });
  });
});

describe('upload size limit', () => {
  it('rejects a file over BRUJULA_UPLOAD_MAX_MB with 413 and keeps nothing', async () => {
    const { createUser } = await import('../../../../test/helpers.ts');
    const t = await testApp('pglite', { demo: false, env: { BRUJULA_UPLOAD_MAX_MB: '1' } });
    try {
      await createUser(t.database, 'estatal@example.mx', [[null, 'planner']]);
      const c = await new Client(t.app).login('estatal@example.mx');
      await c.fetchCsrf();
      const form = new FormData();
      form.append('level', 'municipio');
      form.append('keyField', 'a');
      form.append('nameField', 'b');
      form.append('file', new Blob([new Uint8Array(2 * 1024 * 1024).fill(0x20)]), 'grande.geojson');
      const req = new Request('http://x', { method: 'POST', body: form });
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/territory/imports',
        payload: Buffer.from(await req.arrayBuffer()),
        headers: {
          'content-type': req.headers.get('content-type')!,
          'x-csrf-token': c.csrf!,
          cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        },
      });
      expect(res.statusCode).toBe(413);
      expect(res.json().code).toBe('BRJ_ERR_PAYLOAD_TOO_LARGE');
      expect(await t.database.db.selectFrom('territory_imports').select('id').execute()).toHaveLength(0);
    } finally {
      await t.close();
    }
  });
});

describe.skipIf(!fs.existsSync(path.join(WEB_DIST, 'index.html')))('web app serving (needs `npm run build`)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp('pglite', { demo: false });
  });
  afterAll(() => t?.close());

  it('serves index.html for client routes and JSON 404s for unknown API paths', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/m/32056' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toMatch(/<html lang="es-MX">/);
    const api = await t.app.inject({ method: 'GET', url: '/api/v1/no-existe' });
    expect(api.statusCode).toBe(404);
    expect(api.json().code).toBe('BRJ_ERR_NOT_FOUND');
  });

  it('serves hashed assets brotli-compressed and cacheable forever', async () => {
    const asset = fs.readdirSync(path.join(WEB_DIST, 'assets')).find((f) => /^index-.*\.js$/.test(f))!;
    const res = await t.app.inject({ method: 'GET', url: `/assets/${asset}`, headers: { 'accept-encoding': 'br' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(Number(res.headers['content-length'])).toBeLessThan(fs.statSync(path.join(WEB_DIST, 'assets', asset)).size / 2);
  });
});
