-- Llamadas de emergencia georreferenciadas (seed 000): each call with its time, type, priority and
-- place, loaded in batches from the 9-1-1 centre's exports. The colonia and AGEB are assigned by
-- point in polygon on load, so counts per unit can feed indicators.

create table emergency_call_imports (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  archivo text not null,
  filas integer not null,
  sha256 text not null,
  desde timestamptz,
  hasta timestamptz,
  is_demo boolean not null default false,
  created_by bigint references users (id),
  created_at timestamptz not null default now()
);

-- Bulk data like gis_features: each load is one audited import row, not one audit row per call.
create table emergency_calls (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  import_id bigint not null references emergency_call_imports (id) on delete cascade,
  folio text,
  recibida timestamptz not null,
  tipo text not null check (length(tipo) between 2 and 120),
  prioridad text not null check (prioridad in ('alta', 'media', 'baja')),
  -- As the operator wrote it; the unit ids come from the location.
  colonia_reportada text,
  colonia_id bigint references territorial_units (id) on delete set null,
  ageb_id bigint references territorial_units (id) on delete set null,
  -- Local clock fields, stored once so filters by month, weekday and hour use plain indexes.
  mes smallint not null check (mes between 1 and 12),
  dia_semana smallint not null check (dia_semana between 0 and 6),
  hora smallint not null check (hora between 0 and 23),
  geom geometry(Point, 4326) not null
);
create index emergency_calls_time_idx on emergency_calls (municipality_id, recibida);
create index emergency_calls_geom_idx on emergency_calls using gist (geom);
create index emergency_calls_import_idx on emergency_calls (import_id);

create trigger emergency_call_imports_audit after insert or update or delete on emergency_call_imports
  for each row execute function audit_row('private', 'id', '');
