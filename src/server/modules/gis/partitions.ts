import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';

/**
 * A layer's features live in their own partition of gis_features (migration 0010). An upload fills a
 * fresh table without indexes, indexes it once, and swaps it in for the layer's previous partition in
 * the upload's transaction — readers see the old data or the new, never a mix.
 */
type Db = Kysely<DB> | Transaction<DB>;

const id = (n: number) => sql.raw(String(Math.trunc(n)));
export const partitionName = (layerId: number, suffix: string) =>
  `gis_features_l${Math.trunc(layerId)}_v${suffix.replace(/[^a-z0-9]/g, '')}`;

/** A table shaped like gis_features that only accepts the layer's rows (so attaching it needs no scan). */
export async function createPartitionTable(db: Db, layerId: number, name: string) {
  await sql`drop table if exists ${sql.table(name)}`.execute(db);
  await sql`create table ${sql.table(name)} (like gis_features including defaults)`.execute(db);
  await sql`alter table ${sql.table(name)} add constraint ${sql.id(`${name}_layer`)} check (layer_id = ${id(layerId)})`.execute(db);
}

/** Partitions attached for a layer, and leftover tables of interrupted uploads. */
async function layerTables(db: Db, layerId: number) {
  const r = await sql<{ name: string; attached: boolean }>`
    select c.relname as name, c.relispartition as attached from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind = 'r' and c.relname like ${`gis_features_l${Math.trunc(layerId)}_v%`}`.execute(db);
  return r.rows;
}

/** Indexes the new table and puts it in place of the layer's data (in the caller's transaction). */
export async function swapInPartition(trx: Db, layerId: number, name: string) {
  await sql`create index ${sql.id(`${name}_geom`)} on ${sql.table(name)} using gist (geom)`.execute(trx);
  await sql`alter table ${sql.table(name)} add constraint ${sql.id(`${name}_pkey`)} primary key (layer_id, fid)`.execute(trx);
  await dropLayerPartitions(trx, layerId, name);
  // Rows written directly (demo, restore) sit in the default partition.
  await sql`delete from gis_features_default where layer_id = ${layerId}`.execute(trx);
  await sql`alter table gis_features attach partition ${sql.table(name)} for values in (${id(layerId)})`.execute(trx);
}

/**
 * Drops tables of uploads that were cut short (the process killed during a COPY on PostgreSQL):
 * unattached partitions whose name's timestamp is older than `olderThanMs`, so an upload still
 * running in another app process keeps its table. Returns the names dropped.
 */
export async function dropOrphanPartitions(db: Db, olderThanMs = 3600_000): Promise<string[]> {
  const r = await sql<{ name: string }>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind = 'r' and not c.relispartition and c.relname ~ '^gis_features_l[0-9]+_v[0-9a-z]+$'`.execute(
    db,
  );
  const dropped: string[] = [];
  for (const { name } of r.rows) {
    // The suffix starts with Date.now() in base 36 (8 digits until the year 2059).
    const made = parseInt(name.slice(name.lastIndexOf('_v') + 2, name.lastIndexOf('_v') + 10), 36);
    if (!Number.isFinite(made) || Date.now() - made < olderThanMs) continue;
    await sql`drop table if exists ${sql.table(name)}`.execute(db);
    dropped.push(name);
  }
  return dropped;
}

/** Drops the layer's partitions and leftovers (all but `keep`). */
export async function dropLayerPartitions(trx: Db, layerId: number, keep?: string) {
  for (const t of await layerTables(trx, layerId)) {
    if (t.name === keep) continue;
    if (t.attached) await sql`alter table gis_features detach partition ${sql.table(t.name)}`.execute(trx);
    await sql`drop table ${sql.table(t.name)}`.execute(trx);
  }
}
