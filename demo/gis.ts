/**
 * DATOS DE DEMOSTRACIÓN — SIG layers generated inside the demo colonias of Zacatecas: schools
 * (points) and green areas (polygons). Names and figures are invented.
 */
import { sql, type Transaction } from 'kysely';
import type { DB } from '../src/server/db/types.ts';

export async function loadGisLayers(trx: Transaction<DB>) {
  const layer = async (slug: string, titulo: string, tema: string, descripcion: string, atributos: { name: string; type: string; description: string }[], estilo: object) =>
    (
      await trx
        .insertInto('gis_layers')
        .values({ municipality_id: '32056', slug, titulo, tema, descripcion, fuente: 'Datos de demostración generados por Brújula', fecha: '2026-01-15', frecuencia: 'anual', publico: true, atributos: JSON.stringify(atributos), estilo: JSON.stringify(estilo), is_demo: true, version: 1 })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const escuelas = await layer('32056-escuelas-demo', 'Escuelas de educación básica (demostración)', 'educacion', 'Planteles públicos de preescolar, primaria y secundaria. Datos de demostración.', [
    { name: 'nombre', type: 'text', description: 'Nombre del plantel' },
    { name: 'nivel', type: 'text', description: 'Preescolar, primaria o secundaria' },
    { name: 'alumnos', type: 'integer', description: 'Matrícula del ciclo 2025–2026' },
  ], { tipo: 'categorizado', campo: 'nivel' });
  // Seeded positions (setseed) so every install draws the same map.
  await sql`select setseed(0.32056)`.execute(trx);
  await sql`insert into gis_features (layer_id, municipality_id, fid, properties, geom)
            select ${escuelas}::bigint, '32056', row_number() over (order by c.id, g),
                   jsonb_build_object('nombre', (array['Escuela','Colegio','Jardín de Niños','Secundaria Técnica'])[1 + (g % 4)] || ' ' || c.name || ' ' || g,
                                      'nivel', (array['preescolar','primaria','primaria','secundaria'])[1 + (g % 4)],
                                      'alumnos', 80 + ((g * 37 + c.id) % 420)),
                   (ST_Dump(ST_GeneratePoints(c.geom, 1, (g * 7 + c.id)::int))).geom
              from territorial_units c, generate_series(1, 5) g
             where c.municipality_id = '32056' and c.level = 'colonia'`.execute(trx);
  const parques = await layer('32056-areas-verdes-demo', 'Parques y áreas verdes (demostración)', 'areas-verdes', 'Parques, jardines y camellones arbolados. Datos de demostración.', [
    { name: 'nombre', type: 'text', description: 'Nombre del área verde' },
    { name: 'superficie_m2', type: 'number', description: 'Superficie en metros cuadrados' },
  ], { tipo: 'graduado', campo: 'superficie_m2', metodo: 'cuantiles', clases: 4 });
  await sql`insert into gis_features (layer_id, municipality_id, fid, properties, geom)
            select ${parques}::bigint, '32056', row_number() over (order by c.id), jsonb_build_object('nombre', 'Parque ' || c.name, 'superficie_m2', round(ST_Area(b::geography)::numeric)), b
              from (select c.id, c.name, ST_Buffer(ST_PointOnSurface(c.geom)::geography, 60 + (c.id % 5) * 40)::geometry as b
                      from territorial_units c where c.municipality_id = '32056' and c.level = 'colonia') c`.execute(trx);
  for (const id of [escuelas, parques]) {
    await sql`update gis_layers set feature_count = (select count(*) from gis_features where layer_id = ${id}),
                geometry_type = (select GeometryType(geom) from gis_features where layer_id = ${id} limit 1),
                bbox = (select array[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)] from (select ST_Extent(geom) as e from gis_features where layer_id = ${id}) x)
              where id = ${id}`.execute(trx);
  }
}
