-- Each uploaded layer's features in their own partition. An upload loads a fresh table without
-- indexes, indexes it once and swaps it in for the old one: a million points went into the shared,
-- indexed table in 19 s, and take a few seconds this way (see bench/README.md). Layers whose data
-- was written directly (the demo, a restore) live in the default partition until their next upload.
-- The generated id column goes: (layer_id, fid) identifies a feature, and PostgreSQL 15 has no
-- identity columns on partitioned tables.

create table gis_features_part (
  layer_id bigint not null references gis_layers (id) on delete cascade,
  municipality_id text not null references municipalities (id),
  fid integer not null,
  properties jsonb not null default '{}',
  geom geometry(Geometry, 4326) not null,
  extent double precision not null default 0,
  primary key (layer_id, fid)
) partition by list (layer_id);
create table gis_features_default partition of gis_features_part default;
insert into gis_features_part (layer_id, municipality_id, fid, properties, geom, extent)
  select layer_id, municipality_id, fid, properties, geom, extent from gis_features;
drop table gis_features;
alter table gis_features_part rename to gis_features;
alter table gis_features rename constraint gis_features_part_pkey to gis_features_pkey;
create index gis_features_geom_idx on gis_features using gist (geom);
