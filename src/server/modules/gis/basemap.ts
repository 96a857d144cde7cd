import fs from 'node:fs';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.ts';
import { readArchiveInfo, writeArchive } from './pmtiles.ts';
import { encodeMvt, tileFeatures, type TileSource } from './tiles.ts';

/**
 * A self-hosted basemap built from what Brújula already holds: municipal boundaries, urban localities,
 * colonias and blocks from the territory module, and the public road and green-area layers of the
 * catalogue. Written as one PMTiles file in `<data>/basemap/`, which the server hands out with HTTP
 * range requests — streets and places without any internet-facing tile service.
 */
export const BASEMAP_FILE = 'basemap.pmtiles';

/** Where the installation's own basemap lives in its data folder. */
export const basemapFile = (dataDir: string) => path.join(dataDir, 'basemap', BASEMAP_FILE);

interface BaseLayer {
  id: string;
  minzoom: number;
  source: (municipalities: string[]) => TileSource;
}

const units =
  (level: string, boundary = false) =>
  (m: string[]): TileSource =>
  (box) =>
    sql`select id as fid, jsonb_build_object('nombre', name, 'clave', cvegeo) as props, ${boundary ? sql`ST_Boundary(geom)` : sql`geom`} as geom
        from shared_units where level = ${level} and municipality_id = any(${m}::text[]) and geom && ${box}`;
const catalogue =
  (tema: string) =>
  (m: string[]): TileSource =>
  (box) =>
    sql`select f.fid, jsonb_build_object('nombre', f.properties->>'nombre', 'tipo', f.properties->>'tipo') as props, f.geom
        from gis_features f join gis_layers l on l.id = f.layer_id where l.tema = ${tema} and l.publico and f.municipality_id = any(${m}::text[]) and f.geom && ${box}`;

/**
 * Place names as points (inside each polygon), for the map's labels: municipalities, localities
 * (urban ones and the larger rural ones first) and colonias. `rango` orders them when they collide.
 */
const labels =
  (m: string[]): TileSource =>
  (box) =>
    sql`select id as fid,
             jsonb_build_object('nombre', name, 'tipo', level,
               'rango', case when level = 'municipio' then 1 when level = 'localidad' and (attributes->>'ambito' = 'URBANO' or population >= 2500) then 2
                             when level = 'colonia' then 3 else 4 end) as props,
             ST_PointOnSurface(geom) as geom
        from shared_units
       where level in ('municipio', 'localidad', 'colonia') and municipality_id = any(${m}::text[]) and geom && ${box}
         and ST_Intersects(ST_PointOnSurface(geom), ${box})`;

// Bottom to top. Municipal limits are lines so tiles inside a municipality stay empty at high zooms.
const LAYERS: BaseLayer[] = [
  { id: 'municipios', minzoom: 0, source: units('municipio', true) },
  { id: 'localidades', minzoom: 8, source: units('localidad') },
  { id: 'areas_verdes', minzoom: 11, source: catalogue('areas-verdes') },
  { id: 'manzanas', minzoom: 14, source: units('manzana') },
  { id: 'colonias', minzoom: 12, source: units('colonia') },
  { id: 'vialidades', minzoom: 10, source: catalogue('vialidades') },
  { id: 'etiquetas', minzoom: 8, source: labels },
];

export interface BuildOptions {
  dataDir: string;
  municipalities?: string[];
  minzoom?: number;
  maxzoom?: number;
  onProgress?: (done: number, z: number) => void;
}

/** Builds the basemap: tiles from `minzoom`, descending only into tiles that have something to draw. */
export async function buildBasemap(db: Kysely<DB>, o: BuildOptions) {
  const municipalities = o.municipalities?.length
    ? o.municipalities
    : (await db.selectFrom('shared_municipalities').select('id').where('active', '=', true).execute()).map((m) => m.id);
  const minzoom = o.minzoom ?? 8;
  const maxzoom = o.maxzoom ?? 15;
  const ext = await sql<{ b: number[] | null }>`select array[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)] as b
    from (select ST_Extent(geom) as e from shared_units where municipality_id = any(${municipalities}::text[]) and level in ('municipio', 'localidad', 'colonia')) x`.execute(
    db,
  );
  const bbox = ext.rows[0]?.b;
  if (!bbox || bbox.some((v) => v === null)) throw new Error('No hay unidades territoriales con geometría para construir el mapa base.');
  const [w, s, e, n] = bbox;
  const lon2x = (lon: number, z: number) => Math.floor(((lon + 180) / 360) * 2 ** z);
  const lat2y = (lat: number, z: number) =>
    Math.floor(((1 - Math.log(Math.tan((lat * Math.PI) / 180) + 1 / Math.cos((lat * Math.PI) / 180)) / Math.PI) / 2) * 2 ** z);
  let queue: [number, number, number][] = [];
  for (let x = lon2x(w, minzoom); x <= lon2x(e, minzoom); x++)
    for (let y = lat2y(n, minzoom); y <= lat2y(s, minzoom); y++) queue.push([minzoom, x, y]);
  const tiles: { z: number; x: number; y: number; data: Buffer }[] = [];
  for (let z = minzoom; z <= maxzoom && queue.length; z++) {
    const next: [number, number, number][] = [];
    for (const [, x, y] of queue) {
      // Let waiting requests have the database between tiles (PGlite has one session).
      await new Promise((r) => setImmediate(r));
      const layers: Record<string, Awaited<ReturnType<typeof tileFeatures>>> = {};
      for (const l of LAYERS) if (z >= l.minzoom) layers[l.id] = await tileFeatures(db, l.source(municipalities), z, x, y);
      const data = await encodeMvt(layers);
      if (!data.length) continue;
      tiles.push({ z, x, y, data });
      if (z < maxzoom)
        next.push([z + 1, 2 * x, 2 * y], [z + 1, 2 * x + 1, 2 * y], [z + 1, 2 * x, 2 * y + 1], [z + 1, 2 * x + 1, 2 * y + 1]);
    }
    o.onProgress?.(tiles.length, z);
    queue = next;
  }
  const dir = path.join(o.dataDir, 'basemap');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, BASEMAP_FILE);
  const written = writeArchive(file, tiles, {
    tileType: 'mvt',
    minZoom: minzoom,
    maxZoom: maxzoom,
    bounds: [w, s, e, n],
    metadata: {
      name: 'Brújula',
      description: 'Mapa base generado por Brújula con límites municipales, localidades, colonias, manzanas, vialidades y áreas verdes.',
      attribution: 'Brújula · INEGI Marco Geoestadístico',
      type: 'baselayer',
      vector_layers: LAYERS.map((l) => ({
        id: l.id,
        minzoom: l.minzoom,
        maxzoom,
        fields: { nombre: 'String', clave: 'String', tipo: 'String' },
      })),
    },
  });
  return { file, ...written };
}

/** The basemap files an installation serves (any *.pmtiles placed in `<data>/basemap/`), with what a map needs. */
export function basemapInfo(dataDir: string) {
  const dir = path.join(dataDir, 'basemap');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.pmtiles'))
    .sort((a, b) => (a === BASEMAP_FILE ? -1 : b === BASEMAP_FILE ? 1 : a.localeCompare(b)))
    .flatMap((f) => {
      const info = readArchiveInfo(path.join(dir, f));
      return info && info.tileType !== 'unknown' ? [{ url: `/basemap/${f}`, ...info }] : [];
    });
}
