import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Client, countRows, multipart, TARGETS, testApp, type TestApp } from '../../../../test/helpers.ts';
import { parseLocalTime, periodRange } from './service.ts';

describe('emergency call parsing', () => {
  it('reads ISO and Mexican date-times as local wall-clock time and refuses impossible dates', () => {
    expect(parseLocalTime('2025-03-14 21:05')).toBe('2025-03-14T21:05:00');
    expect(parseLocalTime('14/03/2025 21:05:30')).toBe('2025-03-14T21:05:30');
    expect(parseLocalTime('31/02/2025 10:00')).toBeNull();
    expect(parseLocalTime('2025-03-14')).toBeNull();
    expect(periodRange('2025-T4')).toEqual(['2025-10-01', '2026-01-01']);
    expect(periodRange('2024-02')).toEqual(['2024-02-01', '2024-03-01']);
    expect(periodRange('2025')).toEqual(['2025-01-01', '2026-01-01']);
  });
});

describe.each(TARGETS)('emergency calls on %s', (kind) => {
  let t: TestApp;
  let planner: Client, anon: Client, citizen: Client;
  const m = '/api/v1/municipalities/32056/emergency-calls';
  let centro: [number, number], lejos: [number, number];
  // Calls are counted per municipality: each test starts from its own fresh installation.
  beforeEach(async () => {
    t = await testApp(kind);
    planner = await new Client(t.app).login('planeacion@demo.brujula.mx');
    citizen = await new Client(t.app).login('ciudadana@demo.brujula.mx');
    anon = new Client(t.app);
    const p = await sql<{
      x: number;
      y: number;
    }>`select ST_X(p) as x, ST_Y(p) as y from (select ST_PointOnSurface(geom) as p from territorial_units where municipality_id = '32056' and level = 'colonia' and name = 'Centro Histórico') c`.execute(
      t.database.db,
    );
    centro = [p.rows[0].x, p.rows[0].y];
    const q = await sql<{
      x: number;
      y: number;
    }>`select ST_X(p) as x, ST_Y(p) as y from (select ST_PointOnSurface(geom) as p from territorial_units where municipality_id = '32056' and level = 'colonia' and name = 'Las Huertas') c`.execute(
      t.database.db,
    );
    lejos = [q.rows[0].x, q.rows[0].y];
  });
  afterEach(() => t?.close());

  const upload = (client: Client, csv: string, fields: Record<string, string> = {}) => {
    const body = multipart({ name: 'llamadas.csv', bytes: csv, type: 'text/csv' }, fields);
    return client.request('POST', `${m}/imports`, body.payload, { headers: body.headers });
  };
  const row = (when: string, tipo: string, prioridad: string, [x, y]: [number, number], folio = '') =>
    `${when},${tipo},${prioridad},${y},${x},${folio}`;

  const header = 'fecha_hora,tipo,prioridad,latitud,longitud,folio';
  // Friday 14 March 2025 at 21:05, 21:40 and 21:50 in the centre, Wednesday 1 January 2025 at 00:30 in
  // Las Huertas (Mexico City time).
  const fourCalls = () => [
    row('2025-03-14 21:05', 'Riña', 'alta', centro, 'F1'),
    row('14/03/2025 21:40', 'Riña', '2', centro, 'F2'),
    row('2025-03-14 21:50', 'Riña', 'media', centro, 'F3'),
    row('01/01/2025 00:30', 'Urgencia médica', 'Alta', lejos, 'F4'),
  ];
  const importFour = async () => {
    const ok = await upload(planner, [header, ...fourCalls()].join('\n'));
    expect(ok.statusCode, ok.body).toBe(200);
    return ok;
  };

  it('imports a 9-1-1 export all or nothing, places each call in its colonia and AGEB, and counts by hour, weekday and month', async () => {
    const calls = fourCalls();
    // A bad row and a call outside the municipality cancel the whole file.
    const bad = await upload(planner, [header, ...calls, row('2025-02-30 10:00', 'Robo', 'baja', centro)].join('\n'));
    expect(bad.statusCode).toBe(422);
    expect(bad.json().details.errores).toEqual([
      { fila: 6, columna: 'fecha_hora', problema: 'Fecha y hora no válidas: «2025-02-30 10:00». Use AAAA-MM-DD HH:MM o DD/MM/AAAA HH:MM.' },
    ]);
    const outside = await upload(planner, [header, ...calls, row('2025-02-01 10:00', 'Robo', 'baja', [-101.0, 23.5])].join('\n'));
    expect(outside.statusCode).toBe(422);
    expect(outside.json().details.errores).toEqual([
      { fila: 6, columna: 'latitud', problema: 'La ubicación queda fuera del municipio 32056.' },
    ]);
    expect((await upload(planner, 'fecha,tipo,latitud\n2025-01-01,Riña,22.7')).json().message).toMatch(/Faltan columnas: longitud/);
    expect((await countRows(t.database, 'emergency_calls')).emergency_calls).toBe(0);
    // A dry run reports and keeps nothing; citizens cannot load.
    const dry = await upload(planner, [header, ...calls].join('\n'), { dryRun: 'true' });
    expect(dry.json()).toMatchObject({ dryRun: true, committed: false, validas: 4, porTipo: { Riña: 3, 'Urgencia médica': 1 } });
    expect((await countRows(t.database, 'emergency_calls')).emergency_calls).toBe(0);
    expect((await upload(citizen, [header, ...calls].join('\n'))).statusCode).toBe(403);

    const ok = await importFour();
    expect(ok.json()).toMatchObject({ committed: true, validas: 4, desde: '2025-01-01T06:30:00.000Z', hasta: '2025-03-15T03:50:00.000Z' });
    const placed = await sql<{
      folio: string;
      colonia: string;
      ageb: boolean;
      mes: number;
      dia_semana: number;
      hora: number;
      prioridad: string;
    }>`
      select c.folio, u.name as colonia, c.ageb_id is not null as ageb, c.mes, c.dia_semana, c.hora, c.prioridad from emergency_calls c left join territorial_units u on u.id = c.colonia_id order by c.folio`.execute(
      t.database.db,
    );
    expect(placed.rows).toEqual([
      { folio: 'F1', colonia: 'Centro Histórico', ageb: true, mes: 3, dia_semana: 5, hora: 21, prioridad: 'alta' },
      { folio: 'F2', colonia: 'Centro Histórico', ageb: true, mes: 3, dia_semana: 5, hora: 21, prioridad: 'media' },
      { folio: 'F3', colonia: 'Centro Histórico', ageb: true, mes: 3, dia_semana: 5, hora: 21, prioridad: 'media' },
      { folio: 'F4', colonia: 'Las Huertas', ageb: true, mes: 1, dia_semana: 3, hora: 0, prioridad: 'alta' },
    ]);
    const s = (await anon.get(`${m}/summary`)).json();
    expect(s.total).toBe(4);
    expect(s.porHora[21]).toBe(3);
    expect(s.porDia).toEqual([0, 0, 0, 1, 0, 3, 0]);
    expect(s.porMes[2]).toBe(3);
    // Filters: type, month, weekday, an hour range across midnight.
    const riñas = (await anon.get(`${m}/summary?tipo=Ri%C3%B1a`)).json();
    expect(riñas.total).toBe(3);
    // The type list keeps every type (to add one to the filter), counted with the other filters.
    expect(riñas.porTipo).toEqual([
      { tipo: 'Riña', n: 3 },
      { tipo: 'Urgencia médica', n: 1 },
    ]);
    expect((await anon.get(`${m}/summary?mes=1&mes=2`)).json().total).toBe(1);
    expect((await anon.get(`${m}/summary?dia=3`)).json().total).toBe(1);
    expect((await anon.get(`${m}/summary?horaDesde=23&horaHasta=1`)).json().total).toBe(1);
    expect((await anon.get(`${m}/summary?desde=2025-03-14&hasta=2025-03-14`)).json().total).toBe(3);

    const units = (await anon.get(`${m}/by-unit?nivel=colonia`)).json();
    expect(units.unidades.slice(0, 2).map((u: { nombre: string; n: number }) => [u.nombre, u.n])).toEqual([
      ['Centro Histórico', 3],
      ['Las Huertas', 1],
    ]);
    const csv = await anon.get(`${m}/by-unit?nivel=colonia&formato=csv`);
    expect(csv.body).toMatch(/^\uFEFFcvegeo,nombre,llamadas,poblacion,tasa_por_mil\r\n32056-COL-001,Centro Histórico,3,/);
  });

  it('hides sparse cells from the public heat map but shows them to staff', async () => {
    await importFour();
    const bbox = `${centro[0] - 0.05},${centro[1] - 0.05},${centro[0] + 0.05},${centro[1] + 0.05}`;
    const pub = (await anon.get(`${m}/heat?bbox=${bbox}&zoom=16`)).json();
    // Three calls at one place make a cell; the lone call elsewhere is not shown to the public.
    expect(pub.features.map((f: { properties: { n: number } }) => f.properties.n)).toEqual([3]);
    expect(pub.celda).toBeGreaterThanOrEqual(0.001);
    const staff = (await planner.get(`${m}/heat?bbox=${bbox}&zoom=16`)).json();
    expect(staff.features.map((f: { properties: { n: number } }) => f.properties.n).sort()).toEqual([1, 3]);
    expect(staff.celda).toBeLessThan(0.001);
  });

  it('feeds an indicator variable with the calls per AGEB of a period, and deleting an import removes its calls', async () => {
    await importFour();
    await t.database.db
      .insertInto('indicator_variables')
      .values({ municipality_id: '32056', clave: 'LLAM', nombre: 'Llamadas de emergencia' })
      .execute();
    const r = await planner.post(`${m}/to-indicator`, { variable: 'LLAM', nivel: 'ageb', periodo: '2025-T1' });
    expect(r.statusCode, r.body).toBe(200);
    const fed = await sql<{
      n: number;
      total: number;
    }>`select count(*)::int as n, sum(valor)::int as total from indicator_observations o join indicator_variables v on v.id = o.variable_id
      where v.clave = 'LLAM' and o.periodo = '2025-T1' and o.municipality_id = '32056'`.execute(t.database.db);
    const agebs = await sql<{
      n: number;
    }>`select count(*)::int as n from territorial_units where municipality_id = '32056' and level = 'ageb'`.execute(t.database.db);
    // One value per AGEB (zeros included) adding up to the four calls of the quarter.
    expect(fed.rows[0]).toEqual({ n: agebs.rows[0].n, total: 4 });
    expect((await citizen.post(`${m}/to-indicator`, { variable: 'LLAM', nivel: 'ageb', periodo: '2025' })).statusCode).toBe(403);
    expect((await planner.post(`${m}/to-indicator`, { variable: 'NO_EXISTE', nivel: 'ageb', periodo: '2025' })).statusCode).toBe(422);

    const imports = (await planner.get(`${m}/imports`)).json();
    expect(imports).toHaveLength(1);
    expect((await anon.get(`${m}/imports`)).statusCode).toBe(401);
    expect((await planner.request('DELETE', `${m}/imports/${imports[0].id}`)).statusCode).toBe(200);
    expect((await countRows(t.database, 'emergency_calls')).emergency_calls).toBe(0);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['action'])
      .where('entity', '=', 'emergency_call_imports')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['insert', 'delete']);
  });

  it('generates labelled demonstration calls with hotspots and a busier evening', async () => {
    const { loadDemoCalls, hasDemoCalls } = await import('../../../../demo/emergency.ts');
    await loadDemoCalls(t.database.db, 4000);
    expect(await hasDemoCalls(t.database.db)).toBe(true);
    const imports = await t.database.db
      .selectFrom('emergency_call_imports')
      .select(['municipality_id', 'filas', 'is_demo'])
      .where('is_demo', '=', true)
      .orderBy('municipality_id')
      .execute();
    expect(imports).toEqual([
      { municipality_id: '32017', filas: 1600, is_demo: true },
      { municipality_id: '32056', filas: 2400, is_demo: true },
    ]);
    const s = (await anon.get(`${m}/summary`)).json();
    expect(s.total).toBe(2400);
    expect(s.porHora[20]).toBeGreaterThan(2 * s.porHora[4]);
    const units = (await anon.get(`${m}/by-unit?nivel=colonia`)).json();
    // Most calls fall inside a colonia; the busiest colonia has several times the quietest one.
    expect(units.sinUnidad).toBeLessThan(0.1 * s.total);
    expect(units.unidades[0].n).toBeGreaterThan(3 * units.unidades[units.unidades.length - 1].n);
  });
});
