-- Overviews of dense tiles of large layers. Where a tile at zoom z would hold more than a few
-- thousand features, the features smaller than a cell of 1/128 of the tile (≈4 px) are merged per
-- cell into one feature carrying the count and one member's attributes; the tile is then drawn from
-- those cells. Cells follow the Web Mercator tile grid, so they nest in the tiles clients ask for.
-- Derived data, rebuilt on every upload: no audit trigger (like gis_features).

create table gis_overviews (
  layer_id bigint not null references gis_layers (id) on delete cascade,
  z smallint not null check (z between 0 and 22),
  -- The tile the cell belongs to: a tile reads its own cells and its neighbours' (for the buffer)
  -- through a b-tree, far cheaper to fill on upload than a spatial index.
  tx integer not null,
  ty integer not null,
  -- The member whose attributes the cell shows (read from gis_features, so a change of attribute
  -- types shows at once), and how many features the cell merges.
  fid integer not null,
  n integer not null,
  geom geometry(Geometry, 4326) not null
);
create index gis_overviews_tile_idx on gis_overviews (layer_id, z, tx, ty);

-- The tiles drawn from the overview (every other tile reads the features).
create table gis_overview_tiles (
  layer_id bigint not null references gis_layers (id) on delete cascade,
  z smallint not null,
  x integer not null,
  y integer not null,
  -- Features in the tile before merging, and cells after.
  features integer not null,
  cells integer not null,
  primary key (layer_id, z, x, y)
);

-- Each feature's size in degrees (largest side of its box): features larger than a cell are never
-- merged. The layer keeps its largest, so dense tiles skip looking for large features when there are none.
alter table gis_features add column extent double precision not null default 0;
alter table gis_layers add column max_extent double precision;
