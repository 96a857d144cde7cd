import crypto from 'node:crypto';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../../db/types.ts';

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
}

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

export async function tileNative(db: Kysely<DB>, layer: TileLayer, z: number, x: number, y: number, campos: string[] = []): Promise<Buffer> {
  const attrs = tileAttributes(layer, z, campos);
  const props = attrs.length ? sql`jsonb_build_object(${sql.join(attrs.flatMap((a) => [sql`${a}::text`, sql`f.properties -> ${a}::text`]))})` : sql`'{}'::jsonb`;
  const r = await sql<{ mvt: Buffer }>`
    with t as (select ST_TileEnvelope(${z}::int, ${x}::int, ${y}::int) as e, ST_TileEnvelope(${z}::int, ${x}::int, ${y}::int, margin => ${BUFFER / EXTENT}::float8) as m)
    select ST_AsMVT(q, ${layer.slug}::text, ${EXTENT}::int, 'geom', 'fid') as mvt from (
      select f.fid, ${props} as props,
             ST_AsMVTGeom(ST_Simplify(ST_Transform(f.geom, 3857), ${tolerance(z)}::float8, true), t.e, ${EXTENT}::int, ${BUFFER}::int, true) as geom
        from gis_features f, t
       where f.layer_id = ${layer.id}::bigint and f.geom && ST_Transform(t.m, 4326)
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
 * The features of one tile from any source query (`select fid, props, geom`): PostGIS does the geometry
 * work (to Web Mercator, simplify for the zoom, clip with a buffer, to tile pixels), JavaScript keeps the
 * parts MVT can hold. Used for layer tiles on PGlite and for the basemap on both databases.
 */
export async function tileFeatures(db: Kysely<DB>, source: RawBuilder<unknown>, z: number, x: number, y: number): Promise<VtFeature[]> {
  // Exterior rings clockwise in Mercator have a positive area once y is flipped, as MVT requires.
  const r = await sql<{ fid: number; props: Record<string, unknown>; g: string | null }>`
    with t as (select ST_TileEnvelope(${z}::int, ${x}::int, ${y}::int) as e, ST_TileEnvelope(${z}::int, ${x}::int, ${y}::int, margin => ${BUFFER / EXTENT}::float8) as m)
    select s.fid, s.props,
           ST_AsGeoJSON(ST_RemoveRepeatedPoints(ST_SnapToGrid(ST_TransScale(
             ST_ClipByBox2D(ST_ForcePolygonCW(ST_Simplify(ST_Transform(s.geom, 3857), ${tolerance(z)}::float8, true)), t.m::box2d),
             -ST_XMin(t.e), -ST_YMax(t.e), ${EXTENT}::float8 / (ST_XMax(t.e) - ST_XMin(t.e)), -${EXTENT}::float8 / (ST_YMax(t.e) - ST_YMin(t.e))), 1)), 0) as g
      from (${source}) s, t
     where s.geom && ST_Transform(t.m, 4326)`.execute(db);
  const features: VtFeature[] = [];
  for (const row of r.rows) {
    if (!row.g) continue;
    const g = JSON.parse(row.g) as { type: string; coordinates: unknown };
    const tags = Object.fromEntries(Object.entries(row.props ?? {}).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : v]));
    const add = (type: 1 | 2 | 3, geometry: Ring[] | Ring) => (geometry.length ? features.push({ id: Number(row.fid), type, geometry, tags }) : 0);
    switch (g.type) {
      case 'Point': add(1, [g.coordinates as [number, number]]); break;
      case 'MultiPoint': add(1, g.coordinates as Ring); break;
      case 'LineString': add(2, [g.coordinates as Ring].filter((l) => l.length > 1)); break;
      case 'MultiLineString': add(2, (g.coordinates as Ring[]).filter((l) => l.length > 1)); break;
      case 'Polygon': add(3, (g.coordinates as Ring[]).filter((l) => l.length > 3)); break;
      case 'MultiPolygon': add(3, (g.coordinates as Ring[][]).flat().filter((l) => l.length > 3)); break;
      case 'GeometryCollection':
        for (const part of (g as unknown as { geometries: { type: string; coordinates: unknown }[] }).geometries) {
          if (part.type === 'Polygon') add(3, (part.coordinates as Ring[]).filter((l) => l.length > 3));
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
  const nonEmpty = Object.fromEntries(Object.entries(layers).filter(([, f]) => f.length).map(([k, features]) => [k, { features }]));
  if (!Object.keys(nonEmpty).length) return Buffer.alloc(0);
  const { fromGeojsonVt } = await import('@maplibre/vt-pbf');
  return Buffer.from(fromGeojsonVt(nonEmpty as never, { version: 2, extent: EXTENT }));
}

export async function tileJs(db: Kysely<DB>, layer: TileLayer, z: number, x: number, y: number, campos: string[] = []): Promise<Buffer> {
  const attrs = tileAttributes(layer, z, campos);
  const props = attrs.length ? sql`jsonb_build_object(${sql.join(attrs.flatMap((a) => [sql`${a}::text`, sql`f.properties -> ${a}::text`]))})` : sql`'{}'::jsonb`;
  const source = sql`select f.fid, ${props} as props, f.geom from gis_features f where f.layer_id = ${layer.id}::bigint`;
  return encodeMvt({ [layer.slug]: await tileFeatures(db, source, z, x, y) });
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
