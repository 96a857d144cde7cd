-- Territory: INEGI hierarchy (estado > municipio > localidad > AGEB > manzana), colonias and polígonos.
create table states (
  cve_ent text primary key check (cve_ent ~ '^[0-9]{2}$'),
  name text not null,
  abbreviation text not null
);

insert into states (cve_ent, name, abbreviation) values
  ('01', 'Aguascalientes', 'AGS'), ('02', 'Baja California', 'BC'), ('03', 'Baja California Sur', 'BCS'),
  ('04', 'Campeche', 'CAMP'), ('05', 'Coahuila de Zaragoza', 'COAH'), ('06', 'Colima', 'COL'),
  ('07', 'Chiapas', 'CHIS'), ('08', 'Chihuahua', 'CHIH'), ('09', 'Ciudad de México', 'CDMX'),
  ('10', 'Durango', 'DGO'), ('11', 'Guanajuato', 'GTO'), ('12', 'Guerrero', 'GRO'),
  ('13', 'Hidalgo', 'HGO'), ('14', 'Jalisco', 'JAL'), ('15', 'México', 'MEX'),
  ('16', 'Michoacán de Ocampo', 'MICH'), ('17', 'Morelos', 'MOR'), ('18', 'Nayarit', 'NAY'),
  ('19', 'Nuevo León', 'NL'), ('20', 'Oaxaca', 'OAX'), ('21', 'Puebla', 'PUE'),
  ('22', 'Querétaro', 'QRO'), ('23', 'Quintana Roo', 'QROO'), ('24', 'San Luis Potosí', 'SLP'),
  ('25', 'Sinaloa', 'SIN'), ('26', 'Sonora', 'SON'), ('27', 'Tabasco', 'TAB'),
  ('28', 'Tamaulipas', 'TAMPS'), ('29', 'Tlaxcala', 'TLAX'), ('30', 'Veracruz de Ignacio de la Llave', 'VER'),
  ('31', 'Yucatán', 'YUC'), ('32', 'Zacatecas', 'ZAC');

-- A municipality is the tenant: every tenant table carries municipality_id (CVE_ENT || CVE_MUN).
create table municipalities (
  id text primary key check (id ~ '^[0-9]{5}$'),
  cve_ent text not null references states (cve_ent),
  name text not null,
  active boolean not null default false,
  is_demo boolean not null default false,
  settings jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index municipalities_cve_ent_idx on municipalities (cve_ent);

create table territory_imports (
  id bigint generated always as identity primary key,
  municipality_id text references municipalities (id),
  level text not null,
  file_name text not null,
  format text not null,
  source_srid integer,
  features integer not null,
  inserted integer not null,
  updated integer not null,
  repaired integer not null,
  rejected integer not null,
  report jsonb not null default '{}',
  created_by bigint,
  created_at timestamptz not null default now()
);

create table territorial_units (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  -- 'estado' belongs to the pseudo-municipality NN000 (INEGI's code for state totals), the tenant
  -- of a state planning office's own records.
  level text not null check (level in ('estado', 'municipio', 'localidad', 'ageb', 'manzana', 'colonia', 'poligono')),
  cvegeo text not null check (length(cvegeo) between 1 and 40),
  name text not null,
  parent_id bigint references territorial_units (id) on delete set null,
  population integer check (population >= 0),
  area_m2 double precision,
  attributes jsonb not null default '{}',
  geom geometry(Geometry, 4326) not null,
  import_id bigint references territory_imports (id),
  updated_at timestamptz not null default now(),
  unique (municipality_id, level, cvegeo)
);
create index territorial_units_geom_idx on territorial_units using gist (geom);
create index territorial_units_level_idx on territorial_units (level, municipality_id);
create index territorial_units_parent_idx on territorial_units (parent_id);
create index territorial_units_name_idx on territorial_units (lower(name));

create trigger municipalities_audit after insert or update or delete on municipalities
  for each row execute function audit_row('public', 'id', '');
create trigger territorial_units_audit after insert or update or delete on territorial_units
  for each row execute function audit_row('public', 'cvegeo', 'geom');
create trigger territory_imports_audit after insert on territory_imports
  for each row execute function audit_row('public', 'id', 'report');

-- Parses one imported geometry without aborting the import: a malformed feature gets its reason.
create function territory_parse_geom(gj text, wkb bytea, source_srid integer, out geom geometry, out error text)
language plpgsql immutable as $$
begin
  if gj is not null then
    geom := ST_GeomFromGeoJSON(gj);
  elsif wkb is not null then
    geom := ST_GeomFromWKB(wkb);
  end if;
  -- PostGIS reads a GeoJSON geometry without "crs" as EPSG:4326; the file's own CRS decides instead.
  if geom is not null and (ST_SRID(geom) = 0 or (gj is not null and not (gj::jsonb ? 'crs'))) then
    geom := ST_SetSRID(geom, source_srid);
  end if;
  -- Degenerate rings are rejected here: ST_IsValid on them aborts the statement in PGlite's PostGIS.
  if geom is not null and ST_Dimension(geom) = 2 and exists (
       select 1 from ST_Dump(geom) d, ST_DumpRings(d.geom) r where ST_NPoints(r.geom) < 4) then
    error := 'Un anillo del polígono tiene menos de 4 puntos';
    geom := null;
  elsif geom is not null and ST_Dimension(geom) = 1 and exists (
       select 1 from ST_Dump(geom) d where ST_NPoints(d.geom) < 2) then
    error := 'Una línea tiene menos de 2 puntos';
    geom := null;
  end if;
exception when others then
  geom := null;
  error := SQLERRM;
end $$;
