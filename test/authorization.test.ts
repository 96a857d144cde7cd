import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, countRows, multipart, testApp, type TestApp } from './helpers.ts';
import { sample, type Schema } from './openapi.ts';

/**
 * Every state-changing route of a municipality, read from the OpenAPI document, is tried with a
 * body that passes its schema by an anonymous visitor, a citizen of the municipality and a planner
 * of another municipality: the first must get 401, the others 403, and nothing may change.
 * A new route without its role check fails here.
 */

// Public writes: any registered person may comment on a plan in consultation.
const OPEN_TO_REGISTERED = ['POST /api/v1/municipalities/{municipalityId}/plans/{planId}/elements/{elementId}/comments'];
// Participation writes open to the municipality's own people (citizens included), never to outsiders.
const mun = (s: string) => `/api/v1/municipalities/{municipalityId}/${s}`;
const OPEN_TO_CITIZENS = [
  `POST ${mun('residency/sms')}`,
  `POST ${mun('residency/sms/confirm')}`,
  `POST ${mun('proposals')}`,
  `PUT ${mun('proposals/{id}')}`,
  `POST ${mun('proposals/{id}/support')}`,
  `PUT ${mun('proposals/{id}/follow')}`,
  `POST ${mun('proposals/{id}/comments')}`,
  `POST ${mun('proposals/{id}/flags')}`,
  `POST ${mun('proposals/{id}/files')}`,
  `POST ${mun('budgets/{id}/projects')}`,
  `PUT ${mun('budgets/{id}/ballots/{territoryId}')}`,
  `DELETE ${mun('budgets/{id}/ballots/{territoryId}')}`,
  `POST ${mun('consultations/{id}/responses')}`,
  `POST ${mun('citizen-reports')}`,
  `PUT ${mun('citizen-reports/{id}/follow')}`,
  `POST ${mun('citizen-reports/{id}/photos')}`,
  `PUT ${mun('actions/{id}/rating')}`,
  `POST ${mun('actions/{id}/rating/photos')}`,
];

