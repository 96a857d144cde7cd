import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, countRows, TARGETS, testApp, type TestApp } from '../../../../test/helpers.ts';
import { evaluate, FormulaError, parseFormula } from './formula.ts';
import { avance, metaFor, semaforo } from './semaforo.ts';

describe('formula', () => {
  it('parses arithmetic over variables with precedence and parentheses', () => {
    expect(evaluate(parseFormula('A / B * 100000'), { A: 3, B: 150000 })).toEqual({ value: 2, reason: null });
    expect(evaluate(parseFormula('(A - B) / B * 100'), { A: 110, B: 100 })).toEqual({ value: 10, reason: null });
    expect(evaluate(parseFormula('A + B * 2'), { A: 1, B: 2 })).toEqual({ value: 5, reason: null });
    expect(evaluate(parseFormula('-A + 3'), { A: 1 })).toEqual({ value: 2, reason: null });
    expect(evaluate(parseFormula('A × 2 ÷ B'), { A: 3, B: 2 })).toEqual({ value: 3, reason: null });
  });
  it('gives no value with a reason on division by zero or a missing variable', () => {
    expect(evaluate(parseFormula('A / B'), { A: 1, B: 0 })).toEqual({ value: null, reason: 'División entre cero' });
    expect(evaluate(parseFormula('A / (B - C)'), { A: 1, B: 2, C: 2 })).toEqual({ value: null, reason: 'División entre cero' });
    expect(evaluate(parseFormula('A / B'), { A: 1 })).toEqual({ value: null, reason: 'Falta el dato de B' });
  });
  it('rejects malformed formulas with a Spanish message', () => {
    expect(() => parseFormula('A / ')).toThrow(FormulaError);
    expect(() => parseFormula('(A + B')).toThrow('Falta cerrar un paréntesis');
    expect(() => parseFormula('A $ B')).toThrow('Carácter no válido');
    expect(() => parseFormula('A B')).toThrow('Sobra "B"');
    expect(() => parseFormula('')).toThrow('vacía');
  });
});

describe('semáforo', () => {
  it('ascendente: green up to 5 % short of the meta, yellow up to 15 %, red beyond', () => {
    expect(semaforo(120, 100, 'ascendente')).toBe('verde');
    expect(semaforo(95, 100, 'ascendente')).toBe('verde');
    expect(semaforo(94.99, 100, 'ascendente')).toBe('amarillo');
    expect(semaforo(85, 100, 'ascendente')).toBe('amarillo');
    expect(semaforo(84.99, 100, 'ascendente')).toBe('rojo');
  });
  it('descendente: over the meta is what falls short', () => {
    expect(semaforo(80, 100, 'descendente')).toBe('verde');
    expect(semaforo(105, 100, 'descendente')).toBe('verde');
    expect(semaforo(105.01, 100, 'descendente')).toBe('amarillo');
    expect(semaforo(115, 100, 'descendente')).toBe('amarillo');
    expect(semaforo(115.01, 100, 'descendente')).toBe('rojo');
  });
  it('honours per-indicator thresholds and missing data', () => {
    expect(semaforo(90, 100, 'ascendente', 10, 20)).toBe('verde');
    expect(semaforo(79, 100, 'ascendente', 10, 20)).toBe('rojo');
    expect(semaforo(null, 100, 'ascendente')).toBeNull();
    expect(semaforo(5, null, 'ascendente')).toBeNull();
  });
  it('computes progress from the baseline and picks the quarter meta before the year meta', () => {
    expect(avance(60, 100, 'ascendente', 20)).toBe(50);
    expect(avance(50, 100, 'ascendente')).toBe(50);
    const metas = [
      { anio: 2024, trimestre: null, valor: 10 },
      { anio: 2024, trimestre: 2, valor: 4 },
    ];
    expect(metaFor('2024-T2', metas)).toBe(4);
    expect(metaFor('2024-05', metas)).toBe(4);
    expect(metaFor('2024-T3', metas)).toBe(10);
    expect(metaFor('2023', metas)).toBeNull();
  });
});

