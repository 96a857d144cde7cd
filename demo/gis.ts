/**
 * DATOS DE DEMOSTRACIÓN — SIG layers generated inside the demo colonias of Zacatecas: schools, health
 * centres, markets and cultural venues (points), main roads (lines), parks and land-use zoning
 * (polygons), each with a saved style. Names and figures are invented; positions are seeded so every
 * install draws the same map.
 */
import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { DB } from '../src/server/db/types.ts';
import type { Estilo } from '../src/server/modules/gis/schemas.ts';
import { normaliseStyle } from '../src/server/modules/gis/styles.ts';

const SOURCE = 'Datos de demostración generados por Brújula';
const GREENS = ['#edf8e9', '#c7e9c0', '#a1d99b', '#74c476', '#41ab5d', '#238b45', '#006d2c', '#00441b', '#002a10'];

interface DemoLayer {
  slug: string;
  titulo: string;
  tema: string;
  descripcion: string;
  atributos: { name: string; type: string; description: string }[];
  estilo: Estilo;
  /** select (properties jsonb, geom) rows; `c` is the demo colonias of 32056. */
  rows: RawBuilder<unknown>;
}

const colonias = sql`(select id, name, geom from territorial_units where municipality_id = '32056' and level = 'colonia')`;

const LAYERS: DemoLayer[] = [
  {
    slug: '32056-escuelas-demo',
    titulo: 'Escuelas de educación básica (demostración)',
    tema: 'educacion',
    descripcion: 'Planteles públicos de preescolar, primaria y secundaria. Datos de demostración.',
    atributos: [
      { name: 'nombre', type: 'text', description: 'Nombre del plantel' },
      { name: 'nivel', type: 'text', description: 'Preescolar, primaria o secundaria' },
      { name: 'alumnos', type: 'integer', description: 'Matrícula del ciclo 2025–2026' },
    ],
    estilo: {
      tipo: 'categorias',
      campo: 'nivel',
      color: '#9e9e9e',
      categorias: [
        { valor: 'preescolar', color: '#e7298a' },
        { valor: 'primaria', color: '#1b9e77' },
        { valor: 'secundaria', color: '#7570b3' },
      ],
    },
    rows: sql`select jsonb_build_object('nombre', (array['Escuela','Colegio','Jardín de Niños','Secundaria Técnica'])[1 + (g % 4)] || ' ' || c.name || ' ' || g,
                                        'nivel', (array['preescolar','primaria','primaria','secundaria'])[1 + (g % 4)],
                                        'alumnos', 80 + ((g * 37 + c.id) % 420)),
                     (ST_Dump(ST_GeneratePoints(c.geom, 1, (g * 7 + c.id)::int))).geom
                from ${colonias} c, generate_series(1, 5) g`,
  },
  {
    slug: '32056-salud-demo',
    titulo: 'Centros de salud (demostración)',
    tema: 'salud',
    descripcion: 'Centros de salud, unidades de medicina familiar y hospitales. Datos de demostración.',
    atributos: [
      { name: 'nombre', type: 'text', description: 'Nombre de la unidad' },
      { name: 'tipo', type: 'text', description: 'Centro de salud, UMF u hospital' },
      { name: 'consultorios', type: 'integer', description: 'Consultorios en servicio' },
    ],
    estilo: {
      tipo: 'categorias',
      campo: 'tipo',
      color: '#9e9e9e',
      categorias: [
        { valor: 'Centro de salud', color: '#d95f02' },
        { valor: 'UMF', color: '#1f78b4' },
        { valor: 'Hospital', color: '#e31a1c' },
      ],
    },
    rows: sql`select jsonb_build_object('nombre', (array['Centro de Salud','UMF','Hospital General'])[1 + (c.id % 3)] || ' ' || c.name,
                                        'tipo', (array['Centro de salud','UMF','Hospital'])[1 + (c.id % 3)],
                                        'consultorios', 2 + (c.id * 5) % 18),
                     (ST_Dump(ST_GeneratePoints(c.geom, 1, (c.id * 13)::int))).geom
                from ${colonias} c where c.id % 2 = 0 or c.name like 'Centro%'`,
  },
  {
    slug: '32056-mercados-demo',
    titulo: 'Mercados y tianguis (demostración)',
    tema: 'infraestructura',
    descripcion: 'Mercados municipales y tianguis con su día de instalación. Datos de demostración.',
    atributos: [
      { name: 'nombre', type: 'text', description: 'Nombre del mercado o tianguis' },
      { name: 'tipo', type: 'text', description: 'Mercado o tianguis' },
      { name: 'locales', type: 'integer', description: 'Locales o puestos' },
      { name: 'dia', type: 'text', description: 'Día de instalación (tianguis)' },
    ],
    estilo: { tipo: 'unico', color: '#e6ab02' },
    rows: sql`select jsonb_build_object('nombre', case when c.id % 3 = 0 then 'Mercado ' else 'Tianguis ' end || c.name,
                                        'tipo', case when c.id % 3 = 0 then 'mercado' else 'tianguis' end,
                                        'locales', 20 + (c.id * 17) % 160,
                                        'dia', case when c.id % 3 = 0 then null else (array['lunes','martes','miércoles','jueves','viernes','sábado','domingo'])[1 + c.id % 7] end),
                     (ST_Dump(ST_GeneratePoints(c.geom, 1, (c.id * 29)::int))).geom
                from ${colonias} c where c.id % 3 <> 1`,
  },
  {
    slug: '32056-cultura-demo',
    titulo: 'Espacios culturales (demostración)',
    tema: 'cultura',
    descripcion: 'Museos, teatros, bibliotecas y casas de cultura. Datos de demostración.',
    atributos: [
      { name: 'nombre', type: 'text', description: 'Nombre del espacio' },
      { name: 'tipo', type: 'text', description: 'Museo, teatro, biblioteca o casa de cultura' },
      { name: 'aforo', type: 'integer', description: 'Personas' },
    ],
    estilo: {
      tipo: 'categorias',
      campo: 'tipo',
      color: '#9e9e9e',
      categorias: [
        { valor: 'museo', color: '#7570b3' },
        { valor: 'teatro', color: '#e7298a' },
        { valor: 'biblioteca', color: '#66a61e' },
        { valor: 'casa de cultura', color: '#a6761d' },
      ],
    },
    rows: sql`select jsonb_build_object('nombre', initcap((array['museo','teatro','biblioteca','casa de cultura'])[1 + (g + c.id) % 4]) || ' ' || c.name,
                                        'tipo', (array['museo','teatro','biblioteca','casa de cultura'])[1 + (g + c.id) % 4],
                                        'aforo', 40 + ((g * 53 + c.id * 11) % 600)),
                     (ST_Dump(ST_GeneratePoints(c.geom, 1, (g * 31 + c.id)::int))).geom
                from ${colonias} c, generate_series(1, case when c.name like 'Centro%' then 6 else 1 end) g`,
  },
  {
    slug: '32056-vialidades-demo',
    titulo: 'Vialidades principales (demostración)',
    tema: 'vialidades',
    descripcion: 'Avenidas que unen el centro con cada colonia y un libramiento. Datos de demostración.',
    atributos: [
      { name: 'nombre', type: 'text', description: 'Nombre de la vialidad' },
      { name: 'tipo', type: 'text', description: 'Avenida, calle principal o libramiento' },
      { name: 'carriles', type: 'integer', description: 'Carriles totales' },
    ],
    estilo: {
      tipo: 'categorias',
      campo: 'tipo',
      color: '#757575',
      categorias: [
        { valor: 'libramiento', color: '#d73027' },
        { valor: 'avenida', color: '#fc8d59' },
        { valor: 'calle principal', color: '#4d4d4d' },
      ],
    },
    rows: sql`with centro as (select ST_PointOnSurface(geom) as p from ${colonias} c order by id limit 1),
                   pts as (select c.id, c.name, ST_PointOnSurface(c.geom) as p from ${colonias} c)
              select jsonb_build_object('nombre', 'Av. ' || pts.name, 'tipo', case when pts.id % 2 = 0 then 'avenida' else 'calle principal' end, 'carriles', case when pts.id % 2 = 0 then 4 else 2 end),
                     ST_MakeLine(array[centro.p, ST_Translate(ST_LineInterpolatePoint(ST_MakeLine(centro.p, pts.p), 0.5), 0.002 * sin(pts.id), 0.002 * cos(pts.id)), pts.p])
                from pts, centro where not ST_Equals(pts.p, centro.p)
              union all
              select jsonb_build_object('nombre', 'Libramiento Demostración', 'tipo', 'libramiento', 'carriles', 6),
                     ST_ExteriorRing(ST_Buffer(ST_ConvexHull(ST_Collect(p)), 0.004, 'quad_segs=4'))
                from pts`,
  },
  {
    slug: '32056-areas-verdes-demo',
    titulo: 'Parques y áreas verdes (demostración)',
    tema: 'areas-verdes',
    descripcion: 'Parques, jardines y camellones arbolados. Datos de demostración.',
    atributos: [
      { name: 'nombre', type: 'text', description: 'Nombre del área verde' },
      { name: 'superficie_m2', type: 'number', description: 'Superficie en metros cuadrados' },
    ],
    estilo: { tipo: 'graduado', campo: 'superficie_m2', metodo: 'cuantiles', clases: 4, colores: GREENS },
    rows: sql`select jsonb_build_object('nombre', 'Parque ' || c.name, 'superficie_m2', round(ST_Area(b::geography)::numeric)), b
                from (select c.id, c.name, ST_Buffer(ST_PointOnSurface(c.geom)::geography, 60 + (c.id % 5) * 40)::geometry as b from ${colonias} c) c`,
  },
  {
    slug: '32056-zonificacion-demo',
    titulo: 'Zonificación secundaria — usos de suelo (demostración)',
    tema: 'ordenamiento',
    descripcion: 'Usos de suelo y densidad permitida por zona, como los de un Programa de Desarrollo Urbano. Datos de demostración.',
    atributos: [
      { name: 'clave', type: 'text', description: 'Clave de la zona' },
      { name: 'uso', type: 'text', description: 'Uso de suelo predominante' },
      { name: 'densidad_viv_ha', type: 'integer', description: 'Densidad máxima (viviendas por hectárea)' },
      { name: 'cos', type: 'number', description: 'Coeficiente de ocupación del suelo' },
    ],
    estilo: {
      tipo: 'categorias',
      campo: 'uso',
      color: '#9e9e9e',
      opacidad: 0.55,
      categorias: [
        { valor: 'Habitacional', color: '#ffd92f' },
        { valor: 'Mixto', color: '#fc8d62' },
        { valor: 'Comercial y de servicios', color: '#e78ac3' },
        { valor: 'Industrial', color: '#8da0cb' },
        { valor: 'Equipamiento', color: '#66c2a5' },
        { valor: 'Conservación', color: '#a6d854' },
      ],
    },
    rows: sql`select jsonb_build_object('clave', 'Z-' || lpad(row_number() over (order by c.id)::text, 2, '0'),
                                        'uso', (array['Habitacional','Mixto','Habitacional','Comercial y de servicios','Habitacional','Industrial','Equipamiento','Conservación'])[1 + c.id % 8],
                                        'densidad_viv_ha', (array[60, 90, 40, 120, 30, 0, 0, 0])[1 + c.id % 8],
                                        'cos', (array[0.7, 0.8, 0.6, 0.9, 0.5, 0.75, 0.6, 0.1])[1 + c.id % 8]),
                     c.geom
                from ${colonias} c`,
  },
];

