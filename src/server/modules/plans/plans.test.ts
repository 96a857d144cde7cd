import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, countRows, multipart, TARGETS, testApp, type TestApp } from '../../../../test/helpers.ts';
import { parseOutline } from './outline.ts';
import { compareVersions, preorder, rollup, rollupTree, type SnapshotElement } from './tree.ts';

const NIVELES = ['Eje', 'Objetivo', 'Estrategia', 'Línea de acción'];

describe('plan tree helpers', () => {
  it('orders a tree for reading: each element followed by its children by position', () => {
    const rows = [
      { id: 3, parent_id: 1, posicion: 1 },
      { id: 1, parent_id: null, posicion: 0 },
      { id: 4, parent_id: null, posicion: 1 },
      { id: 2, parent_id: 1, posicion: 0 },
      { id: 5, parent_id: 2, posicion: 0 },
    ];
    expect(preorder(rows).map((r) => r.id)).toEqual([1, 2, 5, 3, 4]);
  });

  it('rolls progress up weighted by budget, counting an action once, and matches a hand computation', () => {
    // Eje 1 > Obj 2 > (Estr 3 with actions A, B; Estr 4 with actions B, C). Action D on the eje itself.
    const rows = [
      { id: 1, parent_id: null, posicion: 0 },
      { id: 2, parent_id: 1, posicion: 0 },
      { id: 3, parent_id: 2, posicion: 0 },
      { id: 4, parent_id: 2, posicion: 1 },
    ];
    const w = (id: number, avance: number, peso: number) => ({ id, avance, peso, aprobado: peso, modificado: peso, ejercido: peso / 2 });
    const weights = new Map([
      [10, w(10, 100, 1_000_000)],
      [11, w(11, 50, 3_000_000)],
      [12, w(12, 0, 1_000_000)],
      [13, w(13, 20, 5_000_000)],
    ]);
    const links = [
      { element_id: 3, action_id: 10 },
      { element_id: 3, action_id: 11 },
      { element_id: 4, action_id: 11 },
      { element_id: 4, action_id: 12 },
      { element_id: 1, action_id: 13 },
    ];
    const r = rollupTree(rows, links, weights);
    // Estr 3: (100×1 + 50×3) / 4 = 62.5 ; Estr 4: (50×3 + 0×1) / 4 = 37.5
    expect(r.get(3)!.avance).toBe(62.5);
    expect(r.get(4)!.avance).toBe(37.5);
    // Obj 2: A, B, C once each: (100×1 + 50×3 + 0×1) / 5 = 50
    expect(r.get(2)).toMatchObject({ acciones: 3, avance: 50, modificado: 5_000_000 });
    // Eje 1: plus D: (100 + 150 + 0 + 20×5) / 10 = 35
    expect(r.get(1)).toMatchObject({ acciones: 4, avance: 35, aprobado: 10_000_000, ejercido: 5_000_000 });
    // Without budget the mean is simple.
    expect(rollup([w(1, 30, 0), w(2, 60, 0)]).avance).toBe(45);
    expect(rollup([]).avance).toBeNull();
  });

  it('compares versions element by element: added, removed, changed fields', () => {
    const el = (id: number, over: Partial<SnapshotElement> = {}): SnapshotElement => ({
      id,
      parent_id: null,
      posicion: id,
      nivel: 0,
      codigo: String(id),
      titulo: `E${id}`,
      descripcion: '',
      responsables: [],
      metas: [],
      ods: [],
      alineaciones: [],
      ...over,
    });
    const c = compareVersions([el(1), el(2), el(3)], [el(1), el(2, { titulo: 'Nuevo', ods: ['11.1'] }), el(4)]);
    expect(c.map((x) => [x.id, x.cambio])).toEqual([
      [2, 'modificado'],
      [4, 'agregado'],
      [3, 'eliminado'],
    ]);
    expect(c[0].campos.map((f) => f.campo)).toEqual(['titulo', 'ods']);
  });

  it('reads an outline in reading order and reports every problem by row', () => {
    const ok = parseOutline(
      [
        { nivel: '1', codigo: '1', texto: 'Eje uno' },
        { nivel: 'Objetivo', codigo: '1.1', texto: 'Objetivo' },
        { nivel: 'linea de accion', codigo: '1.1.1.1', texto: 'Salta un nivel' },
        { nivel: '3', codigo: '1.1.1', texto: 'Estrategia' },
        { nivel: '1', codigo: '1.1', texto: '' },
        { nivel: '9', codigo: 'X', texto: 'Nivel raro' },
      ],
      NIVELES,
    );
    expect(ok.errores).toEqual([
      { fila: 4, problema: 'Un elemento de nivel «Línea de acción» necesita antes un «Estrategia» del que dependa.' },
      { fila: 6, problema: 'El código «1.1» ya aparece en la fila 3.' },
      { fila: 6, problema: 'Falta el texto del elemento.' },
      { fila: 7, problema: 'Nivel «9» no reconocido: use 1 a 4 o Eje, Objetivo, Estrategia, Línea de acción.' },
    ]);
    expect(parseOutline([{ level: '1', code: 'A', text: 'x' }], NIVELES).errores).toEqual([]);
    expect(parseOutline([{ a: '1' }], NIVELES).errores[0].problema).toMatch(/Faltan las columnas: nivel, codigo, texto/);
  });
});

