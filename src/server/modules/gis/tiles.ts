import crypto from 'node:crypto';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../../db/types.ts';
import { cellDegrees } from './overviews.ts';

/**
 * Vector tiles (MVT) of a layer. PostgreSQL encodes them itself with ST_AsMVT; PGlite's PostGIS is
 * built without protobuf (no ST_AsMVT/ST_AsMVTGeom), so there PostGIS does the same geometry work
 * (to Web Mercator, simplify for the zoom, clip with a buffer, to tile pixels) and JavaScript writes
 * the protobuf with @maplibre/vt-pbf. Both paths are measured in bench/ (see the README).
 */
export const EXTENT = 4096;
const BUFFER = 64;

export interface TileLayer {
  id: number;
  slug: string;
  version: number;
  atributos: { name: string; type: string }[];
  estilo: Record<string, unknown>;
  geometry_type?: string | null;
  max_extent?: number | null;
}

/** Rows (fid, props, geom) of a tile's source, given the SQL of the tile's box in EPSG:4326. */
export type TileSource = (box: RawBuilder<unknown>) => RawBuilder<unknown>;

/**
 * Attributes in a tile: all from zoom 12 on; below, only the one the saved style uses plus those a
 * client asks for (`campos`, e.g. the viewer's filter or an unsaved style), keeping low-zoom tiles small.
 */
export function tileAttributes(layer: TileLayer, z: number, campos: string[] = []): string[] {
  if (z >= 12) return layer.atributos.map((a) => a.name);
  const wanted = new Set(campos);
  if (typeof layer.estilo.campo === 'string') wanted.add(layer.estilo.campo);
  return layer.atributos.filter((a) => wanted.has(a.name)).map((a) => a.name);
}

/** Simplification tolerance in metres: half a tile pixel at this zoom. */
const tolerance = (z: number) => (40_075_016.686 / 2 ** z / EXTENT) * 0.5;

/**
 * Where a layer's tile comes from: its features, or for a dense tile (see overviews.ts) the merged
 * cells (with their count `n`) plus, for polygons and lines, the features still large at that zoom.
 */
export function layerSource(layer: TileLayer, tile: [number, number, number], campos: string[] = [], dense = false): TileSource {
  const [z, x, y] = tile;
  const attrs = tileAttributes(layer, z, campos);
  // Every attribute: the stored object as it is (rebuilding it per feature doubled zoom-14 parcel tiles).
  const all = attrs.length === layer.atributos.length;
  const props = (col: RawBuilder<unknown>) =>
    all
      ? col
      : attrs.length
        ? sql`jsonb_build_object(${sql.join(attrs.flatMap((a) => [sql`${a}::text`, sql`${col} -> ${a}::text`]))})`
        : sql`'{}'::jsonb`;
  const raw = (box: RawBuilder<unknown>, extra: RawBuilder<unknown> = sql``) =>
    sql`select f.fid, ${props(sql`f.properties`)} as props, f.geom from gis_features f where f.layer_id = ${layer.id}::bigint and f.geom && ${box} ${extra}`;
  if (!dense) return (box) => raw(box);
  // A cell shows its representative member's attributes (joined only when some are asked for); a
  // tile's rows include its neighbours' edge cells, which fill its buffer.
  const cells = () =>
    sql`select o.fid, ${attrs.length ? props(sql`f.properties`) : sql`'{}'::jsonb`} || jsonb_build_object('n', o.n) as props, o.geom
          from gis_overviews o ${attrs.length ? sql`join gis_features f on f.layer_id = o.layer_id and f.fid = o.fid` : sql``}
         where o.layer_id = ${layer.id}::bigint and o.z = ${z}::smallint and o.tx = ${x}::int and o.ty = ${y}::int`;
  // Only when some feature is larger than a cell (else the index scan would visit every feature for nothing).
  if ((layer.geometry_type ?? '').replace('MULTI', '') === 'POINT' || (layer.max_extent ?? Infinity) < cellDegrees(z)) return cells;
  return (box) => sql`${cells()} union all ${raw(box, sql`and f.extent >= ${cellDegrees(z)}::float8`)}`;
}

export async function tileNative(
  db: Kysely<DB>,
  layer: TileLayer,
  z: number,
  x: number,
  y: number,
  campos: string[] = [],
  dense = false,
): Promise<Buffer> {
  const source = layerSource(layer, [z, x, y], campos, dense);
  // ST_AsMVTGeom snaps to the tile's grid itself; simplifying first pays off only where features
  // span many pixels' worth of vertices (low zooms) and never for points (measured: zoom-14 parcels
  // 128 ms with it, see bench/README.md).
  const points = (layer.geometry_type ?? '').replace('MULTI', '') === 'POINT';
  const mercator =
    points || z >= 14 ? sql`ST_Transform(s.geom, 3857)` : sql`ST_Simplify(ST_Transform(s.geom, 3857), ${tolerance(z)}::float8, true)`;
  const r = await sql<{ mvt: Buffer }>`
    with t as (select ST_TileEnvelope(${z}::int, ${x}::int, ${y}::int) as e, ST_TileEnvelope(${z}::int, ${x}::int, ${y}::int, margin => ${BUFFER / EXTENT}::float8) as m)
    select ST_AsMVT(q, ${layer.slug}::text, ${EXTENT}::int, 'geom', 'fid') as mvt from (
      select s.fid, s.props,
             ST_AsMVTGeom(${mercator}, t.e, ${EXTENT}::int, ${BUFFER}::int, true) as geom
        from t, lateral (${source(sql`ST_Transform(t.m, 4326)`)}) s
    ) q where q.geom is not null`.execute(db);
  return r.rows[0]?.mvt ?? Buffer.alloc(0);
}

