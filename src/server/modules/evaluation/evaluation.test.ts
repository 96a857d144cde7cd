import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { withActor } from '../../db/connection.ts';
import sharp from 'sharp';
import { Client, countRows, createUser, multipart, TARGETS, testApp, type TestApp } from '../../../../test/helpers.ts';
import { combine } from './scorecards.ts';
import { resolve } from './council.ts';

const W = { metas: 50, fisico: 30, financiero: 20, verde: 80, amarillo: 50 };

describe('roll-up rule', () => {
  it('weights the components present, budget-weights physical progress and bands the score', () => {
    const s = combine(
      [50],
      [
        { vigente: 100_000, avance_fisico: 50, ejercido: 30_000 },
        { vigente: 300_000, avance_fisico: 60, ejercido: 150_000 },
      ],
      W,
    );
    // físico (50·100k + 60·300k) / 400k = 57.5; financiero 180k / 400k = 45 %; (50·50 + 30·57.5 + 20·45) / 100 = 51.25.
    expect(s).toMatchObject({ metas: 50, fisico: 57.5, financiero: 45, calificacion: 51.25, semaforo: 'amarillo' });
    // Without actions only the metas count, with their weight renormalised.
    expect(combine([40], [], W)).toMatchObject({ calificacion: 40, semaforo: 'rojo', fisico: null, financiero: null });
    expect(combine([], [], W)).toMatchObject({ calificacion: null, semaforo: null });
  });
  it('resolves an item by majority of votes cast, with observations when a favourable vote carried them', () => {
    expect(
      resolve([
        { opinion: 'favorable', voto: 'a_favor' },
        { opinion: 'con_observaciones', voto: 'a_favor' },
        { opinion: 'desfavorable', voto: 'en_contra' },
      ]),
    ).toEqual({ resolucion: 'favorable_con_observaciones', favor: 2, contra: 1, abst: 0 });
    expect(
      resolve([
        { opinion: 'favorable', voto: 'a_favor' },
        { opinion: 'desfavorable', voto: 'en_contra' },
      ]),
    ).toMatchObject({ resolucion: 'desfavorable' });
    expect(resolve([{ opinion: 'favorable', voto: 'abstencion' }])).toMatchObject({ resolucion: 'sin_votos', abst: 1 });
  });
});

