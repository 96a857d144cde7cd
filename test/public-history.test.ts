import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withActor } from '../src/server/db/connection.ts';
import { recordEvent } from '../src/server/modules/audit/service.ts';
import { Client, createUser, TARGETS, testApp, type TestApp } from './helpers.ts';

/**
 * The public change history (`GET /history/{entity}/{id}`, anonymous) shows a record only while the
 * record itself is public. For every audited entity type: a public record's history answers, and
 * once the record (or what it belongs to) becomes private the way the product makes it private —
 * a plan back in draft, an action unpublished, a report returned, a proposal hidden, a session
 * reopened, a row deleted — its history answers 404.
 */

const M = '32056';
const HIDDEN = 'Oculto en la prueba de historial';

// How each entity type becomes private; `{id}` is the history's entity id (a number or a clave).
const PRIVATE: Record<string, string> = {
  territorial_units: `update territorial_units set cvegeo = cvegeo || 'X' where cvegeo = '{id}'`,
  territory_imports: `delete from territory_imports where id = {id}`,
  territory_import: `delete from territory_imports where id = {id}`,
  departments: `delete from departments where id = {id}`,
  funding_sources: `delete from funding_sources where clave = '{id}'`,
  report_services: `update report_services set activo = false where id = {id}`,
  evaluation_settings: `delete from evaluation_settings where municipality_id = '{id}'`,
  indicators: `update indicators set estado = 'borrador' where clave = '{id}'`,
  indicator_loads: `delete from indicator_loads where id = {id}`,
  indicator_targets: `update indicators set estado = 'borrador' where id = {id}`,
  indicator_benchmarks: `update indicators set estado = 'borrador' where id = {id}`,
  indicator_variables: `update indicators set estado = 'borrador' where formula ~ '\\m{id}\\M'`,
  indicator_observations: `update indicators i set estado = 'borrador' from indicator_variables v where v.id = {id} and i.municipality_id = v.municipality_id and i.formula ~ ('\\m' || v.clave || '\\M')`,
  plans: `update plans set estado = 'borrador' where id = {id}`,
  plan_transitions: `update plans set estado = 'borrador' where id = {id}`,
  plan_versions: `update plans set estado = 'borrador' where id = {id}`,
  plan_elements: `update plans set estado = 'borrador' where id = (select plan_id from plan_elements where id = {id})`,
  plan_alignments: `update plans set estado = 'borrador' where id = (select plan_id from plan_elements where id = {id})`,
  plan_element_ods: `update plans set estado = 'borrador' where id = (select plan_id from plan_elements where id = {id})`,
  plan_metas: `update plans set estado = 'borrador' where id = (select e.plan_id from plan_metas m join plan_elements e on e.id = m.element_id where m.id = {id})`,
  plan_comments: `update plan_comments set oculto = true, motivo_oculto = '${HIDDEN}' where id = {id}`,
  poa_programs: `delete from poa_programs where id = {id}`,
  mir_rows: `delete from mir_rows where id = {id}`,
  poa_actions: `update poa_actions set publicado = false where id = {id}`,
  action_budgets: `update poa_actions set publicado = false where id = {id}`,
  action_alignments: `update poa_actions set publicado = false where id = {id}`,
  progress_reports: `update progress_reports set estado = 'enviado' where id = {id}`,
  evidence_files: `update progress_reports set estado = 'enviado' where id = (select report_id from evidence_files where id = {id})`,
  contracts: `update poa_actions set publicado = false where id = (select action_id from contracts where id = {id})`,
  contract_amendments: `update poa_actions set publicado = false where id = (select action_id from contracts where id = {id})`,
  proposals: `update proposals set oculto = true, motivo_oculto = '${HIDDEN}' where id = {id}`,
  proposal_status_changes: `update proposals set oculto = true, motivo_oculto = '${HIDDEN}' where id = {id}`,
  proposal_files: `update proposals set oculto = true, motivo_oculto = '${HIDDEN}' where id = (select proposal_id from proposal_files where id = {id})`,
  proposal_comments: `update proposal_comments set oculto = true, motivo_oculto = '${HIDDEN}' where id = {id}`,
  pb_processes: `update pb_processes set fase = 'borrador' where id = {id}`,
  pb_territories: `update pb_processes set fase = 'borrador' where id = (select process_id from pb_territories where id = {id})`,
  pb_projects: `update pb_processes set fase = 'borrador' where id = (select process_id from pb_projects where id = {id})`,
  pb_results: `update pb_processes set fase = 'borrador' where id = (select process_id from pb_results where project_id = {id})`,
  consultations: `update consultations set estado = 'borrador' where id = {id}`,
  consultation_questions: `update consultations set estado = 'borrador' where id = (select consultation_id from consultation_questions where id = {id})`,
  citizen_reports: `update citizen_reports set oculto = true, motivo_oculto = '${HIDDEN}' where id = {id}`,
  report_updates: `update citizen_reports set oculto = true, motivo_oculto = '${HIDDEN}' where id = {id}`,
  report_photos: `update citizen_reports set oculto = true, motivo_oculto = '${HIDDEN}' where id = (select report_id from report_photos where id = {id})`,
  council_members: `delete from council_members where id = {id}`,
  council_sessions: `delete from council_sessions where id = {id}`,
  council_attendance: `delete from council_sessions where id = {id}`,
  council_items: `delete from council_items where id = {id}`,
  council_opinions: `update council_sessions set estado = 'abierta' where id = (select session_id from council_items where id = {id})`,
  council_agreements: `delete from council_agreements where id = {id}`,
  social_committees: `delete from social_committees where id = {id}`,
  committee_members: `delete from social_committees where id = {id}`,
  committee_works: `delete from social_committees where id = {id}`,
  committee_reports: `delete from committee_reports where id = {id}`,
  evaluation_reports: `delete from evaluation_reports where id = {id}`,
  work_rating_photos: `update work_ratings set oculto = true where id = {id}`,
  // Last: a municipality taken out of use takes nothing else with it here.
  municipalities: `update municipalities set active = false where id = '{id}'`,
};

