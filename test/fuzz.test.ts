import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_REFUSALS } from '../src/server/errors.ts';
import { Client, multipart, TARGETS, testApp, type TestApp } from './helpers.ts';
import { sample, type Schema } from './openapi.ts';

/**
 * Schema-driven fuzzing: every operation of the OpenAPI document gets a bounded set of inputs that
 * break its schema or sit on its edges — numbers beyond int4/int8 and numeric precision, Infinity,
 * NUL bytes, huge and astral-plane strings, path tricks, empty bodies — as an anonymous visitor and
 * as a planner of the municipality. Any answer ≥ 500 fails: bad input must get a clear 4xx, and
 * from the route's schema or service, not from a value PostgreSQL refused.
 */

type Param = { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema: Schema };
type Operation = { parameters?: Param[]; requestBody?: { content: Record<string, { schema: Schema }> } };

const M = '32056';
// Valid ids of the demo, so that one broken input at a time reaches the handler's code.
const IDS: Record<string, string> = { municipalityId: M, clave: 'OT-01', entity: 'plans', level: 'colonia', z: '12', x: '900', y: '1800' };

const PATH_EDGES = [
  '1e+23',
  '99999999999999999999',
  '9223372036854775808',
  '2147483648',
  '-1',
  '0',
  '1.5',
  'Infinity',
  'NaN',
  '%00',
  'a%00b',
  '%F0%9F%9A%80',
  '..%2F..%2Fetc%2Fpasswd',
  'x'.repeat(2000),
];
const QUERY_NUMBER_EDGES = ['1e+23', '-1e+23', 'Infinity', '2147483648', '9223372036854775808', '1.5', '-1', 'abc', ''];
const QUERY_STRING_EDGES = ['%00', 'a%00b', 'x'.repeat(5000), '%F0%9D%94%98%C3%B1%F0%9F%9A%80', "'%20or%201=1--", '', '%25'];
const NUMBER_EDGES = [
  1e23,
  -1e23,
  2147483648,
  // biome-ignore lint/correctness/noPrecisionLoss: values beyond int8 and numeric(16,2) on purpose.
  9223372036854775807,
  // biome-ignore lint/correctness/noPrecisionLoss: beyond numeric(16,2) on purpose.
  99999999999999.99,
  // biome-ignore lint/correctness/noPrecisionLoss: beyond numeric(16,2) on purpose.
  1234567890123456.7,
  1.000000001,
  -1,
  0,
  'abc',
  null,
  true,
  [],
];
const STRING_EDGES = [
  '\u0000',
  'a\u0000b',
  'x'.repeat(100_000),
  '𝔘ñí𝔠ødé 🚀'.repeat(50),
  '',
  ' ',
  "'); drop table plans; --",
  '<script>alert(1)</script>',
  12,
  null,
  {},
  [],
];
const OTHER_EDGES = [null, 'abc', 1e23, {}, [], [null], ['\u0000']];

const typeOf = (s: Schema | undefined): string => {
  if (!s) return 'any';
  const alt = s.anyOf ?? s.oneOf;
  if (alt) return typeOf(alt.find((a) => a.type !== 'null') ?? alt[0]);
  return (Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type) ?? 'any';
};

function bodyCases(schema: Schema): unknown[] {
  const base = (sample(schema) ?? {}) as Record<string, unknown>;
  const cases: unknown[] = [{}, [], 'null', '"\u0000"'];
  if (typeOf(schema) !== 'object' || !schema.properties) return [...cases, ...OTHER_EDGES];
  for (const [k, p] of Object.entries(schema.properties)) {
    const t = typeOf(p);
    const edges = t === 'integer' || t === 'number' ? NUMBER_EDGES : t === 'string' ? STRING_EDGES : OTHER_EDGES;
    for (const e of edges) cases.push({ ...base, [k]: e });
    if (t === 'array') {
      const it = typeOf(p.items);
      for (const e of it === 'integer' || it === 'number'
        ? [1e23, 2147483648, -1]
        : it === 'string'
          ? ['\u0000', 'x'.repeat(100_000)]
          : [{}, null])
        cases.push({ ...base, [k]: [e] });
    }
  }
  return cases;
}

