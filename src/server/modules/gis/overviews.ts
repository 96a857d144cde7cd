import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';

/**
 * Overviews for dense tiles. A tile over a city at zoom 12 can hold most of a million-point layer;
 * drawn on 512 pixels, most of those points overlap. Where a tile would hold more than DENSE_TILE
 * features and merging at least halves them, the features smaller than a cell (1/64 of the tile,
 * ≈8 px) are merged per cell into one
 * feature with the count `n` and one member's attributes — points at their members' mean position,
 * small polygons and lines as the cell's square — so no tile carries more than 64² merged cells.
 * Up to zoom 14: above it a tile covers under 2.5 km, and even the bench's million points around one
 * centre leave fewer than 4,000 per tile there.
 * Cells live on the Web Mercator tile grid and nest from zoom to zoom: each level is built from the one
 * above plus the features that become small at that zoom. Every other tile reads the features.
 */
export const OVERVIEW_MIN_FEATURES = 20_000;
export const DENSE_TILE = 4_000;
export const CELLS_PER_TILE = 64;
const MAX_Z = 16;
const WORLD = 20037508.342789244;

/** Cell side in degrees of longitude at zoom z (features smaller than this are merged there). */
export const cellDegrees = (z: number) => 360 / 2 ** z / CELLS_PER_TILE;
const cellMetres = (z: number) => (2 * WORLD) / 2 ** z / CELLS_PER_TILE;

type Trx = Kysely<DB> | Transaction<DB>;

/** Rebuilds a layer's overview; returns the highest zoom with a dense tile (null: none). */
export async function clearOverviews(trx: Trx, layerId: number) {
  await trx.deleteFrom('gis_overview_tiles').where('layer_id', '=', layerId).execute();
  await trx.deleteFrom('gis_overviews').where('layer_id', '=', layerId).execute();
}

// PGlite runs in the server's thread and its queries resolve as microtasks: a turn of the event loop
// between the long statements lets requests in.
const breathe = () => new Promise((r) => setImmediate(r));

export async function buildOverviews(trx: Trx, layerId: number, featureCount: number, pointsOnly: boolean): Promise<number | null> {
  await clearOverviews(trx, layerId);
  if (featureCount < OVERVIEW_MIN_FEATURES) return null;
  // Per cell: its indexes on the zoom's grid (x right, y down, like tiles), the sums of its members'
  // Web Mercator coordinates, their count and the smallest member id.
  await sql`create temp table gis_ov (z smallint, ix bigint, iy bigint, mx float8, my float8, n integer, fid integer) on commit drop`.execute(
    trx,
  );
  const members = (lo: number | null, hi: number, c: number) => sql`
    select floor((ST_X(p) + ${WORLD}::float8) / ${c}::float8) as ix, floor((${WORLD}::float8 - ST_Y(p)) / ${c}::float8) as iy, ST_X(p) as mx, ST_Y(p) as my, 1 as n, fid
      from (select f.fid, ST_Transform(ST_Centroid(f.geom), 3857) as p from gis_features f
             where f.layer_id = ${layerId} and f.extent < ${hi}::float8 ${lo === null ? sql`` : sql`and f.extent >= ${lo}::float8`}) m`;
  await sql`insert into gis_ov select ${MAX_Z}::smallint, ix, iy, sum(mx), sum(my), sum(n), min(fid) from (${members(null, cellDegrees(MAX_Z), cellMetres(MAX_Z))}) a group by ix, iy`.execute(
    trx,
  );
  for (let z = MAX_Z - 1; z >= 0; z--) {
    await breathe();
    // A cell of z + 1 lies in cell (ix / 2, iy / 2) of z; features that became small at z join.
    await sql`insert into gis_ov
              select ${z}::smallint, ix, iy, sum(mx), sum(my), sum(n), min(fid) from (
                select floor(ix / 2) as ix, floor(iy / 2) as iy, mx, my, n, fid from gis_ov where z = ${z + 1}
                ${pointsOnly ? sql`` : sql`union all ${members(cellDegrees(z + 1), cellDegrees(z), cellMetres(z))}`}) a
              group by ix, iy`.execute(trx);
  }
  await breathe();
  // A temporary table has no statistics until analysed; without them the joins below run as nested loops.
  await sql`analyze gis_ov`.execute(trx);
  await sql`insert into gis_overview_tiles (layer_id, z, x, y, features, cells)
            select ${layerId}::bigint, z, floor(ix / ${CELLS_PER_TILE}), floor(iy / ${CELLS_PER_TILE}), sum(n), count(*)
              from gis_ov group by 2, 3, 4 having sum(n) > ${DENSE_TILE} and count(*) * 2 <= sum(n)`.execute(trx);
  const c = sql`(${2 * WORLD}::float8 / 2::float8 ^ o.z / ${CELLS_PER_TILE})`;
  const K = CELLS_PER_TILE;
  const geom = pointsOnly
    ? sql`ST_SetSRID(ST_MakePoint(o.mx / o.n, o.my / o.n), 3857)`
    : sql`ST_MakeEnvelope(o.ix * ${c} - ${WORLD}::float8, ${WORLD}::float8 - (o.iy + 1) * ${c}, (o.ix + 1) * ${c} - ${WORLD}::float8, ${WORLD}::float8 - o.iy * ${c}, 3857)`;
  // Each cell of a dense tile goes with it; a cell on a tile's edge also goes with the neighbouring
  // dense tile, whose buffer (one cell wide) it falls in — so a tile reads exactly its own rows.
  await sql`insert into gis_overviews (layer_id, z, tx, ty, fid, n, geom)
            select ${layerId}::bigint, o.z, o.tx, o.ty, o.fid, o.n, ST_Transform(${geom}, 4326)
              from (select o.*, t.x as tx, t.y as ty from gis_ov o
                      join gis_overview_tiles t on t.layer_id = ${layerId} and t.z = o.z and t.x = floor(o.ix / ${K}) and t.y = floor(o.iy / ${K})
                    union all
                    select o.*, t.x, t.y from gis_ov o
                      cross join (values (-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)) d(dx, dy)
                      join gis_overview_tiles t on t.layer_id = ${layerId} and t.z = o.z and t.x = floor(o.ix / ${K}) + d.dx and t.y = floor(o.iy / ${K}) + d.dy
                     where (o.ix % ${K} in (0, ${K - 1}) or o.iy % ${K} in (0, ${K - 1}))
                       and (d.dx = 0 or (d.dx = -1 and o.ix % ${K} = 0) or (d.dx = 1 and o.ix % ${K} = ${K - 1}))
                       and (d.dy = 0 or (d.dy = -1 and o.iy % ${K} = 0) or (d.dy = 1 and o.iy % ${K} = ${K - 1}))) o`.execute(trx);
  await sql`drop table gis_ov`.execute(trx);
  const top = await trx
    .selectFrom('gis_overview_tiles')
    .select((eb) => eb.fn.max('z').as('z'))
    .where('layer_id', '=', layerId)
    .executeTakeFirst();
  return top?.z ?? null;
}

/** The dense tiles of a layer, as "z/x/y" keys, read once per layer version. */
export async function denseTiles(db: Kysely<DB>, layerId: number): Promise<Set<string>> {
  const rows = await db.selectFrom('gis_overview_tiles').select(['z', 'x', 'y']).where('layer_id', '=', layerId).execute();
  return new Set(rows.map((r) => `${r.z}/${r.x}/${r.y}`));
}
