-- Sistema de Información Geográfica: a catalogue of layers per municipality with their metadata,
-- and the layers' features (attributes as JSON, geometry in EPSG:4326).

create table gis_layers (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  -- The collection id in OGC API – Features and the tile URL: unique per installation.
  slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9_-]{1,80}$'),
  titulo text not null check (length(titulo) between 3 and 300),
  descripcion text not null default '',
  tema text not null default 'general',
  fuente text not null default '',
  fecha date,
  licencia text not null default 'CC-BY-4.0',
  contacto text not null default '',
  frecuencia text not null default 'irregular'
    check (frecuencia in ('unica', 'diaria', 'semanal', 'mensual', 'trimestral', 'anual', 'irregular')),
  -- [{"name": "pob", "type": "integer", "description": "Población total"}, …]
  atributos jsonb not null default '[]' check (jsonb_typeof(atributos) = 'array'),
  publico boolean not null default false,
  descargable boolean not null default true,
  geometry_type text,
  feature_count integer not null default 0,
  -- [minLon, minLat, maxLon, maxLat]
  bbox double precision[],
  estilo jsonb not null default '{}',
  -- Bumped on every upload or replace: caches (tiles, downloads) key on it.
  version integer not null default 0,
  origen text,
  is_demo boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index gis_layers_municipality_idx on gis_layers (municipality_id, tema);

-- Features are bulk data: an upload writes thousands to millions of rows at once. The audit keeps
-- one event per upload (file, counts, hash) plus the layer row's own history, not one row each.
create table gis_features (
  id bigint generated always as identity primary key,
  layer_id bigint not null references gis_layers (id) on delete cascade,
  municipality_id text not null references municipalities (id),
  -- Stable feature id inside the layer (1…n in file order), used by OGC API items/{featureId}.
  fid integer not null,
  properties jsonb not null default '{}',
  geom geometry(Geometry, 4326) not null,
  unique (layer_id, fid)
);
create index gis_features_geom_idx on gis_features using gist (geom);

create trigger gis_layers_audit after insert or update or delete on gis_layers
  for each row execute function audit_row('private', 'slug', '');

-- Geometry of an uploaded feature from GeoJSON, WKB or WKT, with the same guards as the territory
-- importer (degenerate rings are refused before ST_IsValid, which aborts on them in PGlite).
create function gis_parse_geom(gj text, wkb bytea, wkt text, source_srid integer, out geom geometry, out error text)
language plpgsql immutable as $$
begin
  if wkt is not null then
    begin
      geom := ST_SetSRID(ST_GeomFromText(wkt), source_srid);
    exception when others then
      geom := null;
      error := 'WKT ilegible: ' || SQLERRM;
      return;
    end;
    select p.geom, p.error into geom, error from territory_parse_geom(ST_AsGeoJSON(geom), null, source_srid) p;
  else
    select p.geom, p.error into geom, error from territory_parse_geom(gj, wkb, source_srid) p;
  end if;
end $$;