async function upload(t: TestApp, c: Client, mid: string, file: Buffer, name: string, fields: Record<string, string> = {}) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([new Uint8Array(file)]), name);
  const req = new Request('http://x', { method: 'POST', body: form });
  if (!c.csrf) await c.fetchCsrf();
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/municipalities/${mid}/indicators/data`,
    payload: Buffer.from(await req.arrayBuffer()),
    headers: {
      'content-type': req.headers.get('content-type')!,
      'x-csrf-token': c.csrf!,
      cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    },
  });
}

const DATA_TABLES = ['indicator_observations', 'indicator_loads', 'audit_log'];

describe.each(TARGETS)('indicators on %s', (kind) => {
  let t: TestApp;
  let planner: Client;
  let agebs: string[];
  let depSOP: number;
  let depDS: number;
  beforeAll(async () => {
    t = await testApp(kind);
    planner = await new Client(t.app).login('planeacion@demo.brujula.mx');
    agebs = (
      await t.database.db
        .selectFrom('territorial_units')
        .select('cvegeo')
        .where('municipality_id', '=', '32056')
        .where('level', '=', 'ageb')
        .orderBy('cvegeo')
        .limit(3)
        .execute()
    ).map((a) => a.cvegeo);
    const deps = await t.database.db.selectFrom('departments').select(['id', 'acronym']).where('municipality_id', '=', '32056').execute();
    depSOP = deps.find((d) => d.acronym === 'SOP')!.id;
    depDS = deps.find((d) => d.acronym === 'DS')!.id;
    // The indicator the data tests load and read: homicides per 100 thousand, published, meta 20 for 2024.
    await variables('T_HOM', 'T_POB');
    await indicator('T-SEG-01', 'T_HOM / T_POB * 100000');
    expect((await planner.patch('/api/v1/municipalities/32056/indicators/T-SEG-01', { estado: 'publicado' })).statusCode).toBe(200);
  });
  afterAll(() => t?.close());

  /** Two variables of a homicide rate: deaths (Obras Públicas' to load) and population (Desarrollo Social's). */
  const variables = async (hom: string, pob: string) => {
    for (const v of [
      { clave: hom, nombre: 'Defunciones por homicidio', fuente: 'INEGI, Estadísticas de mortalidad', departmentId: depSOP },
      { clave: pob, nombre: 'Población total', fuente: 'INEGI, Censo 2020', departmentId: depDS },
    ]) {
      const r = await planner.post('/api/v1/municipalities/32056/variables', v);
      expect(r.statusCode, r.body).toBe(201);
    }
  };
  /** A draft indicator over them, descending, with a meta of 20 for 2024. */
  const indicator = async (clave: string, formula: string) => {
    const res = await planner.post('/api/v1/municipalities/32056/indicators', {
      clave,
      nombre: 'Tasa de homicidios por cada 100 mil habitantes',
      tema: 'seguridad',
      odsMeta: '16.1',
      formula,
      metodoCalculo: '(Defunciones por homicidio / Población total) × 100,000',
      sentido: 'descendente',
      unidadMedida: 'homicidios por 100 mil hab.',
      departmentId: depSOP,
      cobertura: ['municipio', 'ageb'],
    });
    expect(res.statusCode, res.body).toBe(201);
    const metas = await planner.request('PUT', `/api/v1/municipalities/32056/indicators/${clave}/metas`, [{ anio: 2024, valor: 20 }]);
    expect(metas.statusCode, metas.body).toBe(200);
  };

  it('lets a planner define variables and an indicator whose formula uses them', async () => {
    await variables('T_DEF_HOM', 'T_DEF_POB');
    const bad = await planner.post('/api/v1/municipalities/32056/indicators', {
      clave: 'X',
      nombre: 'Indicador roto',
      tema: 'seguridad',
      formula: 'T_DEF_HOM / NO_EXISTE',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/NO_EXISTE/);
    await indicator('T-DEF-01', 'T_DEF_HOM / T_DEF_POB * 100000');
    const ficha = (await planner.get('/api/v1/municipalities/32056/indicators/T-DEF-01')).json();
    expect(ficha).toMatchObject({ formula: 'T_DEF_HOM / T_DEF_POB * 100000', estado: 'borrador', metas: [{ anio: 2024, valor: 20 }] });
    expect(ficha.variables.map((v: { clave: string }) => v.clave).sort()).toEqual(['T_DEF_HOM', 'T_DEF_POB']);
  });

  it('keeps drafts private to the municipality', async () => {
    await indicator('T-SEG-02', 'T_HOM / T_POB * 100000');
    expect((await new Client(t.app).get('/api/v1/municipalities/32056/indicators/T-SEG-02')).statusCode).toBe(404);
    const publicList = (await new Client(t.app).get('/api/v1/municipalities/32056/indicators')).json();
    expect(publicList.map((i: { clave: string }) => i.clave)).not.toContain('T-SEG-02');
    expect(publicList.length).toBeGreaterThan(0);
    const other = await new Client(t.app).login('planeacion.guadalupe@demo.brujula.mx');
    expect((await other.get('/api/v1/municipalities/32056/indicators/T-SEG-02')).statusCode).toBe(404);
    expect(
      (await other.post('/api/v1/municipalities/32056/indicators', { clave: 'Y', nombre: 'Intruso', tema: 'seguridad', formula: 'T_POB' }))
        .statusCode,
    ).toBe(403);
    const council = await new Client(t.app).login('consejo@demo.brujula.mx');
    expect((await council.get('/api/v1/municipalities/32056/indicators/T-SEG-02')).statusCode).toBe(200);
    expect((await planner.patch('/api/v1/municipalities/32056/indicators/T-SEG-02', { estado: 'publicado' })).statusCode).toBe(200);
    const ficha = (await new Client(t.app).get('/api/v1/municipalities/32056/indicators/T-SEG-02')).json();
    expect(ficha).toMatchObject({
      clave: 'T-SEG-02',
      tema: 'seguridad',
      sentido: 'descendente',
      semaforoVerde: 5,
      semaforoAmarillo: 15,
      metas: [{ anio: 2024, valor: 20 }],
    });
    expect(ficha.variables.map((v: { clave: string }) => v.clave).sort()).toEqual(['T_HOM', 'T_POB']);
    expect(
      (await new Client(t.app).get('/api/v1/municipalities/32056/indicators')).json().map((i: { clave: string }) => i.clave),
    ).toContain('T-SEG-02');
  });

  it('rejects an upload with a bad row and keeps nothing', async () => {
    const before = await countRows(t.database, ...DATA_TABLES);
    const csv = [
      'clave,cvegeo,periodo,desagregacion,valor',
      `T_POB,${agebs[0]},2024,total,"1,000"`,
      `T_POB,${agebs[1]},2024,,dos mil`,
      `NADA,${agebs[1]},2024,,5`,
      `T_POB,99999,24,total,5`,
    ].join('\n');
    const res = await upload(t, planner, '32056', Buffer.from(csv), 'datos.csv');
    expect(res.statusCode).toBe(422);
    const errs = res.json().details.errores;
    expect(errs).toEqual([
      { fila: 3, columna: 'valor', problema: expect.stringMatching(/no numérico/) },
      { fila: 4, columna: 'clave', problema: expect.stringMatching(/NADA.*no existe/) },
      { fila: 5, columna: 'cvegeo', problema: expect.stringMatching(/99999.*no existe/) },
    ]);
    expect(await countRows(t.database, ...DATA_TABLES)).toEqual(before);
    const dry = await upload(t, planner, '32056', Buffer.from(csv), 'datos.csv', { dryRun: 'true' });
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ dryRun: true, committed: false, filas: 4, validas: 1 });
    expect(await countRows(t.database, ...DATA_TABLES)).toEqual(before);
  });

  it('loads an XLSX, computes per AGEB with reasons, and rolls the ratio up from its parts', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('datos');
    ws.addRow(['clave', 'cvegeo', 'periodo', 'desagregacion', 'valor']);
    // AGEB 0: 3 homicides / 10,000 people; AGEB 1: 1 / 40,000; AGEB 2: population 0 (division by zero).
    for (const [clave, i, v] of [
      ['T_HOM', 0, 3],
      ['T_POB', 0, 10000],
      ['T_HOM', 1, 1],
      ['T_POB', 1, 40000],
      ['T_HOM', 2, 0],
      ['T_POB', 2, 0],
    ] as const) {
      ws.addRow([clave, agebs[i], '2024', 'total', v]);
    }
    ws.addRow(['T_POB', agebs[0], '2023', 'total', 9000]); // 2023 has no homicide data: missing variable
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await upload(t, planner, '32056', xlsx, 'datos.xlsx');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ committed: true, filas: 7, insertadas: 7, actualizadas: 0 });

    const ageb = (await new Client(t.app).get('/api/v1/municipalities/32056/indicators/T-SEG-01/values?nivel=ageb')).json();
    const at = (cvegeo: string, periodo: string) =>
      ageb.find((r: { cvegeo: string; periodo: string }) => r.cvegeo === cvegeo && r.periodo === periodo);
    expect(at(agebs[0], '2024')).toMatchObject({ valor: 30, motivo: null, meta: 20, semaforo: 'rojo' });
    expect(at(agebs[1], '2024')).toMatchObject({ valor: 2.5, semaforo: 'verde' });
    expect(at(agebs[2], '2024')).toMatchObject({ valor: null, motivo: 'División entre cero', semaforo: null });
    expect(at(agebs[0], '2023')).toMatchObject({ valor: null, motivo: 'Falta el dato de T_HOM' });

    // Municipality from AGEBs: (3 + 1 + 0) / (10,000 + 40,000 + 0) × 100,000 = 8 — not the mean of 30 and 2.5.
    const mun = (
      await new Client(t.app).get('/api/v1/municipalities/32056/indicators/T-SEG-01/values?nivel=municipio&agregarDesde=ageb&periodo=2024')
    ).json();
    expect(mun).toHaveLength(1);
    expect(mun[0]).toMatchObject({ cvegeo: '32056', periodo: '2024', valor: 8, meta: 20, semaforo: 'verde', avance: 250 });

    // Public responses are cached with an ETag, and a new load shows at once.
    const url = `/api/v1/municipalities/32056/indicators/T-SEG-01/values?nivel=ageb&periodo=2024`;
    const a = await t.app.inject({ method: 'GET', url });
    expect(a.statusCode).toBe(200);
    expect(a.headers.etag).toBeTruthy();
    expect((await t.app.inject({ method: 'GET', url, headers: { 'if-none-match': a.headers.etag as string } })).statusCode).toBe(304);
    // Large answers go out brotli-compressed to clients that accept it.
    const big = '/api/v1/municipalities/32056/indicators/SEG-01/values?nivel=ageb';
    const plain = await t.app.inject({ method: 'GET', url: big });
    const br = await t.app.inject({ method: 'GET', url: big, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 4);
    const zlib = await import('node:zlib');
    expect(JSON.parse(zlib.brotliDecompressSync(br.rawPayload).toString())).toEqual(plain.json());

    // Loading the same cell again updates it instead of duplicating it.
    const again = await upload(
      t,
      planner,
      '32056',
      Buffer.from(`clave,cvegeo,periodo,desagregacion,valor\nT_HOM,${agebs[0]},2024,total,4\n`),
      'corrige.csv',
    );
    expect(again.json()).toMatchObject({ insertadas: 0, actualizadas: 1 });
    const b = await t.app.inject({ method: 'GET', url });
    expect(b.json().find((r: { cvegeo: string }) => r.cvegeo === agebs[0]).valor).toBe(40);
    expect(b.headers.etag).not.toBe(a.headers.etag);
    const hist = (
      await new Client(t.app).get(
        `/api/v1/history/indicator_observations/${(await t.database.db.selectFrom('indicator_variables').select('id').where('clave', '=', 'T_HOM').executeTakeFirstOrThrow()).id}`,
      )
    ).json();
    expect(hist.items[0]).toMatchObject({
      action: 'update',
      before: expect.objectContaining({ valor: 3 }),
      after: expect.objectContaining({ valor: 4 }),
    });
  });

  it('lets an enlace load only the variables of their department', async () => {
    const enlace = await new Client(t.app).login('enlace.obras@demo.brujula.mx');
    const before = await countRows(t.database, ...DATA_TABLES);
    const mixed = `clave,cvegeo,periodo,desagregacion,valor\nT_HOM,${agebs[0]},2025,total,2\nT_POB,${agebs[0]},2025,total,10100\n`;
    const denied = await upload(t, enlace, '32056', Buffer.from(mixed), 'enlace.csv');
    expect(denied.statusCode).toBe(422);
    expect(denied.json().details.errores).toEqual([{ fila: 3, columna: 'clave', problema: expect.stringMatching(/otra dependencia/) }]);
    expect(await countRows(t.database, ...DATA_TABLES)).toEqual(before);
    const own = await upload(
      t,
      enlace,
      '32056',
      Buffer.from(`clave,cvegeo,periodo,desagregacion,valor\nT_HOM,${agebs[0]},2025,total,2\n`),
      'enlace.csv',
    );
    expect(own.statusCode, own.body).toBe(201);
    // An enlace edits no fichas; a citizen loads nothing.
    expect((await enlace.patch('/api/v1/municipalities/32056/indicators/T-SEG-01', { nombre: 'Otro nombre' })).statusCode).toBe(403);
    const citizen = await new Client(t.app).login('ciudadana@demo.brujula.mx');
    expect((await upload(t, citizen, '32056', Buffer.from(mixed), 'x.csv')).statusCode).toBe(403);
  });

  it('lets a department system push JSON with its API token, only for its own variables', async () => {
    const created = await planner.post('/api/v1/municipalities/32056/api-tokens', { name: 'Sistema de Obras', departmentId: depSOP });
    expect(created.statusCode, created.body).toBe(201);
    const { id, token } = created.json();
    const push = (body: unknown, tok = token) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/municipalities/32056/indicators/data.json',
        payload: body as object,
        headers: { authorization: `Bearer ${tok}` },
      });
    const before = await countRows(t.database, ...DATA_TABLES);
    const denied = await push({ observaciones: [{ clave: 'T_POB', cvegeo: agebs[0], periodo: '2026', valor: 5 }] });
    expect(denied.statusCode).toBe(422);
    expect(denied.json().details.errores[0].problema).toMatch(/otra dependencia/);
    expect(await countRows(t.database, ...DATA_TABLES)).toEqual(before);
    const ok = await push({ observaciones: [{ clave: 'T_HOM', cvegeo: agebs[0], periodo: '2026', valor: 7 }] });
    expect(ok.statusCode, ok.body).toBe(201);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['via', 'actor_id'])
      .where('entity', '=', 'indicator_observations')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit).toEqual({ via: `token:${id} Sistema de Obras`, actor_id: null });
    // A token is no planner: it edits no fichas and mints no tokens.
    const asToken = { authorization: `Bearer ${token}` };
    expect(
      (
        await t.app.inject({
          method: 'PATCH',
          url: '/api/v1/municipalities/32056/indicators/T-SEG-01',
          payload: { nombre: 'Otro nombre' },
          headers: asToken,
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/municipalities/32056/api-tokens',
          payload: { name: 'otro', departmentId: depSOP },
          headers: asToken,
        })
      ).statusCode,
    ).toBe(403);
    // Revoked, it opens nothing.
    expect((await planner.delete(`/api/v1/municipalities/32056/api-tokens/${id}`)).statusCode).toBe(200);
    const revoked = await push({ observaciones: [{ clave: 'T_HOM', cvegeo: agebs[0], periodo: '2027', valor: 1 }] });
    expect(revoked.statusCode).toBe(401);
    expect((await push({ observaciones: [] }, 'brj_nope-nope-nope-nope-nope')).statusCode).toBe(401);
  });

  it('refuses to roll up a variable that is not a count', async () => {
    await planner.post('/api/v1/municipalities/32056/variables', { clave: 'T_IDX', nombre: 'Índice compuesto', agregacion: 'ninguna' });
    await planner.post('/api/v1/municipalities/32056/indicators', {
      clave: 'T-GOB-01',
      nombre: 'Índice',
      tema: 'gobierno',
      formula: 'T_IDX',
      estado: 'publicado',
    });
    const res = await new Client(t.app).get('/api/v1/municipalities/32056/indicators/T-GOB-01/values?nivel=municipio&agregarDesde=ageb');
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/T_IDX no son conteos sumables/);
  });
});