export async function loadGisLayers(trx: Transaction<DB>) {
  await sql`select setseed(0.32056)`.execute(trx);
  for (const l of LAYERS) {
    const { id } = await trx
      .insertInto('gis_layers')
      .values({
        municipality_id: '32056',
        slug: l.slug,
        titulo: l.titulo,
        tema: l.tema,
        descripcion: l.descripcion,
        fuente: SOURCE,
        fecha: '2026-01-15',
        frecuencia: 'anual',
        publico: true,
        atributos: JSON.stringify(l.atributos),
        estilo: '{}',
        is_demo: true,
        version: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await sql`insert into gis_features (layer_id, municipality_id, fid, properties, geom)
              select ${id}::bigint, '32056', row_number() over (), r.*
                from (${l.rows}) as r(properties, geom)`.execute(trx);
    const estilo = await normaliseStyle(trx, { id, atributos: l.atributos }, l.estilo);
    await sql`update gis_layers set feature_count = (select count(*) from gis_features where layer_id = ${id}),
                geometry_type = (select GeometryType(geom) from gis_features where layer_id = ${id} limit 1),
                bbox = (select array[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)] from (select ST_Extent(geom) as e from gis_features where layer_id = ${id}) x),
                estilo = ${JSON.stringify(estilo)}::jsonb
              where id = ${id}`.execute(trx);
  }
}