describe.each(TARGETS)('plans on %s', (kind) => {
  let t: TestApp;
  let planner: Client, council: Client, admin: Client, citizen: Client, anon: Client, otherPlanner: Client;
  const base = '/api/v1/municipalities/32056/plans';

  beforeAll(async () => {
    t = await testApp(kind);
    planner = await new Client(t.app).login('planeacion@demo.brujula.mx');
    council = await new Client(t.app).login('consejo@demo.brujula.mx');
    admin = await new Client(t.app).login('admin.zacatecas@demo.brujula.mx');
    citizen = await new Client(t.app).login('ciudadana@demo.brujula.mx');
    otherPlanner = await new Client(t.app).login('planeacion.guadalupe@demo.brujula.mx');
    anon = new Client(t.app);
  });
  afterAll(() => t?.close());

  async function newPlan(titulo: string) {
    const r = await planner.post(base, { tipo: 'pmd', titulo, periodoInicio: 2024, periodoFin: 2027 });
    expect(r.statusCode).toBe(201);
    return r.json().id as number;
  }
  async function add(planId: number, codigo: string, parentId: number | null = null) {
    const r = await planner.post(`${base}/${planId}/elements`, { parentId, codigo, titulo: `Elemento ${codigo}` });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as number;
  }
  const tree = async (planId: number, c: Client = planner) =>
    (await c.get(`${base}/${planId}`)).json().elements as {
      id: number;
      codigo: string;
      nivel: number;
      parentId: number | null;
      posicion: number;
    }[];

  it('builds, moves, reorders and deletes elements of the tree', async () => {
    const p = await newPlan('Plan de prueba del árbol');
    const e1 = await add(p, '1');
    const e2 = await add(p, '2');
    const o11 = await add(p, '1.1', e1);
    const s111 = await add(p, '1.1.1', o11);
    const l = await add(p, '1.1.1.1', s111);
    // Four levels: a línea de acción has no children.
    const deep = await planner.post(`${base}/${p}/elements`, { parentId: l, codigo: 'X', titulo: 'Demasiado profundo' });
    expect(deep.statusCode).toBe(400);
    expect(deep.json().message).toMatch(/4 niveles/);
    // Duplicate code.
    expect((await planner.post(`${base}/${p}/elements`, { codigo: '1', titulo: 'Otra vez' })).statusCode).toBe(409);

    // Move objetivo 1.1 (with its subtree) under eje 2: levels stay, parent changes.
    const mv = await planner.post(`${base}/${p}/elements/${o11}/move`, { parentId: e2, posicion: 0 });
    expect(mv.statusCode, mv.body).toBe(200);
    let rows = await tree(p);
    expect(rows.map((r) => r.codigo)).toEqual(['1', '2', '1.1', '1.1.1', '1.1.1.1']);
    expect(rows.find((r) => r.id === o11)!.parentId).toBe(e2);

    // Moving the strategy to the top level lifts its subtree one level (its línea becomes level 3).
    await planner.post(`${base}/${p}/elements/${s111}/move`, { parentId: null, posicion: 0 });
    rows = await tree(p);
    expect(rows.map((r) => [r.codigo, r.nivel])).toEqual([
      ['1.1.1', 0],
      ['1.1.1.1', 1],
      ['1', 0],
      ['2', 0],
      ['1.1', 1],
    ]);
    expect(rows.filter((r) => r.parentId === null).map((r) => [r.codigo, r.posicion])).toEqual([
      ['1.1.1', 0],
      ['1', 1],
      ['2', 2],
    ]);

    // An element cannot move inside its own subtree, nor below the deepest level.
    expect((await planner.post(`${base}/${p}/elements/${s111}/move`, { parentId: l, posicion: 0 })).json().message).toMatch(
      /dentro de sí mismo/,
    );

    // Reorder: eje 2 first.
    await planner.post(`${base}/${p}/elements/${e2}/move`, { parentId: null, posicion: 0 });
    rows = await tree(p);
    expect(rows.filter((r) => r.parentId === null).map((r) => r.codigo)).toEqual(['2', '1.1.1', '1']);

    // Delete takes the subtree with it.
    const del = await planner.delete(`${base}/${p}/elements/${s111}`);
    expect(del.json()).toEqual({ eliminados: 2 });
    rows = await tree(p);
    expect(rows.map((r) => r.codigo)).toEqual(['2', '1.1', '1']);
    expect(rows.filter((r) => r.parentId === null).map((r) => r.posicion)).toEqual([0, 1]);
  });

  it('refuses to delete an element whose subtree is referenced by another plan or a POA action', async () => {
    const higher = await newPlan('Plan superior de prueba');
    const h1 = await add(higher, 'H1');
    const h11 = await add(higher, 'H1.1', h1);
    const lower = await newPlan('Plan alineado de prueba');
    const l1 = await add(lower, 'L1');
    const al = await planner.request('PUT', `${base}/${lower}/elements/${l1}/alignments`, { elementos: [h11], ods: ['16.7', '11.3'] });
    expect(al.statusCode, al.body).toBe(200);
    const before = await countRows(t.database, 'plan_elements');
    const del = await planner.delete(`${base}/${higher}/elements/${h1}`);
    expect(del.statusCode).toBe(409);
    expect(del.json().message).toMatch(/H1\.1: 1 elementos de otros planes alineados/);
    expect(await countRows(t.database, 'plan_elements')).toEqual(before);
    // Shown both ways.
    const up = (await planner.get(`${base}/${higher}/elements/${h11}`)).json();
    expect(up.alineadosDesde.map((a: { codigo: string }) => a.codigo)).toEqual(['L1']);
    const down = (await planner.get(`${base}/${lower}/elements/${l1}`)).json();
    expect(down.alineadoA.map((a: { codigo: string }) => a.codigo)).toEqual(['H1.1']);
    expect(down.ods).toEqual(['11.3', '16.7']);
    // Both plans are drafts: the ODS page does not list them yet.
    const ods = (await anon.get('/api/v1/ods/16/elements')).json() as { plan_id: number }[];
    expect(ods.length).toBeGreaterThan(0); // the demo PMD is public
    expect(ods.filter((o) => o.plan_id === lower)).toEqual([]);

    // A POA action aligned to an element blocks its deletion too.
    const dep = (
      await t.database.db.selectFrom('departments').select('id').where('municipality_id', '=', '32056').executeTakeFirstOrThrow()
    ).id;
    const prog = (
      await planner.post('/api/v1/municipalities/32056/programs', {
        anio: 2026,
        departmentId: dep,
        clave: 'PRUEBA-DEL',
        nombre: 'Programa de prueba',
      })
    ).json();
    const act = await planner.post('/api/v1/municipalities/32056/actions', {
      programId: prog.id,
      clave: 'PRUEBA-DEL-1',
      nombre: 'Acción de prueba',
      alineacion: [l1],
    });
    expect(act.statusCode, act.body).toBe(201);
    const del2 = await planner.delete(`${base}/${lower}/elements/${l1}`);
    expect(del2.statusCode).toBe(409);
    expect(del2.json().message).toMatch(/acciones del POA alineadas/);
  });

  it('enforces who moves each lifecycle step, freezes versions, and compares them', async () => {
    const p = await newPlan('Plan del ciclo de vida');
    const e1 = await add(p, '1');
    const o = await add(p, '1.1', e1);
    const go = (c: Client, a: string, extra: object = {}) => c.post(`${base}/${p}/transitions`, { a, ...extra });

    // Drafts are not public.
    expect((await anon.get(`${base}/${p}`)).statusCode).toBe(404);
    expect((await go(citizen, 'consulta')).statusCode).toBe(404);
    expect((await go(council, 'consulta')).statusCode).toBe(403);
    // A planner of another municipality does not even see the draft.
    expect((await go(otherPlanner, 'consulta')).statusCode).toBe(404);
    expect((await go(planner, 'aprobado')).statusCode).toBe(409);
    expect((await go(planner, 'consulta')).statusCode).toBe(200);
    expect((await anon.get(`${base}/${p}`)).statusCode).toBe(200);

    // Only the council validates.
    expect((await go(citizen, 'validacion')).statusCode).toBe(403);
    const pv = await go(planner, 'validacion');
    expect(pv.statusCode).toBe(403);
    expect(pv.json().message).toMatch(/Consejo Ciudadano/);
    expect((await go(council, 'validacion')).statusCode).toBe(200);
    // Validated plans are frozen for edits.
    expect((await planner.patch(`${base}/${p}/elements/${o}`, { titulo: 'Cambio tardío' })).statusCode).toBe(409);

    // Cabildo approval is recorded by the administration with date and acuerdo.
    expect((await go(planner, 'aprobado', { cabildoFecha: '2026-03-15', cabildoAcuerdo: 'AC-12/2026' })).statusCode).toBe(403);
    expect((await go(admin, 'aprobado')).statusCode).toBe(400);
    // Not without the Consejo Ciudadano's favourable resolution (recorded here directly; the session flow is tested in evaluation).
    const blocked = await go(admin, 'aprobado', { cabildoFecha: '2026-03-15', cabildoAcuerdo: 'AC-12/2026' });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().message).toMatch(/resolución favorable/);
    const ses = await t.database.db
      .insertInto('council_sessions')
      .values({ municipality_id: '32056', numero: 900, fecha: new Date('2026-03-01T17:00:00Z'), estado: 'cerrada', cerrada_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.database.db
      .insertInto('council_items')
      .values({
        municipality_id: '32056',
        session_id: ses.id,
        titulo: 'Validación del plan',
        tipo: 'plan',
        plan_id: p,
        resolucion: 'favorable_con_observaciones',
        votos_favor: 5,
        votos_contra: 1,
        abstenciones: 0,
      })
      .execute();
    const ap = await go(admin, 'aprobado', { cabildoFecha: '2026-03-15', cabildoAcuerdo: 'AC-12/2026' });
    expect(ap.statusCode, ap.body).toBe(200);
    expect(ap.json()).toMatchObject({ estado: 'aprobado', cabildoFecha: '2026-03-15', cabildoAcuerdo: 'AC-12/2026' });
    expect((await go(planner, 'vigente')).statusCode).toBe(200);

    let view = (await anon.get(`${base}/${p}`)).json();
    expect(view.versiones.map((v: { numero: number; estado: string }) => [v.numero, v.estado])).toEqual([
      [1, 'validacion'],
      [2, 'aprobado'],
    ]);
    expect(view.historial.map((h: { a: string }) => h.a)).toEqual(['consulta', 'validacion', 'aprobado', 'vigente']);
    expect(view.transicionesPermitidas).toEqual([]);

    // A revision: back to borrador, change, add, delete; compare the approved version with now.
    expect((await go(planner, 'borrador')).statusCode).toBe(200);
    await planner.patch(`${base}/${p}/elements/${o}`, { titulo: 'Objetivo reformulado' });
    await add(p, '2');
    const cmp = (await planner.get(`${base}/${p}/versions/compare?de=2&a=actual`)).json();
    expect(cmp.resumen).toEqual({ agregados: 1, eliminados: 0, modificados: 1 });
    expect(cmp.cambios.find((c: { codigo: string }) => c.codigo === '1.1').campos).toEqual([
      { campo: 'titulo', antes: 'Elemento 1.1', despues: 'Objetivo reformulado' },
    ]);
    // Versions 1 and 2 hold the same tree.
    expect((await council.get(`${base}/${p}/versions/compare?de=1&a=2`)).json().cambios).toEqual([]);
    // The frozen version did not change with the edit.
    view = (await planner.get(`${base}/${p}`)).json();
    expect(view.plan.cabildoAcuerdo).toBeNull();
  });

  it('lets registered people comment while in consultation; planners answer and hide with a public reason', async () => {
    const p = await newPlan('Plan en consulta');
    const e = await add(p, '1');
    expect((await citizen.post(`${base}/${p}/elements/${e}/comments`, { texto: 'Todavía no' })).statusCode).toBe(404); // draft: not visible
    await planner.post(`${base}/${p}/transitions`, { a: 'consulta' });
    expect((await anon.post(`${base}/${p}/elements/${e}/comments`, { texto: 'Sin cuenta' })).statusCode).toBe(401);
    const c1 = await citizen.post(`${base}/${p}/elements/${e}/comments`, { texto: 'Propongo incluir ciclovías en el centro.' });
    expect(c1.statusCode, c1.body).toBe(201);
    const c2 = await citizen.post(`${base}/${p}/elements/${e}/comments`, { texto: 'Comentario ofensivo de prueba' });
    // Only planners moderate.
    expect((await citizen.patch(`${base}/${p}/comments/${c1.json().id}`, { respuesta: 'Yo misma' })).statusCode).toBe(403);
    expect((await planner.patch(`${base}/${p}/comments/${c2.json().id}`, { oculto: true })).statusCode).toBe(400);
    expect(
      (await planner.patch(`${base}/${p}/comments/${c2.json().id}`, { oculto: true, motivoOculto: 'Lenguaje ofensivo' })).statusCode,
    ).toBe(200);
    expect(
      (await planner.patch(`${base}/${p}/comments/${c1.json().id}`, { respuesta: 'Gracias, se incorporó en la estrategia 1.2.' }))
        .statusCode,
    ).toBe(200);
    const pub = (await anon.get(`${base}/${p}/comments`)).json();
    expect(
      pub.map((c: { texto: string | null; oculto: boolean; motivoOculto: string | null; respuesta: string | null }) => [
        c.texto,
        c.oculto,
        c.motivoOculto,
        c.respuesta,
      ]),
    ).toEqual([
      ['Propongo incluir ciclovías en el centro.', false, null, 'Gracias, se incorporó en la estrategia 1.2.'],
      [null, true, 'Lenguaje ofensivo', null],
    ]);
    const summary = (await council.get(`${base}/${p}/comments/summary`)).json();
    expect(summary).toEqual([
      { codigo: '1', titulo: 'Elemento 1', comentarios: 2, visibles: 1, ocultos: 1, respondidos: 1, participantes: 1 },
    ]);
    const xlsx = await council.get(`${base}/${p}/comments/summary?formato=xlsx`);
    expect(xlsx.headers['content-type']).toMatch(/spreadsheetml/);
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(wb.getWorksheet('Resumen por elemento')!.getRow(2).values).toEqual([undefined, '1', 'Elemento 1', 2, 1, 1, 1, 1]);
    // Closed consultation: no more comments.
    await council.post(`${base}/${p}/transitions`, { a: 'validacion' });
    expect((await citizen.post(`${base}/${p}/elements/${e}/comments`, { texto: 'Tarde' })).statusCode).toBe(409);
  });

  it('imports an outline all or nothing and exports XLSX (loadable again) and a PDF with the text', async () => {
    const p = await newPlan('Plan importado desde esquema');
    const upload = (name: string, bytes: Buffer | string, dryRun = false) => {
      const m = multipart({ name, bytes }, dryRun ? { dryRun: 'true' } : {});
      return planner.request('POST', `${base}/${p}/outline`, m.payload, { headers: m.headers });
    };
    const bad = await upload('esquema.csv', 'nivel,codigo,texto\n1,1,Eje uno\n3,1.1.1,Sin objetivo\n');
    expect(bad.statusCode).toBe(422);
    expect(bad.json().details.errores).toEqual([
      { fila: 3, problema: 'Un elemento de nivel «Estrategia» necesita antes un «Objetivo» del que dependa.' },
    ]);
    expect(await tree(p)).toEqual([]);
    const csv =
      'nivel;codigo;texto;descripcion\nEje;1;Gobierno abierto;\nObjetivo;1.1;Participación ciudadana;Incluir a la sociedad\nEstrategia;1.1.1;Presupuesto participativo;\nEje;2;Ciudad ordenada;\n';
    const dry = await upload('esquema.csv', csv, true);
    expect(dry.statusCode).toBe(200);
    expect(dry.json().porNivel.map((n: { elementos: number }) => n.elementos)).toEqual([2, 1, 1, 0]);
    expect(await tree(p)).toEqual([]);
    const ok = await upload('esquema.csv', csv);
    expect(ok.statusCode, ok.body).toBe(201);
    const rows = await tree(p);
    expect(rows.map((r) => [r.codigo, r.nivel])).toEqual([
      ['1', 0],
      ['1.1', 1],
      ['1.1.1', 2],
      ['2', 0],
    ]);

    const xlsx = await anon.get(`${base}/${p}/export.xlsx`);
    expect(xlsx.statusCode).toBe(404); // still a draft
    const x = await planner.get(`${base}/${p}/export.xlsx`);
    expect(x.headers['content-type']).toMatch(/spreadsheetml/);
    // The exported outline loads into a new plan as is.
    const p2 = await newPlan('Copia desde XLSX');
    const m = multipart({ name: 'plan.xlsx', bytes: x.rawPayload });
    const again = await planner.request('POST', `${base}/${p2}/outline`, m.payload, { headers: m.headers });
    expect(again.statusCode, again.body).toBe(201);
    expect((await tree(p2)).map((r) => [r.codigo, r.nivel])).toEqual(rows.map((r) => [r.codigo, r.nivel]));

    const pdf = await planner.get(`${base}/${p}/export.pdf`);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const file = path.join(os.tmpdir(), `brj-plan-${process.pid}-${kind}.pdf`);
    fs.writeFileSync(file, pdf.rawPayload);
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    fs.rmSync(file);
    expect(text).toContain('Plan importado desde esquema');
    expect(text).toMatch(/1\.1\.1\s+Presupuesto participativo/);
    expect(text).toContain('Incluir a la sociedad');
    expect(text).toMatch(/Página 3 de 3|Página 2 de 2/);
  });
});
