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
    expect(idd.comparativos).toEqual(expect.arrayContaining([expect.objectContaining({ serie: 'nacional', periodo: '2015', posicion: 23, de: 32 })]));
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
    expect(direct.map((r: { periodo: string }) => r.periodo)).toEqual(['2015', '2016', '2017', '2018', '2019', '2020', '2021', '2022', '2023', '2024', '2025']);
    const rolled = (await c.get('/api/v1/municipalities/32056/indicators/SEG-01/values?nivel=municipio&agregarDesde=ageb')).json();
    expect(rolled.map((r: { valor: number }) => r.valor)).toEqual(direct.map((r: { valor: number }) => r.valor));
    expect(direct.find((r: { periodo: string }) => r.periodo === '2024').semaforo).toMatch(/verde|amarillo|rojo/);
  });
});
