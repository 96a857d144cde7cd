import crypto from 'node:crypto';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { withActor, type Actor } from '../../db/connection.ts';
import type { DB } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import { readTable } from '../../tabular.ts';
import { type LoadReport, loadRows } from '../indicators/api.ts';

type Db = Kysely<DB>;

/** Calls happen on the local clock: month, weekday and hour filters use it. */
export const TZ = 'America/Mexico_City';

export interface CallFilter {
  desde?: string;
  hasta?: string;
  tipo?: string[];
  prioridad?: string[];
  mes?: number[];
  dia?: number[];
  horaDesde?: number;
  horaHasta?: number;
}

function where(municipalityId: string, f: CallFilter): RawBuilder<boolean> {
  const c: RawBuilder<unknown>[] = [sql`c.municipality_id = ${municipalityId}`];
  if (f.desde) c.push(sql`c.recibida >= (${f.desde}::date::timestamp at time zone ${TZ})`);
  if (f.hasta) c.push(sql`c.recibida < ((${f.hasta}::date + 1)::timestamp at time zone ${TZ})`);
  if (f.tipo?.length) c.push(sql`c.tipo = any(${f.tipo}::text[])`);
  if (f.prioridad?.length) c.push(sql`c.prioridad = any(${f.prioridad}::text[])`);
  if (f.mes?.length) c.push(sql`c.mes = any(${f.mes}::int[])`);
  if (f.dia?.length) c.push(sql`c.dia_semana = any(${f.dia}::int[])`);
  // An hour range may wrap midnight (22 to 5).
  if (f.horaDesde !== undefined || f.horaHasta !== undefined) {
    const [a, b] = [f.horaDesde ?? 0, f.horaHasta ?? 23];
    c.push(a <= b ? sql`c.hora between ${a} and ${b}` : sql`(c.hora >= ${a} or c.hora <= ${b})`);
  }
  return sql<boolean>`${sql.join(c, sql` and `)}`;
}

/** Totals by type, priority, month, weekday and hour for the filters and charts. */
export async function summary(db: Db, municipalityId: string, f: CallFilter) {
  const w = where(municipalityId, f);
  const count = (col: string, cond = w) =>
    sql<{
      k: string | number;
      n: number;
    }>`select ${sql.ref(`c.${col}`)} as k, count(*)::int as n from emergency_calls c where ${cond} group by 1 order by 2 desc`.execute(db);
  const [tipo, prioridad, mes, dia, hora, range] = await Promise.all([
    // Types are counted without the type filter, so a list of them can add or remove types.
    count('tipo', where(municipalityId, { ...f, tipo: undefined })),
    count('prioridad'),
    count('mes'),
    count('dia_semana'),
    count('hora'),
    sql<{
      total: number;
      desde: Date | null;
      hasta: Date | null;
    }>`select count(*)::int as total, min(recibida) as desde, max(recibida) as hasta from emergency_calls c where ${w}`.execute(db),
  ]);
  const dense = (rows: { k: string | number; n: number }[], from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => rows.find((r) => Number(r.k) === from + i)?.n ?? 0);
  const r = range.rows[0];
  return {
    total: r.total,
    desde: r.desde ? new Date(r.desde).toISOString() : null,
    hasta: r.hasta ? new Date(r.hasta).toISOString() : null,
    porTipo: tipo.rows.map((x) => ({ tipo: String(x.k), n: x.n })),
    porPrioridad: prioridad.rows.map((x) => ({ prioridad: String(x.k), n: x.n })),
    porMes: dense(mes.rows, 1, 12),
    porDia: dense(dia.rows, 0, 6),
    porHora: dense(hora.rows, 0, 23),
  };
}

/**
 * Heat map cells: calls snapped to a grid that follows the zoom (about 32 cells per tile width).
 * The public never gets cells finer than ~100 m nor cells with fewer than 3 calls, so a heat map
 * cannot point at one household (a family-violence call, for instance); staff see finer cells.
 */