describe('role checks on every write route of a municipality', () => {
  let t: TestApp;
  let ids: Record<string, number>;
  beforeAll(async () => {
    t = await testApp('pglite');
    const db = t.database.db;
    const pmot = await db
      .selectFrom('plans')
      .select('id')
      .where('municipality_id', '=', '32056')
      .where('estado', '=', 'consulta')
      .executeTakeFirstOrThrow();
    const first = <T extends keyof import('../src/server/db/types.ts').DB>(table: T) =>
      db
        .selectFrom(table as 'poa_actions')
        .select('id')
        .where('municipality_id', '=', '32056')
        .orderBy('id')
        .executeTakeFirstOrThrow();
    ids = {
      planId: pmot.id,
      elementId: (await db.selectFrom('plan_elements').select('id').where('plan_id', '=', pmot.id).executeTakeFirstOrThrow()).id,
      metaId: (await first('plan_metas')).id,
      action: (await first('poa_actions')).id,
      program: (await first('poa_programs')).id,
      report: (await first('progress_reports')).id,
      rowId: (await first('mir_rows')).id,
    };
  });
  afterAll(() => t?.close());

  it('refuses anonymous visitors, citizens and planners of other municipalities, and changes nothing', async () => {
    const doc = (await new Client(t.app).get('/api/v1/openapi.json')).json() as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Schema }> } }>>;
    };
    const actors = {
      anonymous: new Client(t.app),
      citizen: await new Client(t.app).login('ciudadana@demo.brujula.mx'),
      foreignPlanner: await new Client(t.app).login('planeacion.guadalupe@demo.brujula.mx'),
    };
    const tables = [
      'plans',
      'plan_elements',
      'plan_metas',
      'plan_alignments',
      'plan_transitions',
      'plan_comments',
      'poa_programs',
      'mir_rows',
      'poa_actions',
      'action_budgets',
      'progress_reports',
      'evidence_files',
      'contracts',
      'contract_amendments',
      'funding_sources',
      'indicators',
      'indicator_variables',
      'departments',
      'api_tokens',
      'participation_settings',
      'resident_verifications',
      'participation_blocks',
      'proposals',
      'proposal_supports',
      'proposal_comments',
      'proposal_flags',
      'proposal_files',
      'pb_processes',
      'pb_territories',
      'pb_projects',
      'pb_ballots',
      'consultations',
      'consultation_responses',
      'report_services',
      'open311_clients',
      'citizen_reports',
      'report_photos',
      'evaluation_settings',
      'council_members',
      'council_sessions',
      'council_items',
      'council_attendance',
      'council_opinions',
      'council_agreements',
      'work_ratings',
    ];
    const before = await countRows(t.database, ...tables);
    const checked: string[] = [];
    const wrong: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.startsWith('/api/v1/municipalities/{municipalityId}')) continue;
      for (const [method, op] of Object.entries(ops)) {
        if (method === 'get') continue;
        const key = `${method.toUpperCase()} ${path}`;
        const url = path
          .replace('{municipalityId}', '32056')
          .replace(/\/(actions)\/\{id\}/, `/$1/${ids.action}`)
          .replace(/\/(programs)\/\{id\}/, `/$1/${ids.program}`)
          .replace(/\/(reports)\/\{id\}/, `/$1/${ids.report}`)
          .replace('{clave}', 'OT-01')
          .replace(/\{(\w+)\}/g, (_, name: string) => String(ids[name] ?? 1));
        const content = op.requestBody?.content ?? {};
        // Upload routes document no JSON body: they take a file.
        const isMultipart = 'multipart/form-data' in content || (!op.requestBody && /\/(evidence|outline|data)$/.test(path));
        for (const [who, client] of Object.entries(actors)) {
          if (who !== 'anonymous' && OPEN_TO_REGISTERED.includes(key)) continue;
          if (who === 'citizen' && OPEN_TO_CITIZENS.includes(key)) continue;
          let res: Awaited<ReturnType<typeof client.request>>;
          if (isMultipart) {
            const m = multipart({ name: 'datos.csv', bytes: 'a,b\n1,2\n' });
            res = await client.request(method.toUpperCase() as 'POST', url, m.payload, { headers: m.headers });
          } else {
            const schema = content['application/json']?.schema;
            res = await client.request(method.toUpperCase() as 'POST', url, schema ? sample(schema) : {});
          }
          const expected = who === 'anonymous' ? 401 : 403;
          if (res.statusCode !== expected) wrong.push(`${who} ${key} → ${res.statusCode} ${res.body.slice(0, 120)}`);
        }
        checked.push(key);
      }
    }
    expect(wrong).toEqual([]);
    // The sweep reached the routes of every module that writes per municipality.
    expect(checked.length).toBeGreaterThan(35);
    expect(checked).toContain('POST /api/v1/municipalities/{municipalityId}/plans/{planId}/transitions');
    expect(checked).toContain('POST /api/v1/municipalities/{municipalityId}/reports/{id}/evidence');
    expect(checked).toContain('PUT /api/v1/municipalities/{municipalityId}/indicators/{clave}/metas');
    expect(checked).toContain('PUT /api/v1/municipalities/{municipalityId}/budgets/{id}/ballots/{territoryId}');
    expect(checked).toEqual(expect.arrayContaining(OPEN_TO_CITIZENS));
    expect(checked).toContain('PUT /api/v1/municipalities/{municipalityId}/council/sessions/{id}/items/{itemId}/opinion');
    expect(await countRows(t.database, ...tables)).toEqual(before);
  });
  it('refuses every write without a CSRF token, through the plain path and disguised ones, before reading the body', async () => {
    const doc = (await new Client(t.app).get('/api/v1/openapi.json')).json() as { paths: Record<string, Record<string, unknown>> };
    const planner = await new Client(t.app).login('planeacion@demo.brujula.mx');
    const audit = async () => Number((await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(t.database.db)).rows[0].n);
    const before = await audit();
    const wrong: string[] = [];
    let checked = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (path.startsWith('/open311/')) continue; // the GeoReport interface for other systems: no cookies
      for (const method of Object.keys(ops)) {
        if (!['post', 'put', 'patch', 'delete'].includes(method)) continue;
        const url = path
          .replace('{municipalityId}', '32056')
          .replace('{clave}', 'OT-01')
          .replace(/\{(\w+)\}/g, (_, name: string) => String(ids[name] ?? 1));
        const variants: [string, number[]][] = [
          [url, [403]],
          [url.replace(/^\/api\//, '/%61pi/'), [403]], // what the router decodes back to the route
          [url.replace(/^\/api\/v1\//, '/api/%76%31/'), [403]],
          [`/${url}`, [403, 404]],
          [url.replace(/^\/api\//, '/API/'), [403, 404]],
        ];
        for (const [u, ok] of variants) {
          const res = await planner.request(method.toUpperCase() as 'POST', u, {}, { csrf: false });
          if (!ok.includes(res.statusCode)) wrong.push(`${method.toUpperCase()} ${u} → ${res.statusCode} ${res.body.slice(0, 100)}`);
        }
        checked++;
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(100);
    expect(await audit()).toBe(before);
    // The session survived: logout through a disguised path was refused too.
    expect((await planner.get('/api/v1/auth/me')).json().email).toBe('planeacion@demo.brujula.mx');
  });
});