describe.each(TARGETS)('public change history on %s', (kind) => {
  let t: TestApp;
  let anon: Client;
  const history = (entity: string, id: string) => anon.get(`/api/v1/history/${entity}/${encodeURIComponent(id)}`);

  beforeAll(async () => {
    t = await testApp(kind);
    anon = new Client(t.app);
    // Records of the types the demo does not make, written the way their services do (audited, as staff).
    const db = t.database.db;
    const planner = (await db.selectFrom('users').select('id').where('email', '=', 'planeacion@demo.brujula.mx').executeTakeFirstOrThrow())
      .id;
    const citizen = await createUser(t.database, 'historial@example.mx', [[M, 'citizen']]);
    const jpeg = Buffer.from('ffd8ffe000104a46494600', 'hex');
    await withActor(db, { userId: planner, via: 'test' }, async (trx) => {
      const imp = await trx
        .insertInto('territory_imports')
        .values({
          municipality_id: M,
          level: 'colonia',
          file_name: 'colonias.geojson',
          format: 'GeoJSON',
          features: 0,
          inserted: 0,
          updated: 0,
          repaired: 0,
          rejected: 0,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordEvent(
        trx,
        { userId: planner },
        { entity: 'territory_import', entityId: String(imp.id), municipalityId: M, data: { inserted: 0 }, isPublic: true },
      );
      await trx
        .insertInto('indicator_loads')
        .values({ municipality_id: M, file_name: 'datos.xlsx', rows: 0, created_by: planner })
        .execute();
      await trx.insertInto('departments').values({ municipality_id: M, name: 'Dirección de prueba del historial' }).execute();
      await trx
        .insertInto('funding_sources')
        .values({ municipality_id: M, clave: 'HIST-PRUEBA', nombre: 'Fuente de prueba', orden_gobierno: 'municipal' })
        .execute();
      const dept = await trx
        .selectFrom('departments')
        .select('id')
        .where('municipality_id', '=', M)
        .orderBy('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('poa_programs')
        .values({ municipality_id: M, anio: 2026, department_id: dept.id, clave: 'HIST-P', nombre: 'Programa de prueba del historial' })
        .execute();
      const el = await trx
        .selectFrom('plan_elements as e')
        .innerJoin('plans as p', 'p.id', 'e.plan_id')
        .select(['e.id', 'e.plan_id'])
        .where('p.municipality_id', '=', M)
        .where('p.estado', '<>', 'borrador')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('plan_comments')
        .values({
          municipality_id: M,
          plan_id: el.plan_id,
          element_id: el.id,
          user_id: citizen,
          texto: 'Comentario de prueba del historial',
        })
        .execute();
      const prop = await trx
        .selectFrom('proposals')
        .select('id')
        .where('municipality_id', '=', M)
        .where('oculto', '=', false)
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('proposal_files')
        .values({
          municipality_id: M,
          proposal_id: prop.id,
          tipo: 'imagen',
          nombre: 'foto.jpg',
          mime: 'image/jpeg',
          bytes: jpeg.length,
          contenido: jpeg,
        })
        .execute();
      const rep = await trx
        .selectFrom('citizen_reports')
        .select('id')
        .where('municipality_id', '=', M)
        .where('oculto', '=', false)
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('report_photos')
        .values({ municipality_id: M, report_id: rep.id, mime: 'image/jpeg', bytes: jpeg.length, contenido: jpeg })
        .execute();
      const act = await trx
        .selectFrom('poa_actions')
        .select('id')
        .where('municipality_id', '=', M)
        .where('publicado', '=', true)
        .executeTakeFirstOrThrow();
      const rating = await trx
        .insertInto('work_ratings')
        .values({ municipality_id: M, action_id: act.id, user_id: citizen, calidad: 4, utilidad: 5, oportunidad: 3 })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('work_rating_photos')
        .values({ municipality_id: M, rating_id: rating.id, mime: 'image/jpeg', bytes: jpeg.length, contenido: jpeg })
        .execute();
    });
  }, 300_000);
  afterAll(async () => t?.close());

  it('has a rule for every table audited as public, and nothing else is public', async () => {
    const triggers = await sql<{ table: string; args: string }>`
      select c.relname as table, encode(t.tgargs, 'escape') as args
      from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_proc p on p.oid = t.tgfoid
      where p.proname = 'audit_row'`.execute(t.database.db);
    const publicTables = triggers.rows.filter((r) => r.args.startsWith('public')).map((r) => r.table);
    const events = (
      await sql<{ entity: string }>`select distinct entity from audit_log where is_public and action = 'event'`.execute(t.database.db)
    ).rows.map((r) => r.entity);
    expect(publicTables.length).toBeGreaterThan(50);
    const missing = [...new Set([...publicTables, ...events])].filter((e) => !(e in PRIVATE));
    expect(missing).toEqual([]);
    expect(Object.keys(PRIVATE).sort()).toEqual([...new Set([...publicTables, ...events])].sort());
    // A private table (accounts) has no public history whatever its id.
    const user = (await t.database.db.selectFrom('users').select('id').executeTakeFirstOrThrow()).id;
    expect((await history('users', String(user))).statusCode).toBe(404);
  });

  it('answers for a public record of every audited type, and 404 once it is private', async () => {
    const db = t.database.db;
    const samples = new Map<string, string>();
    const failures: string[] = [];
    for (const entity of Object.keys(PRIVATE)) {
      // The newest audited ids first: records this test added are among them.
      const ids = await sql<{ entity_id: string }>`
        select entity_id from audit_log where entity = ${entity} and is_public and entity_id is not null
        group by entity_id order by max(id) desc limit 25`.execute(db);
      for (const { entity_id } of ids.rows) {
        const res = await history(entity, entity_id);
        expect([200, 404], `${entity}/${entity_id}`).toContain(res.statusCode);
        if (res.statusCode === 200) {
          const body = res.json();
          expect(body.total).toBeGreaterThan(0);
          for (const e of body.items) {
            expect(e.via, 'never the IP').toBeNull();
            for (const image of [e.before, e.after])
              for (const f of ['user_id', 'reported_by', 'reviewed_by', 'nota_revision', 'evaluadores', 'client_id'])
                expect(image ?? {}).not.toHaveProperty(f);
          }
          samples.set(entity, entity_id);
          break;
        }
      }
      if (!samples.has(entity)) failures.push(entity);
    }
    expect(failures, 'types without any public record answering').toEqual([]);

    for (const [entity, id] of samples) {
      await withActor(db, { userId: null, via: 'test' }, (trx) => sql.raw(PRIVATE[entity].replaceAll('{id}', id)).execute(trx));
      const res = await history(entity, id);
      if (res.statusCode !== 404) failures.push(`${entity}/${id}: ${res.statusCode}`);
    }
    expect(failures, 'private records whose history still answers').toEqual([]);
  }, 300_000);

  it('a draft plan, an unpublished action and an unreviewed report have no public history until they are public', async () => {
    const planner = await new Client(t.app).login('planeacion@demo.brujula.mx');
    const plan = await planner.post(`/api/v1/municipalities/${M}/plans`, { tipo: 'sectorial', titulo: 'Programa sectorial de prueba' });
    expect(plan.statusCode).toBe(201);
    const planId = String(plan.json().id);
    expect(
      (await planner.post(`/api/v1/municipalities/${M}/plans/${planId}/elements`, { codigo: '1', titulo: 'Eje de prueba' })).statusCode,
    ).toBe(201);
    expect((await history('plans', planId)).statusCode).toBe(404);
    const toConsulta = await planner.post(`/api/v1/municipalities/${M}/plans/${planId}/transitions`, { a: 'consulta' });
    expect(toConsulta.statusCode, toConsulta.body).toBe(200);
    const planHistory = await history('plans', planId);
    expect(planHistory.statusCode).toBe(200);
    expect(planHistory.json().items.map((e: { action: string }) => e.action)).toContain('insert');

    const program = await t.database.db
      .selectFrom('poa_programs')
      .select('id')
      .where('municipality_id', '=', M)
      .where('clave', '<>', 'HIST-P')
      .executeTakeFirstOrThrow();
    const action = await planner.post(`/api/v1/municipalities/${M}/actions`, {
      programId: program.id,
      clave: 'HIST-A1',
      nombre: 'Acción de prueba del historial',
    });
    expect(action.statusCode).toBe(201);
    const actionId = String(action.json().id);
    expect((await history('poa_actions', actionId)).statusCode).toBe(404);
    expect((await planner.patch(`/api/v1/municipalities/${M}/actions/${actionId}`, { publicado: true })).statusCode).toBe(200);
    expect((await history('poa_actions', actionId)).statusCode).toBe(200);

    const report = await planner.post(`/api/v1/municipalities/${M}/actions/${actionId}/reports`, {
      periodo: '2026-T3',
      avanceFisico: 40,
      narrativa: 'Avance de prueba con nombres del personal',
    });
    expect(report.statusCode).toBe(201);
    const reportId = String(report.json().id);
    const unreviewed = await history('progress_reports', reportId);
    expect(unreviewed.statusCode).toBe(404);
    expect(unreviewed.body).not.toContain('Avance de prueba');
    expect((await planner.post(`/api/v1/municipalities/${M}/reports/${reportId}/review`, { decision: 'publicar' })).statusCode).toBe(200);
    const reviewed = await history('progress_reports', reportId);
    expect(reviewed.statusCode).toBe(200);
    expect(reviewed.json().items[0].after).toMatchObject({ estado: 'publicado', narrativa: 'Avance de prueba con nombres del personal' });
  });

  it('refuses ids of the wrong shape with 404, not an error', async () => {
    for (const [entity, id] of [
      ['plans', '1e+23'],
      ['plans', '99999999999999999999'],
      ['indicator_variables', "T_HOM' or 1=1"],
      ['indicator_variables', '(('],
      ['nada', '1'],
    ]) {
      expect((await history(entity, id)).statusCode, `${entity}/${id}`).toBe(404);
    }
  });
});