export async function heat(
  db: Db,
  municipalityId: string,
  f: CallFilter,
  bbox: [number, number, number, number],
  zoom: number,
  staff: boolean,
) {
  const cell = Math.max(360 / 2 ** Math.round(zoom) / 32, staff ? 0.0002 : 0.001);
  const minCount = staff ? 1 : 3;
  const r = await sql<{ x: number; y: number; n: number }>`
    select ST_X(p) as x, ST_Y(p) as y, n from (
      select ST_SnapToGrid(c.geom, ${cell}::float8) as p, count(*)::int as n from emergency_calls c
       where ${where(municipalityId, f)} and c.geom && ST_MakeEnvelope(${bbox[0]}::float8, ${bbox[1]}::float8, ${bbox[2]}::float8, ${bbox[3]}::float8, 4326)
       group by 1) g where n >= ${minCount}`.execute(db);
  const max = r.rows.reduce((m, c) => Math.max(m, c.n), 0);
  return {
    type: 'FeatureCollection' as const,
    celda: cell,
    max,
    features: r.rows.map((c) => ({
      type: 'Feature' as const,
      properties: { n: c.n },
      geometry: { type: 'Point' as const, coordinates: [round(c.x), round(c.y)] },
    })),
  };
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;

/** Calls per colonia or AGEB, with the rate per thousand inhabitants where the unit has a population. */
export async function byUnit(db: Db, municipalityId: string, level: 'colonia' | 'ageb', f: CallFilter) {
  const col = level === 'colonia' ? sql.ref('c.colonia_id') : sql.ref('c.ageb_id');
  const r = await sql<{ unitId: number; cvegeo: string; nombre: string; poblacion: number | null; n: number }>`
    select u.id as "unitId", u.cvegeo, u.name as nombre, u.population as poblacion, coalesce(x.n, 0)::int as n
      from shared_units u
      left join (select ${col} as unit_id, count(*) as n from emergency_calls c where ${where(municipalityId, f)} group by 1) x on x.unit_id = u.id
     where u.municipality_id = ${municipalityId} and u.level = ${level}
     order by n desc, u.cvegeo`.execute(db);
  const sinUnidad = await sql<{
    n: number;
  }>`select count(*)::int as n from emergency_calls c where ${where(municipalityId, f)} and ${col} is null`.execute(db);
  return {
    nivel: level,
    unidades: r.rows.map((u) => ({ ...u, tasaMil: u.poblacion ? round((u.n / u.poblacion) * 1000) : null })),
    sinUnidad: sinUnidad.rows[0].n,
  };
}

// ---------- imports ----------

export interface ImportReport {
  dryRun: boolean;
  committed: boolean;
  importId: number | null;
  filas: number;
  validas: number;
  errores: { fila: number; columna: string | null; problema: string }[];
  desde: string | null;
  hasta: string | null;
  porTipo: Record<string, number>;
}

const PRIORIDAD: Record<string, 'alta' | 'media' | 'baja'> = {
  alta: 'alta',
  '1': 'alta',
  media: 'media',
  '2': 'media',
  baja: 'baja',
  '3': 'baja',
};
const pick = (r: Record<string, string>, ...names: string[]) =>
  names
    .map((n) => r[n])
    .find((v) => v !== undefined && v !== '')
    ?.trim() ?? '';

/** "2025-03-14 21:05", "2025-03-14T21:05:00" or the Mexican "14/03/2025 21:05", as local wall-clock text. */
export function parseLocalTime(s: string): string | null {
  let m = s.match(/^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/);
  if (m) return valid(+m[1], +m[2], +m[3], +m[4], +m[5], +(m[6] ?? 0));
  m = s.match(/^(\d{1,2})\/(\d{1,2})\/(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/);
  if (m) return valid(+m[3], +m[2], +m[1], +m[4], +m[5], +(m[6] ?? 0));
  return null;
}

function valid(y: number, mo: number, d: number, h: number, mi: number, se: number) {
  const dt = new Date(Date.UTC(y, mo - 1, d, h, mi, se));
  if (dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d || h > 23 || mi > 59 || se > 59 || y < 2000 || y > 2100) return null;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${y}-${p(mo)}-${p(d)}T${p(h)}:${p(mi)}:${p(se)}`;
}

const BATCH = 5000;

/**
 * Loads a 9-1-1 export (CSV or XLSX: fecha_hora or fecha + hora, tipo, prioridad, latitud, longitud,
 * and optionally colonia and folio). Every row is checked; a row with a problem or a call outside the
 * municipality cancels the whole file. Colonia and AGEB come from the point, not from the text.
 */
export async function importCalls(
  db: Db,
  actor: Actor,
  municipalityId: string,
  file: { name: string; bytes: Buffer },
  opts: { dryRun?: boolean; isDemo?: boolean } = {},
): Promise<ImportReport> {
  const rows = await readTable(file.name, file.bytes);
  const report: ImportReport = {
    dryRun: !!opts.dryRun,
    committed: false,
    importId: null,
    filas: rows.length,
    validas: 0,
    errores: [],
    desde: null,
    hasta: null,
    porTipo: {},
  };
  if (!rows.length) throw new AppError('BRJ_ERR_IMPORT_INVALID', 'El archivo no tiene filas de datos.');
  const cols = Object.keys(rows[0]);
  const missing = [
    !cols.some((c) => ['fecha_hora', 'fecha'].includes(c)) && 'fecha_hora (o fecha y hora)',
    !cols.includes('tipo') && 'tipo',
    !cols.some((c) => ['latitud', 'lat'].includes(c)) && 'latitud',
    !cols.some((c) => ['longitud', 'lon', 'lng'].includes(c)) && 'longitud',
  ].filter(Boolean);
  if (missing.length)
    throw new AppError(
      'BRJ_ERR_IMPORT_INVALID',
      `Faltan columnas: ${missing.join(', ')}. Columnas esperadas: fecha_hora, tipo, prioridad, latitud, longitud, colonia, folio.`,
    );
  const good: {
    n: number;
    t: string;
    tipo: string;
    prioridad: string;
    colonia: string | null;
    folio: string | null;
    x: number;
    y: number;
  }[] = [];
  rows.forEach((r, i) => {
    const fila = i + 2;
    const bad = (columna: string | null, problema: string) =>
      report.errores.length < 200 && report.errores.push({ fila, columna, problema });
    const when = pick(r, 'fecha_hora') || `${pick(r, 'fecha')} ${pick(r, 'hora')}`.trim();
    const t = parseLocalTime(when);
    if (!t) return bad('fecha_hora', `Fecha y hora no válidas: «${when}». Use AAAA-MM-DD HH:MM o DD/MM/AAAA HH:MM.`);
    const tipo = pick(r, 'tipo', 'incidente');
    if (tipo.length < 2 || tipo.length > 120) return bad('tipo', 'Falta el tipo de incidente (2 a 120 caracteres).');
    const pr =
      pick(r, 'prioridad')
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase() || 'media';
    const prioridad = PRIORIDAD[pr];
    if (!prioridad) return bad('prioridad', `Prioridad no válida: «${pr}». Use alta, media o baja (o 1, 2, 3).`);
    const y = Number(pick(r, 'latitud', 'lat').replace(',', '.'));
    const x = Number(pick(r, 'longitud', 'lon', 'lng').replace(',', '.'));
    if (!Number.isFinite(y) || !Number.isFinite(x) || y < 14 || y > 33 || x < -118.5 || x > -86)
      return bad('latitud', `Coordenadas fuera de México o ilegibles: ${pick(r, 'latitud', 'lat')}, ${pick(r, 'longitud', 'lon', 'lng')}.`);
    good.push({ n: fila, t, tipo, prioridad, colonia: pick(r, 'colonia') || null, folio: pick(r, 'folio') || null, x, y });
  });
  if (report.errores.length)
    throw new AppError('BRJ_ERR_IMPORT_INVALID', `No se cargó nada: ${report.errores.length} fila(s) con errores.`, report);
  class Rollback extends Error {}
  try {
    await withActor(db, actor, async (trx) => {
      await sql`create temp table call_stage (n integer, t timestamp, tipo text, prioridad text, colonia text, folio text, x float8, y float8) on commit drop`.execute(
        trx,
      );
      for (let i = 0; i < good.length; i += BATCH) {
        await sql`insert into call_stage select * from jsonb_to_recordset(${JSON.stringify(good.slice(i, i + BATCH))}::jsonb)
                    as r(n integer, t timestamp, tipo text, prioridad text, colonia text, folio text, x float8, y float8)`.execute(trx);
      }
      const outside = await sql<{ n: number }>`
        select s.n from call_stage s
         where not exists (select 1 from shared_units u where u.municipality_id = ${municipalityId} and u.level = 'municipio'
                              and ST_Intersects(u.geom, ST_SetSRID(ST_MakePoint(s.x, s.y), 4326)))
         order by s.n limit 200`.execute(trx);
      for (const o of outside.rows)
        report.errores.push({ fila: o.n, columna: 'latitud', problema: `La ubicación queda fuera del municipio ${municipalityId}.` });
      if (report.errores.length) throw new Rollback();
      const r = await sql<{
        desde: Date;
        hasta: Date;
      }>`select min(t) at time zone ${TZ} as desde, max(t) at time zone ${TZ} as hasta from call_stage`.execute(trx);
      const imp = await trx
        .insertInto('emergency_call_imports')
        .values({
          municipality_id: municipalityId,
          archivo: file.name.slice(0, 255),
          filas: good.length,
          sha256: crypto.createHash('sha256').update(file.bytes).digest('hex'),
          desde: r.rows[0].desde,
          hasta: r.rows[0].hasta,
          is_demo: !!opts.isDemo,
          created_by: actor.userId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await insertStaged(trx, municipalityId, imp.id);
      report.importId = imp.id;
      report.validas = good.length;
      report.desde = new Date(r.rows[0].desde).toISOString();
      report.hasta = new Date(r.rows[0].hasta).toISOString();
      for (const g of good) report.porTipo[g.tipo] = (report.porTipo[g.tipo] ?? 0) + 1;
      if (opts.dryRun) throw new Rollback();
      report.committed = true;
    });
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
    report.importId = null;
  }
  if (report.errores.length)
    throw new AppError('BRJ_ERR_IMPORT_INVALID', `No se cargó nada: ${report.errores.length} llamada(s) fuera del municipio.`, report);
  return report;
}

/** Moves the staged calls in, with their local clock fields and the colonia and AGEB containing each point. */
export async function insertStaged(trx: Db, municipalityId: string, importId: number) {
  await sql`
    insert into emergency_calls (municipality_id, import_id, folio, recibida, tipo, prioridad, colonia_reportada, colonia_id, ageb_id, mes, dia_semana, hora, geom)
    select ${municipalityId}, ${importId}::bigint, s.folio, s.t at time zone ${TZ}, s.tipo, s.prioridad, s.colonia,
           (select u.id from shared_units u where u.municipality_id = ${municipalityId} and u.level = 'colonia' and ST_Intersects(u.geom, s.p) limit 1),
           (select u.id from shared_units u where u.municipality_id = ${municipalityId} and u.level = 'ageb' and ST_Intersects(u.geom, s.p) limit 1),
           extract(month from s.t), extract(dow from s.t), extract(hour from s.t), s.p
      from (select *, ST_SetSRID(ST_MakePoint(x, y), 4326) as p from call_stage) s
     order by s.t`.execute(trx);
}

export async function listImports(db: Db, municipalityId: string) {
  return db
    .selectFrom('emergency_call_imports as i')
    .leftJoin('shared_users as u', 'u.id', 'i.created_by')
    .select([
      'i.id',
      'i.archivo',
      'i.filas',
      'i.desde',
      'i.hasta',
      'i.is_demo as isDemo',
      'i.created_at as createdAt',
      'u.name as cargadoPor',
    ])
    .where('i.municipality_id', '=', municipalityId)
    .orderBy('i.id', 'desc')
    .execute();
}

export async function deleteImport(db: Db, actor: Actor, municipalityId: string, id: number) {
  await withActor(db, actor, async (trx) => {
    const r = await trx
      .deleteFrom('emergency_call_imports')
      .where('id', '=', id)
      .where('municipality_id', '=', municipalityId)
      .executeTakeFirst();
    if (!r.numDeletedRows) throw new AppError('BRJ_ERR_NOT_FOUND', 'La carga no existe.');
  });
}

// ---------- feeding indicators ----------

/** Local date range [from, to) of an indicator period: 2025, 2025-S1, 2025-T3 or 2025-07. */
export function periodRange(periodo: string): [string, string] {
  const m = periodo.match(/^(\d{4})(?:-(S[12]|T[1-4]|\d{2}))?$/);
  if (!m) throw new AppError('BRJ_ERR_VALIDATION', `Periodo no válido: «${periodo}». Use 2025, 2025-S1, 2025-T3 o 2025-07.`);
  const y = Number(m[1]);
  const part = m[2];
  const [a, months] = !part
    ? [1, 12]
    : part.startsWith('S')
      ? [part === 'S1' ? 1 : 7, 6]
      : part.startsWith('T')
        ? [(Number(part[1]) - 1) * 3 + 1, 3]
        : [Number(part), 1];
  if (a < 1 || a > 12) throw new AppError('BRJ_ERR_VALIDATION', `Mes no válido en «${periodo}».`);
  const iso = (yy: number, mm: number) => `${yy + Math.floor((mm - 1) / 12)}-${String(((mm - 1) % 12) + 1).padStart(2, '0')}-01`;
  return [iso(y, a), iso(y, a + months)];
}

/**
 * Writes the number of calls per colonia or AGEB of a period into an indicator variable (zeros
 * included), through the indicators module's own load — so rates and choropleths follow.
 */
export async function feedIndicator(
  db: Db,
  actor: Actor,
  municipalityId: string,
  o: { variable: string; nivel: 'municipio' | 'colonia' | 'ageb'; periodo: string; tipo?: string[] },
): Promise<LoadReport> {
  const [from, to] = periodRange(o.periodo);
  const f: CallFilter = { tipo: o.tipo };
  // The whole municipality counts every call, also those outside any colonia or AGEB.
  const col =
    o.nivel === 'colonia'
      ? sql`c.colonia_id`
      : o.nivel === 'ageb'
        ? sql`c.ageb_id`
        : sql`(select id from shared_units where municipality_id = ${municipalityId} and level = 'municipio')`;
  const r = await sql<{ cvegeo: string; n: number }>`
    select u.cvegeo, coalesce(x.n, 0)::int as n from shared_units u
      left join (select ${col} as unit_id, count(*) as n from emergency_calls c
                  where ${where(municipalityId, f)} and c.recibida >= (${from}::date::timestamp at time zone ${TZ}) and c.recibida < (${to}::date::timestamp at time zone ${TZ})
                  group by 1) x on x.unit_id = u.id
     where u.municipality_id = ${municipalityId} and u.level = ${o.nivel}`.execute(db);
  if (!r.rows.length) throw new AppError('BRJ_ERR_VALIDATION', `El municipio no tiene unidades de nivel ${o.nivel}.`);
  return loadRows(
    db,
    actor,
    municipalityId,
    `Llamadas de emergencia ${o.periodo} por ${o.nivel}`,
    r.rows.map((u) => ({ clave: o.variable, cvegeo: u.cvegeo, periodo: o.periodo, desagregacion: 'total', valor: String(u.n) })),
    { allowedVariable: () => true },
  );
}