describe.each(TARGETS)('evaluation on %s', (kind) => {
  let t: TestApp;
  let planner: Client, anon: Client, admin: Client, citizen: Client;
  const M = '/api/v1/municipalities/32056';
  const db = () => t.database.db;
  let planId: number;
  const el: Record<string, number> = {};

  beforeAll(async () => {
    t = await testApp(kind);
    planner = await new Client(t.app).login('planeacion@demo.brujula.mx');
    admin = await new Client(t.app).login('admin.zacatecas@demo.brujula.mx');
    citizen = await new Client(t.app).login('ciudadana@demo.brujula.mx');
    anon = new Client(t.app);
    // A small plan whose scorecard can be computed by hand (see the comments in the tests).
    await withActor(db(), { userId: null, via: 'test' }, async (trx) => {
      const unit = await trx
        .selectFrom('territorial_units')
        .select('id')
        .where('municipality_id', '=', '32056')
        .where('level', '=', 'municipio')
        .executeTakeFirstOrThrow();
      const dep = await trx
        .selectFrom('departments')
        .select('id')
        .where('municipality_id', '=', '32056')
        .where('acronym', '=', 'SOP')
        .executeTakeFirstOrThrow();
      const [va, vb] = await trx
        .insertInto('indicator_variables')
        .values([
          { municipality_id: '32056', clave: 'EVAL_A', nombre: 'A', agregacion: 'ninguna' },
          { municipality_id: '32056', clave: 'EVAL_B', nombre: 'B', agregacion: 'ninguna' },
        ])
        .returning('id')
        .execute();
      const obs = (variable_id: number, periodo: string, valor: number) => ({
        municipality_id: '32056',
        variable_id,
        unit_id: unit.id,
        periodo,
        valor,
      });
      await trx
        .insertInto('indicator_observations')
        .values([obs(va.id, '2025', 70), obs(va.id, '2026', 60), obs(vb.id, '2025', 6), obs(vb.id, '2026', 8)])
        .execute();
      const [ia, ib] = await trx
        .insertInto('indicators')
        .values([
          {
            municipality_id: '32056',
            clave: 'EVAL-ASC',
            nombre: 'Ascendente',
            theme_code: 'gobierno',
            formula: 'EVAL_A',
            sentido: 'ascendente',
            estado: 'publicado',
          },
          {
            municipality_id: '32056',
            clave: 'EVAL-DESC',
            nombre: 'Descendente',
            theme_code: 'gobierno',
            formula: 'EVAL_B',
            sentido: 'descendente',
            estado: 'publicado',
          },
        ])
        .returning('id')
        .execute();
      const plan = await trx
        .insertInto('plans')
        .values({
          municipality_id: '32056',
          tipo: 'sectorial',
          titulo: 'Programa de evaluación de prueba',
          estado: 'vigente',
          cabildo_fecha: '2026-01-10',
          cabildo_acuerdo: 'AC-1/2026',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      planId = plan.id;
      const add = async (codigo: string, parent: number | null, nivel: number) =>
        (el[codigo] = (
          await trx
            .insertInto('plan_elements')
            .values({ municipality_id: '32056', plan_id: plan.id, parent_id: parent, nivel, codigo, titulo: `Elemento ${codigo}` })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id);
      await add('1', null, 0);
      await add('1.1', el['1'], 1);
      await add('2', null, 0);
      // M1 (ascendente, base 40, meta 80): 2026 value 60 → 50 %; 2025 value 70 → 75 %.
      // M2 (descendente, base 10, meta 5): 2026 value 8 → 40 %; 2025 value 6 → 80 %.
      await trx
        .insertInto('plan_metas')
        .values([
          {
            municipality_id: '32056',
            element_id: el['1.1'],
            descripcion: 'Meta ascendente',
            indicator_id: ia.id,
            linea_base: 40,
            valores: JSON.stringify([
              { anio: 2025, valor: 80 },
              { anio: 2026, valor: 80 },
            ]),
          },
          {
            municipality_id: '32056',
            element_id: el['2'],
            descripcion: 'Meta descendente',
            indicator_id: ib.id,
            linea_base: 10,
            valores: JSON.stringify([
              { anio: 2025, valor: 5 },
              { anio: 2026, valor: 5 },
            ]),
          },
        ])
        .execute();
      const prog = await trx
        .insertInto('poa_programs')
        .values({ municipality_id: '32056', anio: 2026, department_id: dep.id, clave: 'E-EVAL', nombre: 'Programa de prueba' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const src = await trx.selectFrom('funding_sources').select('id').where('clave', '=', 'FISM-DF').executeTakeFirstOrThrow();
      const action = async (clave: string, element: number, vigente: number, reports: [string, number, number][]) => {
        const a = await trx
          .insertInto('poa_actions')
          .values({
            municipality_id: '32056',
            program_id: prog.id,
            department_id: dep.id,
            clave,
            nombre: `Acción ${clave}`,
            tipo: 'obra',
            publicado: true,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('action_budgets')
          .values({ municipality_id: '32056', action_id: a.id, funding_source_id: src.id, aprobado: vigente })
          .execute();
        await trx.insertInto('action_alignments').values({ municipality_id: '32056', action_id: a.id, element_id: element }).execute();
        for (const [periodo, avance, ejercido] of reports)
          await trx
            .insertInto('progress_reports')
            .values({ municipality_id: '32056', action_id: a.id, periodo, avance_fisico: avance, ejercido, estado: 'publicado' })
            .execute();
        return a.id;
      };
      // A1 on 1.1: 100k, 50 % and 30k by T2. A2 on 1: 300k, 20 % and 60k in T1, 60 % and 150k by T3.
      await action('EVAL-A1', el['1.1'], 100_000, [['2026-T2', 50, 30_000]]);
      await action('EVAL-A2', el['1'], 300_000, [
        ['2026-T1', 20, 60_000],
        ['2026-T3', 60, 150_000],
      ]);
    });
  });
  afterAll(() => t?.close());

  describe('scorecards', () => {
    it('rolls a small tree up exactly as computed by hand, ascending and descending metas alike', async () => {
      const r = await anon.get(`${M}/plans/${planId}/scorecard?periodo=2026`);
      expect(r.statusCode, r.body).toBe(200);
      const s = r.json();
      const by = (codigo: string) => s.elementos.find((e: { codigo: string }) => e.codigo === codigo);
      expect(s.metas.map((m: { indicador: string; valor: number; avance: number }) => [m.indicador, m.valor, m.avance])).toEqual([
        ['EVAL-ASC', 60, 50],
        ['EVAL-DESC', 8, 40],
      ]);
      // 1 = {1, 1.1}: metas 50; físico (50·100k + 60·300k)/400k = 57.5; financiero 180k/400k = 45; score 51.25.
      expect(by('1')).toMatchObject({ metas: 50, fisico: 57.5, financiero: 45, calificacion: 51.25, semaforo: 'amarillo', nAcciones: 2 });
      // 1.1: metas 50, A1 50 % and 30 %: (2500 + 1500 + 600)/100 = 46.
      expect(by('1.1')).toMatchObject({ metas: 50, fisico: 50, financiero: 30, calificacion: 46, semaforo: 'rojo' });
      // 2: the descending meta alone.
      expect(by('2')).toMatchObject({ metas: 40, fisico: null, calificacion: 40, semaforo: 'rojo' });
      // Whole plan: metas (50 + 40)/2 = 45 → (2250 + 1725 + 900)/100 = 48.75.
      expect(s.total).toMatchObject({ metas: 45, calificacion: 48.75, semaforo: 'rojo' });
      expect(s.metasPorSemaforo).toEqual({ verde: 0, amarillo: 1, rojo: 1, sinDatos: 0 });
      expect(s.regla).toMatch(/50 × metas \+ 30 × físico \+ 20 × financiero/);
      // A quarter counts what was reported up to its end: A1 nothing yet, A2 its T1 report.
      const q1 = (await anon.get(`${M}/plans/${planId}/scorecard?periodo=2026-T1`)).json();
      expect(q1.elementos.find((e: { codigo: string }) => e.codigo === '1')).toMatchObject({ fisico: 15, financiero: 15 });
    });

    it('follows configurable weights and lists what worsened most between two periods', async () => {
      const cmp = (await anon.get(`${M}/plans/${planId}/scorecard/compare?de=2025&a=2026`)).json();
      // 2025 (no 2026 POA yet): 1 → 75, 1.1 → 75, 2 → 80.  2026: 51.25, 46, 40.
      expect(cmp.empeoraron.map((e: { codigo: string; cambio: number }) => [e.codigo, e.cambio])).toEqual([
        ['2', -40],
        ['1.1', -29],
        ['1', -23.75],
      ]);
      expect(
        (await citizen.request('PUT', `${M}/evaluation/settings`, { metas: 1, fisico: 1, financiero: 0, verde: 60, amarillo: 40 }))
          .statusCode,
      ).toBe(403);
      expect(
        (await planner.request('PUT', `${M}/evaluation/settings`, { metas: 1, fisico: 1, financiero: 0, verde: 30, amarillo: 60 }))
          .statusCode,
      ).toBe(400);
      try {
        expect(
          (await planner.request('PUT', `${M}/evaluation/settings`, { metas: 1, fisico: 1, financiero: 0, verde: 60, amarillo: 40 }))
            .statusCode,
        ).toBe(200);
        const s = (await anon.get(`${M}/plans/${planId}/scorecard?periodo=2026`)).json();
        // 1: (50 + 57.5)/2 = 53.75 → amarillo (verde from 60).
        expect(s.elementos.find((e: { codigo: string }) => e.codigo === '1')).toMatchObject({ calificacion: 53.75, semaforo: 'amarillo' });
      } finally {
        // The other tests read the default weights, whatever happened here.
        await planner.request('PUT', `${M}/evaluation/settings`, { metas: 50, fisico: 30, financiero: 20, verde: 80, amarillo: 50 });
      }
    });
  });

  describe('overview', () => {
    it("groups by department and theme, downloads a plan's scorecard as CSV and puts municipalities side by side", async () => {
      const o = (await anon.get(`${M}/evaluation/overview?periodo=2026`)).json();
      expect(o.planes.find((p: { id: number }) => p.id === planId).total.calificacion).toBe(48.75);
      // Both test actions belong to Obras Públicas; both test metas to the theme "Gobierno y Gobernanza".
      expect(o.porDependencia.find((d: { siglas: string }) => d.siglas === 'SOP').nAcciones).toBeGreaterThanOrEqual(2);
      expect(o.porTema.find((x: { code: string }) => x.code === 'gobierno').nMetas).toBeGreaterThanOrEqual(2);
      expect(o.calificaciones).toHaveProperty('promedio');
      const csv = (await anon.get(`${M}/plans/${planId}/scorecard.csv?periodo=2026`)).body.replace(/^\uFEFF/, '').split('\r\n');
      expect(csv[0]).toBe(
        'codigo,elemento,nivel,metas_pct,avance_fisico_pct,avance_financiero_pct,calificacion,semaforo,metas,acciones,vigente,ejercido',
      );
      expect(csv).toContain('1.1,Elemento 1.1,1,50,50,30,46,rojo,1,1,100000,30000');
      const side = (await anon.get('/api/v1/evaluation/municipalities?periodo=2026')).json();
      expect(side.municipios.map((m: { id: string }) => m.id)).toEqual(expect.arrayContaining(['32056', '32017']));
      expect(side.municipios.find((m: { id: string }) => m.id === '32056').planes).toBeGreaterThanOrEqual(2);
    });
  });

  describe('progress reports', () => {
    it('publishes a frozen report whose PDF text carries the plan, each eje and the semáforo counts of the web version', async () => {
      const r = await planner.post(`${M}/plans/${planId}/evaluation-reports`, { periodo: '2026-T3' });
      expect(r.statusCode, r.body).toBe(201);
      const id = r.json().id;
      expect((await planner.post(`${M}/plans/${planId}/evaluation-reports`, { periodo: '2026-T3' })).statusCode).toBe(409);
      expect((await citizen.post(`${M}/plans/${planId}/evaluation-reports`, { periodo: '2026-T2' })).statusCode).toBe(403);
      const web = (await anon.get(`${M}/evaluation-reports/${id}`)).json();
      const snap = web.snapshot;
      expect(snap.titulo).toBe('Informe de avance trimestral 2026-T3: Programa de evaluación de prueba');
      expect(snap.ejes.map((e: { codigo: string }) => e.codigo)).toEqual(['1', '2']);
      expect(snap.metasPorSemaforo).toEqual({ verde: 0, amarillo: 1, rojo: 1, sinDatos: 0 });
      const pdf1 = await anon.get(`${M}/evaluation-reports/${id}/informe.pdf`);
      const file = path.join(os.tmpdir(), `brj-informe-${process.pid}-${kind}.pdf`);
      fs.writeFileSync(file, pdf1.rawPayload);
      const text = execFileSync('pdftotext', ['-layout', file, '-']).toString().replace(/\s+/g, ' ');
      fs.rmSync(file);
      expect(text).toContain('Programa de evaluación de prueba');
      for (const e of snap.ejes) expect(text).toContain(`${e.codigo} ${e.titulo}`);
      const c = snap.metasPorSemaforo;
      expect(text).toContain(`Metas en verde: ${c.verde} · Metas en amarillo: ${c.amarillo} · Metas en rojo: ${c.rojo}`);
      expect(text).toMatch(/Página 1 de \d+/);
      // The institution that issues it, from the installation (the demo's name here).
      expect(text).toContain('IMPLAN Zacatecas (demostración) — Informe de avance');
      // Later data changes move the live scorecard, never the published report.
      const before = (await anon.get(`${M}/plans/${planId}/scorecard?periodo=2026-T3`)).json().total.calificacion;
      await db()
        .updateTable('indicator_observations')
        .set({ valor: 79 })
        .where('periodo', '=', '2026')
        .where('variable_id', 'in', db().selectFrom('indicator_variables').select('id').where('clave', '=', 'EVAL_A'))
        .execute();
      const after = (await anon.get(`${M}/plans/${planId}/scorecard?periodo=2026-T3`)).json().total.calificacion;
      expect(after).not.toBe(before);
      expect((await anon.get(`${M}/evaluation-reports/${id}`)).json().snapshot).toEqual(snap);
      expect((await anon.get(`${M}/evaluation-reports/${id}/informe.pdf`)).rawPayload.equals(pdf1.rawPayload)).toBe(true);
      await db()
        .updateTable('indicator_observations')
        .set({ valor: 60 })
        .where('periodo', '=', '2026')
        .where('variable_id', 'in', db().selectFrom('indicator_variables').select('id').where('clave', '=', 'EVAL_A'))
        .execute();
    });
  });

  describe('Consejo Ciudadano', () => {
    let chair: Client, m2: Client, m3: Client, m4: Client;
    const ids: Record<string, number> = {};
    beforeAll(async () => {
      // The demo council's terms end before these tests, so the counts below are this test's own.
      await db()
        .updateTable('council_members')
        .set({ fin: '2024-12-31', inicio: '2024-10-01' })
        .where('municipality_id', '=', '32056')
        .execute();
      const people = [
        ['chair', 'presidencia', 'mujer', 'academico'],
        ['m2', 'consejero', 'mujer', 'empresarial'],
        ['m3', 'consejero', 'hombre', 'osc'],
        ['m4', 'consejero', 'hombre', 'productores'],
        ['m5', 'consejero', 'mujer', 'ambientalista'],
      ] as const;
      for (const [k, cargo, sexo, sector] of people) {
        const email = `${k}-${kind}@consejo.mx`;
        await createUser(t.database, email, [['32056', 'council']]);
        const r = await planner.post(`${M}/council/members`, {
          nombre: `Consejera ${k}`,
          sector,
          sexo,
          cargo,
          inicio: '2025-01-01',
          email,
        });
        expect(r.statusCode, r.body).toBe(201);
        ids[k] = r.json().id;
      }
      expect(
        (
          await planner.post(`${M}/council/members`, {
            nombre: 'Otra presidencia',
            sector: 'osc',
            sexo: 'mujer',
            cargo: 'presidencia',
            inicio: '2025-01-01',
          })
        ).statusCode,
      ).toBe(409);
      [chair, m2, m3, m4] = await Promise.all(['chair', 'm2', 'm3', 'm4'].map((k) => new Client(t.app).login(`${k}-${kind}@consejo.mx`)));
    });

    it('shows the share of women against the 50 % goal', async () => {
      const r = (await anon.get(`${M}/council/members`)).json();
      expect(r.paridad).toMatchObject({ enFunciones: 5, mujeres: 3, porcentajeMujeres: 60, meta: 50, cumple: true });
      expect(JSON.stringify(r)).not.toContain('@consejo.mx');
    });

    it('opens only with quorum, lets only present members opine and vote, and the chair closes with resolutions, acta and the plan unblocked', async () => {
      // The plan waits for the council's validation; the cabildo cannot approve it yet.
      await db()
        .updateTable('plans')
        .set({ estado: 'validacion', cabildo_fecha: null, cabildo_acuerdo: null })
        .where('id', '=', planId)
        .execute();
      const approve = () =>
        admin.post(`${M}/plans/${planId}/transitions`, { a: 'aprobado', cabildoFecha: '2026-06-30', cabildoAcuerdo: 'AC-40/2026' });
      expect((await approve()).statusCode).toBe(409);

      const s = await planner.post(`${M}/council/sessions`, {
        fecha: '2026-06-15T17:00:00Z',
        lugar: 'Sala de cabildo',
        convocatoria: 'Se convoca…',
        items: [{ titulo: 'Validación del programa de evaluación', tipo: 'plan', planId }],
      });
      expect(s.statusCode, s.body).toBe(201);
      const sid = s.json().id;
      const view = (await planner.get(`${M}/council/sessions/${sid}`)).json();
      const item = view.asuntos[0].id;
      await planner.request('PUT', `${M}/council/sessions/${sid}/attendance`, {
        asistencia: [
          { memberId: ids.chair, presente: true },
          { memberId: ids.m2, presente: true },
        ],
      });
      const noQuorum = await planner.post(`${M}/council/sessions/${sid}/open`);
      expect(noQuorum.statusCode).toBe(409);
      expect(noQuorum.json().message).toBe('No hay quórum: están presentes 2 de 5 integrantes y se necesitan 3.');
      // Not before the session opens.
      expect(
        (await chair.request('PUT', `${M}/council/sessions/${sid}/items/${item}/opinion`, { opinion: 'favorable', voto: 'a_favor' }))
          .statusCode,
      ).toBe(409);
      await planner.request('PUT', `${M}/council/sessions/${sid}/attendance`, { asistencia: [{ memberId: ids.m3, presente: true }] });
      const opened = await planner.post(`${M}/council/sessions/${sid}/open`);
      expect(opened.json()).toMatchObject({ estado: 'abierta', quorum: 3, miembros: 5 });

      const opine = (c: Client, b: unknown) => c.request('PUT', `${M}/council/sessions/${sid}/items/${item}/opinion`, b);
      // Council members only: not a citizen, not a planner, not a member who is absent.
      expect((await opine(citizen, { opinion: 'favorable', voto: 'a_favor' })).statusCode).toBe(403);
      expect((await opine(planner, { opinion: 'favorable', voto: 'a_favor' })).statusCode).toBe(403);
      expect((await opine(m4, { opinion: 'favorable', voto: 'a_favor' })).json().message).toMatch(/asistencia/);
      expect((await opine(m3, { opinion: 'desfavorable', voto: 'en_contra' })).statusCode).toBe(400);
      expect((await opine(chair, { opinion: 'favorable', voto: 'a_favor' })).statusCode).toBe(200);
      expect((await opine(m2, { opinion: 'con_observaciones', texto: 'Agregar metas de género', voto: 'a_favor' })).statusCode).toBe(200);
      expect((await opine(m3, { opinion: 'desfavorable', texto: 'Faltan recursos', voto: 'en_contra' })).statusCode).toBe(200);
      // Opinions are visible to members while the session runs, not to the public.
      expect((await anon.get(`${M}/council/sessions/${sid}`)).json().asuntos[0].opiniones).toEqual([]);

      await planner.post(`${M}/council/sessions/${sid}/agreements`, {
        texto: 'Incorporar metas con perspectiva de género',
        responsable: 'IMPLAN',
        fechaLimite: '2026-07-31',
        itemId: item,
      });
      expect((await m2.post(`${M}/council/sessions/${sid}/close`)).statusCode).toBe(403);
      const closed = await chair.post(`${M}/council/sessions/${sid}/close`);
      expect(closed.statusCode, closed.body).toBe(200);
      expect(closed.json().resoluciones).toEqual([
        { id: item, titulo: 'Validación del programa de evaluación', resolucion: 'favorable_con_observaciones' },
      ]);
      expect((await opine(chair, { opinion: 'desfavorable', texto: 'Cambio', voto: 'en_contra' })).statusCode).toBe(409);

      // The public sees the votes; the plan shows the resolution; the cabildo may now approve.
      const pub = (await anon.get(`${M}/council/sessions/${sid}`)).json();
      expect(pub.asuntos[0]).toMatchObject({ resolucion: 'favorable_con_observaciones', votosFavor: 2, votosContra: 1, abstenciones: 0 });
      expect(pub.asuntos[0].opiniones).toHaveLength(3);
      expect((await anon.get(`${M}/plans/${planId}/council-resolutions`)).json()[0]).toMatchObject({
        resolucion: 'favorable_con_observaciones',
        sessionId: sid,
      });
      expect((await approve()).statusCode).toBe(200);

      // The acta: a real PDF whose text has the session, the item, the resolution and the agreement.
      const pdf = await anon.get(`${M}/council/sessions/${sid}/acta.pdf`);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      const file = path.join(os.tmpdir(), `brj-acta-${process.pid}-${kind}.pdf`);
      fs.writeFileSync(file, pdf.rawPayload);
      const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
      fs.rmSync(file);
      expect(text).toMatch(/Acta de la sesión ordinaria número \d+ del Consejo Ciudadano/);
      expect(text).toContain('Presentes 3 de 5');
      expect(text).toContain('Validación del programa de evaluación');
      expect(text).toContain('Favorable con observaciones (a favor 2, en contra 1, abstenciones 0)');
      expect(text).toContain('Agregar metas de género');
      expect(text).toContain('Incorporar metas con perspectiva de género');
      expect(text).toMatch(/Página 1 de \d/);
      const acuerdos = (await anon.get(`${M}/council/agreements`)).json();
      expect(acuerdos.find((a: { texto: string }) => a.texto === 'Incorporar metas con perspectiva de género')).toMatchObject({
        estado: 'pendiente',
        responsable: 'IMPLAN',
      });
    });

    it('numbers sessions convoked at the same moment one after the other', async () => {
      const body = (i: number) => ({ fecha: '2026-09-01T17:00:00Z', items: [{ titulo: `Asunto simultáneo ${i}`, tipo: 'otro' }] });
      const all = await Promise.all([1, 2, 3, 4].map((i) => planner.post(`${M}/council/sessions`, body(i))));
      expect(all.map((r) => r.statusCode)).toEqual([201, 201, 201, 201]);
      const numbers = all.map((r) => r.json().numero).sort((a, b) => a - b);
      expect(new Set(numbers).size).toBe(4);
      expect(numbers[3] - numbers[0]).toBe(3);
    });
  });

  describe('citizen ratings of works', () => {
    it('lets a verified resident rate a finished work once, and shows averages and distributions', async () => {
      const work = await db()
        .selectFrom('poa_actions')
        .select('id')
        .where('municipality_id', '=', '32056')
        .where('clave', '=', 'EVAL-A1')
        .executeTakeFirstOrThrow();
      const url = `${M}/actions/${work.id}/rating`;
      const body = { calidad: 4, utilidad: 5, oportunidad: 2, comentario: 'Quedó bien, pero tardó' };
      expect((await citizen.request('PUT', url, body)).json().message).toMatch(/aún no termina/);
      await db().updateTable('poa_actions').set({ avance_fisico: 100 }).where('id', '=', work.id).execute();
      // Ten clicks at once: one rating.
      const res = await Promise.all(Array.from({ length: 10 }, () => citizen.request('PUT', url, body)));
      expect(res.filter((r) => r.statusCode === 201)).toHaveLength(1);
      expect(res.filter((r) => r.statusCode === 409)).toHaveLength(9);
      expect((await countRows(t.database, 'work_ratings')).work_ratings).toBeGreaterThanOrEqual(1);
      const mine = await sql<{ n: number }>`select count(*)::int as n from work_ratings where action_id = ${work.id}`.execute(db());
      expect(mine.rows[0].n).toBe(1);
      await createUser(t.database, `sin-residencia-${kind}@prueba.mx`, [['32056', 'citizen']]);
      const outsider = await new Client(t.app).login(`sin-residencia-${kind}@prueba.mx`);
      expect((await outsider.request('PUT', url, body)).statusCode).toBe(403);
      const summary = (await anon.get(`${M}/actions/${work.id}/ratings`)).json();
      expect(summary).toMatchObject({
        terminada: true,
        calificaciones: 1,
        promedios: { calidad: 4, utilidad: 5, oportunidad: 2 },
        distribucion: { calidad: [0, 0, 0, 1, 0], oportunidad: [0, 1, 0, 0, 0] },
      });
      expect(summary.comentarios[0].comentario).toBe('Quedó bien, pero tardó');
      // Photos go with one's own rating, re-encoded; not for someone who did not rate.
      const png = await sharp({ create: { width: 2400, height: 1200, channels: 3, background: '#6a5' } })
        .png()
        .toBuffer();
      const up = multipart({ name: 'obra.png', bytes: png, type: 'image/png' });
      expect((await outsider.request('POST', `${url}/photos`, up.payload, { headers: up.headers })).statusCode).toBe(409);
      const ph = await citizen.request('POST', `${url}/photos`, up.payload, { headers: up.headers });
      expect(ph.statusCode, ph.body).toBe(201);
      const img = await anon.get(`${M}/rating-photos/${ph.json().id}`);
      expect((await sharp(img.rawPayload).metadata()).width).toBe(1600);
      const fake = multipart({ name: 'obra.jpg', bytes: 'texto', type: 'image/jpeg' });
      expect((await citizen.request('POST', `${url}/photos`, fake.payload, { headers: fake.headers })).statusCode).toBe(415);
      expect((await anon.get(`${M}/actions/${work.id}/ratings`)).json().fotos).toEqual([ph.json().id]);
      // The rating reaches the scorecard of the element the work serves (and its ancestors).
      const card = (await anon.get(`${M}/plans/${planId}/scorecard?periodo=2026`)).json();
      expect(card.elementos.find((e: { codigo: string }) => e.codigo === '1.1').ciudadana).toEqual({ promedio: 3.67, calificaciones: 1 });
      expect(card.elementos.find((e: { codigo: string }) => e.codigo === '2').ciudadana).toBeNull();
    });
  });

  describe('contraloría social', () => {
    it('registers a committee watching works, takes its findings and follows them up', async () => {
      const enlace = await new Client(t.app).login('enlace.obras@demo.brujula.mx');
      const works = await db()
        .selectFrom('poa_actions')
        .select(['id', 'clave'])
        .where('clave', 'in', ['EVAL-A1', 'EVAL-A2'])
        .orderBy('clave')
        .execute();
      const body = {
        nombre: 'Comité de prueba',
        constituido: '2026-02-01',
        integrantes: [
          { nombre: 'Ana Pérez', sexo: 'mujer' },
          { nombre: 'Luis Gómez', sexo: 'hombre' },
          { nombre: 'Rosa Díaz', sexo: 'mujer' },
        ],
        obras: [works[0].id],
      };
      expect((await citizen.post(`${M}/social-committees`, body)).statusCode).toBe(403);
      const c = await planner.post(`${M}/social-committees`, body);
      expect(c.statusCode, c.body).toBe(201);
      const id = c.json().id;
      expect(
        (
          await enlace.post(`${M}/social-committees/${id}/reports`, {
            fecha: '2026-03-01',
            tipo: 'hallazgo',
            texto: 'Material distinto',
            actionId: works[1].id,
          })
        ).json().message,
      ).toMatch(/no vigila/);
      const r = await enlace.post(`${M}/social-committees/${id}/reports`, {
        fecha: '2026-03-01',
        tipo: 'hallazgo',
        texto: 'Material distinto al especificado',
        actionId: works[0].id,
      });
      expect(r.statusCode).toBe(201);
      const find = async () =>
        (
          (await anon.get(`${M}/social-committees`)).json() as {
            id: number;
            porcentajeMujeres: number;
            pendientes: number;
            obras: { clave: string }[];
          }[]
        ).find((x) => x.id === id)!;
      expect(await find()).toMatchObject({ porcentajeMujeres: 66.7, nIntegrantes: 3, pendientes: 1, obras: [{ clave: 'EVAL-A1' }] });
      // Members are residents: the public sees how many and the parity, staff see who.
      expect(await find()).not.toHaveProperty('integrantes');
      const staffView = ((await enlace.get(`${M}/social-committees`)).json() as { id: number; integrantes: { nombre: string }[] }[]).find(
        (x) => x.id === id,
      )!;
      expect(staffView.integrantes.map((m) => m.nombre)).toEqual(['Ana Pérez', 'Luis Gómez', 'Rosa Díaz']);
      expect((await enlace.patch(`${M}/social-committees/reports/${r.json().id}`, { estado: 'atendido' })).statusCode).toBe(400);
      expect(
        (await enlace.patch(`${M}/social-committees/reports/${r.json().id}`, { estado: 'atendido', respuesta: 'Se cambió el material' }))
          .statusCode,
      ).toBe(200);
      expect((await find()).pendientes).toBe(0);
    });
  });
});
