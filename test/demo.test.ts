import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, testApp, type TestApp } from './helpers.ts';

describe('demonstration content', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp('pglite');
  });
  afterAll(() => t?.close());

  it('carries the PED Zacatecas governance figures with national comparisons, ranks and metas', async () => {
    const c = new Client(t.app);
    const idd = (await c.get('/api/v1/municipalities/32000/indicators/GOB-IDD')).json();
    expect(idd.comparativos).toEqual(
      expect.arrayContaining([expect.objectContaining({ serie: 'nacional', periodo: '2015', posicion: 23, de: 32 })]),
    );
    const iddValues = (await c.get('/api/v1/municipalities/32000/indicators/GOB-IDD/values?nivel=estado')).json();
    expect(iddValues).toEqual([expect.objectContaining({ cvegeo: '32', periodo: '2015', valor: 4774 })]);
    const pbr = (await c.get('/api/v1/municipalities/32000/indicators/GOB-PBR')).json();
    expect(pbr.metas).toEqual([{ anio: 2021, trimestre: null, valor: 70 }]);
    expect(pbr.comparativos).toEqual([expect.objectContaining({ serie: 'nacional', periodo: '2016', valor: 73.4 })]);
    const pbrValues = (await c.get('/api/v1/municipalities/32000/indicators/GOB-PBR/values?nivel=estado')).json();
    expect(pbrValues[0]).toMatchObject({ periodo: '2016', valor: 62.9 });
  });

  it('has demo series for the twelve themes whose AGEB parts add up to the municipal figure', async () => {
    const c = new Client(t.app);
    const list = (await c.get('/api/v1/municipalities/32056/indicators')).json();
    const themes = new Set(list.map((i: { tema: string }) => i.tema));
    expect(themes.size).toBe(12);
    expect(list.every((i: { isDemo: boolean }) => i.isDemo)).toBe(true);
    const direct = (await c.get('/api/v1/municipalities/32056/indicators/SEG-01/values?nivel=municipio')).json();
    expect(direct.map((r: { periodo: string }) => r.periodo)).toEqual([
      '2015',
      '2016',
      '2017',
      '2018',
      '2019',
      '2020',
      '2021',
      '2022',
      '2023',
      '2024',
      '2025',
    ]);
    const rolled = (await c.get('/api/v1/municipalities/32056/indicators/SEG-01/values?nivel=municipio&agregarDesde=ageb')).json();
    expect(rolled.map((r: { valor: number }) => r.valor)).toEqual(direct.map((r: { valor: number }) => r.valor));
    expect(direct.find((r: { periodo: string }) => r.periodo === '2024').semaforo).toMatch(/verde|amarillo|rojo/);
  });
});

describe('indicator downloads and dashboard', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp('pglite');
  });
  afterAll(() => t?.close());

  it("downloads CSV and XLSX with the values the API gives, as the page shows them (the indicator's decimals)", async () => {
    const c = new Client(t.app);
    const { decimales } = (await c.get('/api/v1/municipalities/32017/indicators/DH-01')).json();
    const raw = (await c.get('/api/v1/municipalities/32017/indicators/DH-01/values?nivel=ageb&periodo=2024')).json();
    expect(raw.length).toBeGreaterThan(30);
    // Computed ratios carry more decimals than the indicator shows…
    expect(raw.some((r: { valor: number }) => r.valor !== Number(r.valor.toFixed(decimales)))).toBe(true);
    // …and every download rounds them the same way the page does.
    const json = raw.map((r: { valor: number }) => ({ valor: Number(r.valor.toFixed(decimales)) }));
    const csv = await c.get('/api/v1/municipalities/32017/indicators/DH-01/values.csv?nivel=ageb&periodo=2024');
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('clave,cvegeo,unidad,periodo,desagregacion,valor,meta,semaforo,motivo');
    expect(
      lines
        .slice(1)
        .map((l) => l.split(',')[5])
        .map(Number),
    ).toEqual(json.map((r: { valor: number }) => r.valor));
    const xlsx = await t.app.inject({
      method: 'GET',
      url: '/api/v1/municipalities/32017/indicators/DH-01/values.xlsx?nivel=ageb&periodo=2024',
    });
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const values: number[] = [];
    wb.worksheets[0].eachRow((row, n) => n > 1 && values.push(Number(row.getCell(6).value)));
    expect(values).toEqual(json.map((r: { valor: number }) => r.valor));
  });

  it('offers a load template with the indicator variables', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/municipalities/32056/indicators/SEG-01/plantilla.xlsx' });
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const rows: string[][] = [];
    wb.worksheets[0].eachRow((row) => rows.push((row.values as string[]).slice(1, 4)));
    expect(rows[0]).toEqual(['clave', 'cvegeo', 'periodo']);
    expect(
      rows
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual(['DELITOS', 'POB_TOT']);
    expect(rows[1][1]).toBe('32056');
  });

  it('summarises ¿Cómo vamos? by theme with the latest values', async () => {
    const d = (await new Client(t.app).get('/api/v1/municipalities/32056/indicators-dashboard')).json();
    expect(d.temas).toHaveLength(12);
    const total = d.temas.reduce(
      (a: number, x: { verde: number; amarillo: number; rojo: number; sinDato: number }) => a + x.verde + x.amarillo + x.rojo + x.sinDato,
      0,
    );
    expect(total).toBe(d.indicadores.length);
    const seg = d.indicadores.find((i: { clave: string }) => i.clave === 'SEG-01');
    expect(seg.periodo).toBe('2025');
    expect(seg.odsMeta).toBe('16.1');
    expect(seg.cambio).toBeCloseTo(((seg.valor - seg.anterior) / seg.anterior) * 100, 0);
    const state = (await new Client(t.app).get('/api/v1/municipalities/32000/indicators-dashboard')).json();
    expect(state.indicadores.find((i: { clave: string }) => i.clave === 'GOB-PBR')).toMatchObject({ valor: 62.9, periodo: '2016' });
  });
  it("opens the government's evaluation on the latest year with data, and says which", async () => {
    const c = new Client(t.app);
    const sum = (o: { planes: { metasPorSemaforo: Record<string, number> }[] }) =>
      o.planes.reduce(
        (a, p) => ({
          con: a.con + p.metasPorSemaforo.verde + p.metasPorSemaforo.amarillo + p.metasPorSemaforo.rojo,
          sin: a.sin + p.metasPorSemaforo.sinDatos,
        }),
        { con: 0, sin: 0 },
      );
    const overview = (await c.get('/api/v1/municipalities/32056/evaluation/overview')).json();
    expect(overview.periodo).toMatch(/^\d{4}$/);
    const chosen = sum(overview);
    expect(chosen.con).toBeGreaterThanOrEqual(chosen.sin);
    // The current year is chosen only when it already has the values; otherwise an earlier one.
    const year = String(new Date().getFullYear());
    const current = sum((await c.get(`/api/v1/municipalities/32056/evaluation/overview?periodo=${year}`)).json());
    expect(overview.periodo === year).toBe(current.con >= current.sin);
    // A plan's scorecard and the state's side-by-side view do the same.
    const plan = overview.planes[0];
    const card = (await c.get(`/api/v1/municipalities/32056/plans/${plan.id}/scorecard`)).json();
    expect(card.metasPorSemaforo.verde + card.metasPorSemaforo.amarillo + card.metasPorSemaforo.rojo).toBeGreaterThanOrEqual(
      card.metasPorSemaforo.sinDatos,
    );
    expect((await c.get('/api/v1/evaluation/municipalities')).json().periodo).toMatch(/^\d{4}$/);
  });
});