type Ring = [number, number][];
export interface VtFeature {
  id: number;
  type: 1 | 2 | 3;
  geometry: Ring[] | Ring;
  tags: Record<string, unknown>;
}

/**
 * The features of one tile from any source (rows `fid, props, geom`): PostGIS does the geometry
 * work (to Web Mercator, simplify for the zoom, clip with a buffer, to tile pixels), JavaScript keeps the
 * parts MVT can hold. Used for layer tiles on PGlite and for the basemap on both databases.
 */
export async function tileFeatures(db: Kysely<DB>, source: TileSource, z: number, x: number, y: number): Promise<VtFeature[]> {
  // Exterior rings clockwise in Mercator have a positive area once y is flipped, as MVT requires.
  const r = await sql<{ fid: number; props: Record<string, unknown>; g: string | null }>`
    with t as (select ST_TileEnvelope(${z}::int, ${x}::int, ${y}::int) as e, ST_TileEnvelope(${z}::int, ${x}::int, ${y}::int, margin => ${BUFFER / EXTENT}::float8) as m)
    select s.fid, s.props,
           ST_AsGeoJSON(ST_RemoveRepeatedPoints(ST_SnapToGrid(ST_TransScale(
             ST_ClipByBox2D(ST_ForcePolygonCW(ST_Simplify(ST_Transform(s.geom, 3857), ${tolerance(z)}::float8, true)), t.m::box2d),
             -ST_XMin(t.e), -ST_YMax(t.e), ${EXTENT}::float8 / (ST_XMax(t.e) - ST_XMin(t.e)), -${EXTENT}::float8 / (ST_YMax(t.e) - ST_YMin(t.e))), 1)), 0) as g
      from t, lateral (${source(sql`ST_Transform(t.m, 4326)`)}) s`.execute(db);
  const features: VtFeature[] = [];
  for (const row of r.rows) {
    if (!row.g) continue;
    const g = JSON.parse(row.g) as { type: string; coordinates: unknown };
    const tags = Object.fromEntries(
      Object.entries(row.props ?? {})
        .filter(([, v]) => v !== null && v !== undefined)
        .map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : v]),
    );
    const add = (type: 1 | 2 | 3, geometry: Ring[] | Ring) =>
      geometry.length ? features.push({ id: Number(row.fid), type, geometry, tags }) : 0;
    switch (g.type) {
      case 'Point':
        add(1, [g.coordinates as [number, number]]);
        break;
      case 'MultiPoint':
        add(1, g.coordinates as Ring);
        break;
      case 'LineString':
        add(
          2,
          [g.coordinates as Ring].filter((l) => l.length > 1),
        );
        break;
      case 'MultiLineString':
        add(
          2,
          (g.coordinates as Ring[]).filter((l) => l.length > 1),
        );
        break;
      case 'Polygon':
        add(
          3,
          (g.coordinates as Ring[]).filter((l) => l.length > 3),
        );
        break;
      case 'MultiPolygon':
        add(
          3,
          (g.coordinates as Ring[][]).flat().filter((l) => l.length > 3),
        );
        break;
      case 'GeometryCollection':
        for (const part of (g as unknown as { geometries: { type: string; coordinates: unknown }[] }).geometries) {
          if (part.type === 'Polygon')
            add(
              3,
              (part.coordinates as Ring[]).filter((l) => l.length > 3),
            );
          else if (part.type === 'LineString') add(2, [part.coordinates as Ring]);
          else if (part.type === 'Point') add(1, [part.coordinates as [number, number]]);
        }
        break;
    }
  }
  return features;
}

/** Encodes named layers of features as one MVT. */
export async function encodeMvt(layers: Record<string, VtFeature[]>): Promise<Buffer> {
  const nonEmpty = Object.fromEntries(
    Object.entries(layers)
      .filter(([, f]) => f.length)
      .map(([k, features]) => [k, { features }]),
  );
  if (!Object.keys(nonEmpty).length) return Buffer.alloc(0);
  const { fromGeojsonVt } = await import('@maplibre/vt-pbf');
  return Buffer.from(fromGeojsonVt(nonEmpty as never, { version: 2, extent: EXTENT }));
}

export async function tileJs(
  db: Kysely<DB>,
  layer: TileLayer,
  z: number,
  x: number,
  y: number,
  campos: string[] = [],
  dense = false,
): Promise<Buffer> {
  return encodeMvt({ [layer.slug]: await tileFeatures(db, layerSource(layer, [z, x, y], campos, dense), z, x, y) });
}

/** A small in-memory cache of encoded tiles; keys include the layer's version, so an upload invalidates it. */
export class TileCache {
  private map = new Map<string, { body: Buffer; etag: string }>();
  constructor(private readonly max = 5000) {}
  get(key: string) {
    const hit = this.map.get(key);
    if (hit) {
      this.map.delete(key);
      this.map.set(key, hit);
    }
    return hit;
  }
  set(key: string, body: Buffer) {
    const v = { body, etag: `"${crypto.createHash('sha1').update(body).digest('base64url')}"` };
    this.map.set(key, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
    return v;
  }
}
