/**
 * DATOS DE DEMOSTRACIÓN — about 200,000 generated 9-1-1 calls for Zacatecas and Guadalupe, 2024–2025:
 * hotspots around some colonias, more calls in the evening, night-time fights and daytime accidents.
 * Nothing here is real; each batch is an import marked is_demo.
 */
import { sql, type Kysely } from 'kysely';
import { withActor } from '../src/server/db/connection.ts';
import type { DB } from '../src/server/db/types.ts';
import { feedIndicator, insertStaged } from '../src/server/modules/emergency/service.ts';

// Relative weight of each hour 0…23 (quiet dawn, busy evening).
const HOURS = [5, 4, 3, 2, 2, 2, 3, 4, 5, 6, 6, 6, 7, 7, 7, 7, 8, 8, 9, 10, 10, 10, 9, 7];
const DAY: [string, number][] = [
  ['Urgencia médica', 24],
  ['Accidente de tránsito', 18],
  ['Robo a transeúnte', 8],
  ['Persona sospechosa', 8],
  ['Violencia familiar', 9],
  ['Alarma activada', 7],
  ['Robo a casa habitación', 6],
  ['Fuga de gas', 3],
  ['Incendio', 3],
  ['Riña', 4],
  ['Ruido excesivo', 2],
];
const NIGHT: [string, number][] = [
  ['Riña', 16],
  ['Violencia familiar', 16],
  ['Ruido excesivo', 12],
  ['Urgencia médica', 14],
  ['Persona sospechosa', 10],
  ['Accidente de tránsito', 10],
  ['Robo a transeúnte', 8],
  ['Alarma activada', 6],
  ['Persona lesionada por arma', 4],
  ['Incendio', 2],
];
const ALTA = ['Urgencia médica', 'Violencia familiar', 'Incendio', 'Fuga de gas', 'Persona lesionada por arma'];
const BAJA = ['Ruido excesivo', 'Persona sospechosa', 'Alarma activada'];

// Day offsets from 2024-01-01 repeated by weight: busier Fridays and Saturdays, the September fair and December.
const DAYS = Array.from({ length: 731 }, (_, i) => {
  const d = new Date(Date.UTC(2024, 0, 1 + i));
  const w = 4 + ([5, 6].includes(d.getUTCDay()) ? 2 : 0) + (d.getUTCMonth() === 8 ? 1 : 0) + (d.getUTCMonth() === 11 ? 2 : 0);
  return Array<number>(w).fill(i);
}).flat();

const expand = <T>(pairs: [T, number][]) => pairs.flatMap(([v, w]) => Array<T>(w).fill(v));
const hours = HOURS.flatMap((w, h) => Array<number>(w).fill(h));

/** Both municipalities' demo calls are complete (the date range is written after the last chunk). */
export async function hasDemoCalls(db: Kysely<DB>) {
  const r = await db.selectFrom('emergency_call_imports').select(['id', 'desde']).where('is_demo', '=', true).execute();
  return r.length >= 2 && r.every((i) => i.desde !== null);
}

/** Drops a demo generation that was cut short (its import has no dates yet), with its calls. */
export async function dropInterruptedDemoCalls(db: Kysely<DB>): Promise<number> {
  const r = await withActor(db, { userId: null, via: 'demo' }, (trx) =>
    trx.deleteFrom('emergency_call_imports').where('is_demo', '=', true).where('desde', 'is', null).executeTakeFirst(),
  );
  return Number(r.numDeletedRows);
}

/**
 * Generates `total` calls split between the demo municipalities (60 % Zacatecas, 40 % Guadalupe), in
 * transactions of CHUNK calls: on PGlite one long transaction would hold the only session and stall
 * every request while the server is already up.
 */
// 2,000 calls take ~0.2 s on PGlite: the longest any request waits for the database meanwhile.
const CHUNK = 2_000;

