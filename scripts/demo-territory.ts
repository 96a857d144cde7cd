/**
 * Writes demo/data/territorio-inegi.geojson: a simplified copy of the real boundaries of the demo's
 * five municipalities, the state outline and their localities (urban and rural polygons, with
 * their Censo 2020 population), derived from INEGI's Marco Geoestadístico files in
 * ../shared/data/inegi-32. INEGI's data are free to use with attribution; the file carries it.
 *
 *   node --import tsx scripts/demo-territory.ts [inegi-32 folder]
 *
 * Boundaries are simplified as one coverage (ST_CoverageSimplify, so neighbours keep a shared edge,
 * ~60 m tolerance), localities at ~15 m and clipped to their simplified municipality, and
 * coordinates kept to 5 decimals (~1 m).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from '../src/server/db/connection.ts';
import { ROOT } from '../src/server/paths.ts';

const SRC = path.resolve(process.argv[2] ?? path.join(ROOT, '../shared/data/inegi-32'));
const OUT = path.join(ROOT, 'demo/data/territorio-inegi.geojson');
const DEMO = ['32056', '32017', '32032', '32050', '32057'];

type Feature = { properties: Record<string, string | number | null>; geometry: unknown };
const read = (f: string): Feature[] => JSON.parse(fs.readFileSync(path.join(SRC, f), 'utf8')).features;

const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'brj-demo-territory-')), 'db');
const database = await openDatabase({ databaseUrl: null, dataDir });
const { db } = database;
try {
  await sql`create table mun (cvegeo text, nombre text, pob int, geom geometry(MultiPolygon, 4326))`.execute(db);
  for (const f of read('AGEM_32.geojson')) {
    await sql`insert into mun values (${f.properties.cvegeo}, ${f.properties.nom_agem}, ${Number(f.properties.pob)},
      ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(f.geometry)}), 4326)))`.execute(db);
  }
  await sql`create table loc (cvegeo text, municipio text, nombre text, pob int, ambito text, geom geometry(MultiPolygon, 4326))`.execute(
    db,
  );
  for (const m of DEMO) {
    for (const f of read(`localidades/AGLOC_${m}.geojson`)) {
      await sql`insert into loc values (${f.properties.cvegeo}, ${m}, ${f.properties.nom_loc}, ${Number(f.properties.pob ?? 0)}, ${String(f.properties.ambito ?? '').toUpperCase()},
        ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(f.geometry)}), 4326)))`.execute(db);
    }
  }
  // All 58 simplified together, so the demo's municipalities and the state outline share edges.
  await sql`create table simple as select cvegeo, nombre, pob, ST_SetSRID(ST_Multi(ST_MakeValid(ST_CoverageSimplify(geom, 0.0006) over ())), 4326) as geom from mun`.execute(
    db,
  );
  const rows = await sql<{ feature: string }>`
    select json_build_object('type', 'Feature', 'properties', json_build_object('nivel', 'municipio', 'cvegeo', cvegeo, 'nombre', nombre, 'pob', pob),
                             'geometry', ST_AsGeoJSON(geom, 5)::json)::text as feature
      from simple where cvegeo = any(${DEMO}::text[])
    union all
    select json_build_object('type', 'Feature', 'properties', json_build_object('nivel', 'estado', 'cvegeo', '32', 'nombre', 'Zacatecas', 'pob', (select sum(pob) from mun)),
                             'geometry', ST_AsGeoJSON(ST_Multi(ST_SimplifyPreserveTopology(ST_Union(geom), 0.003)), 5)::json)::text
      from simple
    union all
    select json_build_object('type', 'Feature', 'properties', json_build_object('nivel', 'localidad', 'cvegeo', l.cvegeo, 'nombre', l.nombre, 'pob', l.pob, 'ambito', l.ambito),
                             'geometry', ST_AsGeoJSON(g, 5)::json)::text
      from (select l.*, ST_Multi(ST_CollectionExtract(ST_Intersection(ST_SimplifyPreserveTopology(l.geom, 0.00015), s.geom), 3)) as g
              from loc l join simple s on s.cvegeo = l.municipio) l
     where not ST_IsEmpty(g)`.execute(db);
  const features = rows.rows
    .map((r) => JSON.parse(r.feature) as Feature)
    .sort((a, b) => String(a.properties.cvegeo).localeCompare(String(b.properties.cvegeo)));
  const out = {
    type: 'FeatureCollection',
    fuente:
      'INEGI, Marco Geoestadístico 2020 y Censo de Población y Vivienda 2020 (límites municipales, estatal y de localidades; población). Copia simplificada por scripts/demo-territory.ts para los datos de demostración de Brújula; no sustituye a la cartografía oficial.',
    licencia: 'Términos de libre uso de la información del INEGI: https://www.inegi.org.mx/inegi/terminos.html',
    features,
  };
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  // One feature per line keeps the file diffable.
  fs.writeFileSync(
    OUT,
    `{"type":"FeatureCollection","fuente":${JSON.stringify(out.fuente)},"licencia":${JSON.stringify(out.licencia)},"features":[\n${features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`,
  );
  process.stdout.write(`${OUT}: ${features.length} elementos, ${(fs.statSync(OUT).size / 1024).toFixed(0)} KB\n`);
} finally {
  await database.close();
  fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
}