describe.each(TARGETS)('fuzzing every operation of the OpenAPI document on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    // Rate limits stay on in production; here they would only turn the sweep into 429s.
    t = await testApp(kind, { env: { BRUJULA_PUBLIC_WRITE_RATE_LIMIT: '10000' } });
  }, 300_000);
  afterAll(async () => t?.close());

  it('answers every broken or edge-case input with a 4xx, never a 5xx', async () => {
    const doc = (await new Client(t.app).get('/api/v1/openapi.json')).json() as { paths: Record<string, Record<string, Operation>> };
    const planner = await new Client(t.app).login('planeacion@demo.brujula.mx');
    const anonymous = new Client(t.app);
    const failures: string[] = [];
    let requests = 0;
    const started = Date.now();

    const send = async (client: Client, method: string, url: string, body: unknown, headers?: Record<string, string>) => {
      requests++;
      const res = await client.request(method as 'POST', url, body, headers ? { headers } : {});
      // A value the database refused means the route's schema let it through: tighten the schema.
      const message = res.statusCode === 400 && res.headers['content-type']?.toString().includes('json') ? res.json().message : null;
      const refused = [DATABASE_REFUSALS.tooLong, DATABASE_REFUSALS.range, DATABASE_REFUSALS.value].includes(message);
      if (res.statusCode >= 500 || refused)
        failures.push(
          `${method} ${url.slice(0, 160)} ${JSON.stringify(body)?.slice(0, 120) ?? ''} → ${res.statusCode} ${res.body.slice(0, 200)}`,
        );
    };

    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const M_ = method.toUpperCase();
        // Ending the planner's own session or password would end the sweep's coverage, not find a fault.
        const sessionEnding = /^\/api\/v1\/(auth\/(logout|password)|me\/password)/.test(path);
        const params = op.parameters ?? [];
        const fill = (name: string) => IDS[name] ?? '1';
        const urlWith = (pathOverride: Record<string, string> = {}, query = '') =>
          path.replace(/\{(\w+)\}/g, (_, n: string) => pathOverride[n] ?? fill(n)) + (query ? `?${query}` : '');
        const schema = op.requestBody?.content['application/json']?.schema;
        const isMultipart =
          !!op.requestBody?.content['multipart/form-data'] ||
          (M_ !== 'GET' && !op.requestBody && /\/(evidence|outline|data|photos|files|import|layers|territory)(\/|$)/.test(path));
        const base = schema ? sample(schema) : M_ === 'GET' || M_ === 'DELETE' ? undefined : {};

        const cases: [string, unknown, Record<string, string>?][] = [];
        for (const p of params.filter((x) => x.in === 'path')) for (const e of PATH_EDGES) cases.push([urlWith({ [p.name]: e }), base]);
        for (const p of params.filter((x) => x.in === 'query')) {
          const tp = typeOf(p.schema);
          for (const e of tp === 'integer' || tp === 'number' ? QUERY_NUMBER_EDGES : QUERY_STRING_EDGES)
            cases.push([urlWith({}, `${p.name}=${e}`), base]);
        }
        if (schema) for (const b of bodyCases(schema)) cases.push([urlWith(), b]);
        else if (M_ !== 'GET' && M_ !== 'DELETE' && !isMultipart)
          for (const b of [{}, [], '"\u0000"', { x: '\u0000' }]) cases.push([urlWith(), b]);
        if (isMultipart) {
          for (const f of [
            { name: 'vacío.csv', bytes: '' },
            { name: 'a\u0000b.zip', bytes: 'PK\u0003\u0004garbage' },
            {
              name: 'x.geojson',
              bytes:
                '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1e308,"x"]},"properties":{"a":"\u0000"}}]}',
            },
            { name: 'x.xlsx', bytes: Buffer.from('504b0304', 'hex') },
            { name: 'x.jpg', bytes: Buffer.from('ffd8ffe0', 'hex') },
          ]) {
            const m = multipart(f, { nombre: 'a\u0000b', periodo: '1e+23' });
            cases.push([urlWith(), m.payload, m.headers]);
          }
        }

        for (const [url, body, headers] of cases) {
          await send(anonymous, M_, url, body, headers);
          if (!sessionEnding) await send(planner, M_, url, body, headers);
        }
      }
    }
    console.log(
      `fuzz on ${kind}: ${requests} requests over ${Object.keys(doc.paths).length} paths in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(failures.slice(0, 60)).toEqual([]);
    expect(requests).toBeGreaterThan(5000);
  }, 1_200_000);
});
