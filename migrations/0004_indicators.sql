-- Sistema Municipal de Indicadores: themes, variables with observations, indicators (fichas
-- técnicas) computed from variables by formula, metas and comparison series.

create table indicator_themes (
  code text primary key,
  name text not null,
  name_en text not null,
  sort integer not null
);

insert into indicator_themes (code, name, name_en, sort) values
  ('ordenamiento-territorial', 'Ordenamiento Territorial', 'Land-use planning', 1),
  ('movilidad', 'Movilidad', 'Mobility', 2),
  ('seguridad', 'Seguridad', 'Public safety', 3),
  ('equidad', 'Equidad', 'Equity', 4),
  ('salud', 'Salud', 'Health', 5),
  ('educacion', 'Educación', 'Education', 6),
  ('desarrollo-humano', 'Desarrollo Humano', 'Human development', 7),
  ('empleo', 'Empleo', 'Employment', 8),
  ('productividad-laboral', 'Productividad Laboral', 'Labour productivity', 9),
  ('rendimientos-sectoriales', 'Rendimientos Sectoriales', 'Sector performance', 10),
  ('vivienda', 'Vivienda', 'Housing', 11),
  ('cultura', 'Cultura', 'Culture', 12),
  ('gobierno', 'Gobierno y Gobernanza', 'Government and governance', 13);

-- A variable is a measured quantity (a count, an amount, a score) with observations by
-- territorial unit × period × disaggregation. Counts ('suma') add up when rolled up; others do not.
create table indicator_variables (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  clave text not null check (clave ~ '^[A-Za-z][A-Za-z0-9_]{0,39}$'),
  nombre text not null,
  unidad text not null default '',
  fuente text not null default '',
  agregacion text not null default 'suma' check (agregacion in ('suma', 'ninguna')),
  department_id bigint references departments (id),
  unique (municipality_id, clave)
);

create table indicators (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  clave text not null check (length(clave) between 1 and 40),
  nombre text not null,
  theme_code text not null references indicator_themes (code),
  ods_meta text,
  definicion text not null default '',
  metodo_calculo text not null default '',
  formula text not null,
  unidad_medida text not null default '',
  tipo text not null default 'estrategico' check (tipo in ('estrategico', 'gestion')),
  dimension text not null default 'eficacia' check (dimension in ('eficacia', 'eficiencia', 'calidad', 'economia')),
  frecuencia text not null default 'anual' check (frecuencia in ('anual', 'semestral', 'trimestral', 'mensual')),
  sentido text not null default 'ascendente' check (sentido in ('ascendente', 'descendente')),
  linea_base_valor numeric,
  linea_base_anio integer,
  semaforo_verde numeric not null default 5 check (semaforo_verde >= 0),
  semaforo_amarillo numeric not null default 15,
  department_id bigint references departments (id),
  cobertura text[] not null default '{municipio}',
  desagregaciones text[] not null default '{}',
  nivel_mir text check (nivel_mir in ('fin', 'proposito', 'componente', 'actividad')),
  decimales integer not null default 2 check (decimales between 0 and 6),
  notas text not null default '',
  estado text not null default 'borrador' check (estado in ('borrador', 'publicado')),
  is_demo boolean not null default false,
  updated_at timestamptz not null default now(),
  unique (municipality_id, clave),
  check (semaforo_amarillo >= semaforo_verde)
);
create index indicators_theme_idx on indicators (municipality_id, theme_code);

create table indicator_targets (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  indicator_id bigint not null references indicators (id) on delete cascade,
  anio integer not null check (anio between 1900 and 2200),
  trimestre integer check (trimestre between 1 and 4),
  valor numeric not null,
  unique (indicator_id, anio, trimestre)
);

-- Comparison series: state, national mean, another municipality; with a rank among peers.
create table indicator_benchmarks (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  indicator_id bigint not null references indicators (id) on delete cascade,
  serie text not null,
  periodo text not null,
  valor numeric,
  posicion integer check (posicion >= 1),
  de integer check (de >= 1),
  fuente text not null default '',
  unique (indicator_id, serie, periodo)
);

create table indicator_loads (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  file_name text not null,
  rows integer not null,
  created_by bigint references users (id),
  created_at timestamptz not null default now()
);

-- periodo: '2020' (year), '2020-S1' (semester), '2020-T3' (quarter) or '2020-07' (month).
create table indicator_observations (
  municipality_id text not null references municipalities (id),
  variable_id bigint not null references indicator_variables (id) on delete cascade,
  unit_id bigint not null references territorial_units (id),
  periodo text not null check (periodo ~ '^[0-9]{4}(-S[12]|-T[1-4]|-(0[1-9]|1[0-2]))?$'),
  desagregacion text not null default 'total',
  valor numeric not null,
  load_id bigint references indicator_loads (id),
  updated_by bigint references users (id),
  updated_at timestamptz not null default now(),
  primary key (municipality_id, variable_id, unit_id, periodo, desagregacion)
);
create index indicator_observations_unit_idx on indicator_observations (unit_id);

create trigger indicator_variables_audit after insert or update or delete on indicator_variables
  for each row execute function audit_row('public', 'clave', '');
create trigger indicators_audit after insert or update or delete on indicators
  for each row execute function audit_row('public', 'clave', '');
create trigger indicator_targets_audit after insert or update or delete on indicator_targets
  for each row execute function audit_row('public', 'indicator_id', '');
create trigger indicator_benchmarks_audit after insert or update or delete on indicator_benchmarks
  for each row execute function audit_row('public', 'indicator_id', '');
create trigger indicator_loads_audit after insert on indicator_loads
  for each row execute function audit_row('public', 'id', '');
create trigger indicator_observations_audit after insert or update or delete on indicator_observations
  for each row execute function audit_row('public', 'variable_id', '');

-- Tokens for systems that push indicator data on behalf of one department (enlace scope).
create table api_tokens (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  department_id bigint not null references departments (id),
  name text not null check (length(name) between 2 and 120),
  token_hash text not null unique,
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
create trigger api_tokens_audit after insert or update or delete on api_tokens
  for each row execute function audit_row('private', 'id', 'token_hash,last_used_at');