export async function loadDemoCalls(db: Kysely<DB>, total = 200_000) {
  const actor = { userId: null, via: 'demo' };
  // A generation cut short (the server stopped) is dropped and made again.
  await withActor(db, actor, (trx) => trx.deleteFrom('emergency_call_imports').where('is_demo', '=', true).execute());
  for (const [mid, share, seed] of [
    ['32056', 0.6, 0.911],
    ['32017', 0.4, 0.119],
  ] as const) {
    const n = Math.round(total * share);
    const imp = await withActor(db, actor, (trx) =>
      // Its row count and dates are written with the last chunk: until then it says 0 calls.
      trx
        .insertInto('emergency_call_imports')
        .values({
          municipality_id: mid,
          archivo: 'Llamadas 9-1-1 2024–2025 (datos de demostración)',
          filas: 0,
          sha256: 'demo',
          is_demo: true,
        })
        .returning('id')
        .executeTakeFirstOrThrow(),
    );
    // The city's colonias, just inside their edge, computed once for every chunk.
    const city = (
      await sql<{
        g: string;
      }>`select ST_AsEWKT(ST_Buffer(ST_Union(geom), -0.0003)) as g from territorial_units where municipality_id = ${mid} and level = 'colonia'`.execute(
        db,
      )
    ).rows[0].g;
    for (let from = 1, part = 0; from <= n; from += CHUNK, part++) {
      // A turn of the event loop between chunks, so requests waiting for PGlite's one session get it.
      await new Promise((r) => setImmediate(r));
      const to = Math.min(n, from + CHUNK - 1);
      await withActor(db, actor, async (trx) => {
        // Seeded per chunk, so every install generates the same calls.
        await sql`select setseed(${(seed + part / 10_000) % 1})`.execute(trx);
        await sql`create temp table call_stage (n integer, t timestamp, tipo text, prioridad text, colonia text, folio text, x float8, y float8) on commit drop`.execute(
          trx,
        );
        // Hotspots: colonias, the first ones busier (power-law pick); Gaussian spread of about 300 m
        // (the real urban areas are narrow: a wider spread puts many calls outside every colonia).
        await sql`
          with hs as (select row_number() over (order by id)::int as k, ST_X(p) as x, ST_Y(p) as y, name
                        from (select id, name, ST_PointOnSurface(geom) as p from territorial_units where municipality_id = ${mid} and level = 'colonia') c),
               nh as (select count(*)::int as c from hs),
               g as (select i, random() as u1, random() as u2, random() as u3, random() as u4, random() as u5, random() as u6, random() as u7 from generate_series(${from}::int, ${to}::int) i)
          insert into call_stage (n, t, tipo, prioridad, colonia, folio, x, y)
          select g.i, tt.ts, tp.tipo, case when tp.tipo = any(${ALTA}::text[]) then 'alta' when tp.tipo = any(${BAJA}::text[]) then 'baja' else 'media' end,
                 hs.name, 'DEMO-' || ${mid} || '-' || g.i,
                 hs.x + sqrt(-2 * ln(greatest(g.u2, 1e-9))) * 0.0028 * cos(2 * pi() * g.u3),
                 hs.y + sqrt(-2 * ln(greatest(g.u2, 1e-9))) * 0.0028 * sin(2 * pi() * g.u3)
            from g
            join hs on hs.k = 1 + floor(power(g.u1, 1.8) * (select c from nh))::int
            cross join lateral (select (${hours}::int[])[1 + floor(g.u5 * ${hours.length})::int] as h) hh
            cross join lateral (select timestamp '2024-01-01' + (${DAYS}::int[])[1 + floor(g.u4 * ${DAYS.length})::int] * interval '1 day' + hh.h * interval '1 hour' + floor(g.u6 * 60) * interval '1 minute' as ts) tt
            cross join lateral (select case when hh.h >= 20 or hh.h < 6 then (${expand(NIGHT)}::text[])[1 + floor(g.u7 * ${expand(NIGHT).length})::int]
                                            else (${expand(DAY)}::text[])[1 + floor(g.u7 * ${expand(DAY).length})::int] end as tipo) tp`.execute(
          trx,
        );
        // Calls the spread put outside the city (the real urban areas are narrow) move to its nearest edge, just inside.
        await sql`
          update call_stage s set x = ST_X(ST_ClosestPoint(c.g, ST_SetSRID(ST_MakePoint(s.x, s.y), 4326))),
                                  y = ST_Y(ST_ClosestPoint(c.g, ST_SetSRID(ST_MakePoint(s.x, s.y), 4326)))
            from (select ST_GeomFromEWKT(${city}) as g) c
           where not ST_Intersects(c.g, ST_SetSRID(ST_MakePoint(s.x, s.y), 4326))`.execute(trx);
        await insertStaged(trx, mid, imp.id);
      });
    }
    await withActor(db, actor, (trx) =>
      sql`update emergency_call_imports set filas = ${n}, desde = (select min(recibida) from emergency_calls where import_id = ${imp.id}), hasta = (select max(recibida) from emergency_calls where import_id = ${imp.id}) where id = ${imp.id}`.execute(
        trx,
      ),
    );
  }
}

/**
 * The indicator the calls feed: calls per thousand inhabitants by AGEB and municipality, with its
 * numerator written from the calls by the same routine planners use (feedIndicator).
 */
export async function linkDemoCallsIndicator(db: Kysely<DB>) {
  const actor = { userId: null, via: 'demo' };
  for (const mid of ['32056', '32017']) {
    if (await db.selectFrom('indicators').select('id').where('municipality_id', '=', mid).where('clave', '=', 'SEG-02').executeTakeFirst())
      continue;
    await withActor(db, actor, async (trx) => {
      await trx
        .insertInto('indicator_variables')
        .values({
          municipality_id: mid,
          clave: 'LLAM_EMERG',
          nombre: 'Llamadas de emergencia al 9-1-1',
          unidad: 'llamadas',
          fuente: 'Centro de atención de llamadas de emergencia 9-1-1 (datos de demostración)',
          agregacion: 'suma',
        })
        .execute();
      await trx
        .insertInto('indicators')
        .values({
          municipality_id: mid,
          clave: 'SEG-02',
          nombre: 'Llamadas de emergencia por cada mil habitantes',
          theme_code: 'seguridad',
          ods_meta: '16.1',
          formula: 'LLAM_EMERG / POB_TOT * 1000',
          metodo_calculo: '(Llamadas de emergencia al 9-1-1 / Población total) × 1,000',
          unidad_medida: 'llamadas por mil hab.',
          sentido: 'descendente',
          cobertura: ['municipio', 'ageb'],
          notas: 'Datos de demostración: calculado de las llamadas georreferenciadas generadas.',
          estado: 'publicado',
          is_demo: true,
        })
        .execute();
    });
    for (const periodo of ['2024', '2025'])
      for (const nivel of ['municipio', 'ageb'] as const) await feedIndicator(db, actor, mid, { variable: 'LLAM_EMERG', nivel, periodo });
  }
}
