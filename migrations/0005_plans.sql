-- Planeación Integral: plans as trees (eje > objetivo > estrategia > línea de acción by default,
-- level names set per plan), metas tied to indicators, alignment links between elements of
-- different plans and to ODS targets, lifecycle with frozen versions, consultation comments.

-- The 17 Objetivos de Desarrollo Sostenible; targets are referenced by code ('11.3', '16.a').
create table ods_goals (
  numero integer primary key check (numero between 1 and 17),
  nombre text not null,
  nombre_en text not null
);

insert into ods_goals (numero, nombre, nombre_en) values
  (1, 'Fin de la pobreza', 'No poverty'),
  (2, 'Hambre cero', 'Zero hunger'),
  (3, 'Salud y bienestar', 'Good health and well-being'),
  (4, 'Educación de calidad', 'Quality education'),
  (5, 'Igualdad de género', 'Gender equality'),
  (6, 'Agua limpia y saneamiento', 'Clean water and sanitation'),
  (7, 'Energía asequible y no contaminante', 'Affordable and clean energy'),
  (8, 'Trabajo decente y crecimiento económico', 'Decent work and economic growth'),
  (9, 'Industria, innovación e infraestructura', 'Industry, innovation and infrastructure'),
  (10, 'Reducción de las desigualdades', 'Reduced inequalities'),
  (11, 'Ciudades y comunidades sostenibles', 'Sustainable cities and communities'),
  (12, 'Producción y consumo responsables', 'Responsible consumption and production'),
  (13, 'Acción por el clima', 'Climate action'),
  (14, 'Vida submarina', 'Life below water'),
  (15, 'Vida de ecosistemas terrestres', 'Life on land'),
  (16, 'Paz, justicia e instituciones sólidas', 'Peace, justice and strong institutions'),
  (17, 'Alianzas para lograr los objetivos', 'Partnerships for the goals');

create table plans (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  tipo text not null check (tipo in ('vision2040', 'pmd', 'pmot', 'pdu', 'sectorial', 'poligono', 'ped', 'pnd')),
  titulo text not null check (length(titulo) between 3 and 300),
  descripcion text not null default '',
  periodo_inicio integer check (periodo_inicio between 1900 and 2200),
  periodo_fin integer check (periodo_fin between 1900 and 2200),
  -- Names of the tree's levels, outermost first.
  niveles text[] not null default '{Eje,Objetivo,Estrategia,"Línea de acción"}' check (cardinality(niveles) between 1 and 8),
  estado text not null default 'borrador'
    check (estado in ('borrador', 'consulta', 'validacion', 'aprobado', 'vigente', 'evaluado')),
  cabildo_fecha date,
  cabildo_acuerdo text,
  is_demo boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (periodo_fin is null or periodo_inicio is null or periodo_fin >= periodo_inicio),
  check (estado not in ('aprobado', 'vigente', 'evaluado') or (cabildo_fecha is not null and cabildo_acuerdo is not null))
);
create index plans_municipality_idx on plans (municipality_id, tipo);

create table plan_elements (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  plan_id bigint not null references plans (id) on delete cascade,
  -- Deleting an element deletes its subtree; the service refuses first when any of it is referenced.
  parent_id bigint references plan_elements (id) on delete cascade,
  nivel integer not null check (nivel >= 0),
  posicion integer not null default 0,
  codigo text not null check (length(codigo) between 1 and 40),
  titulo text not null check (length(titulo) between 1 and 2000),
  descripcion text not null default '',
  -- Unidades responsables (departments of the plan's municipality).
  responsables bigint[] not null default '{}',
  updated_at timestamptz not null default now(),
  unique (plan_id, codigo)
);
create index plan_elements_tree_idx on plan_elements (plan_id, parent_id, posicion);
create index plan_elements_parent_idx on plan_elements (parent_id);

-- A meta of an element: tied to an indicator of the SMI (never a copy of it) with a target per year.
create table plan_metas (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  element_id bigint not null references plan_elements (id) on delete cascade,
  descripcion text not null check (length(descripcion) between 3 and 1000),
  indicator_id bigint references indicators (id) on delete restrict,
  linea_base numeric,
  -- [{"anio": 2025, "valor": 40}, …]
  valores jsonb not null default '[]' check (jsonb_typeof(valores) = 'array'),
  posicion integer not null default 0
);
create index plan_metas_element_idx on plan_metas (element_id);
create index plan_metas_indicator_idx on plan_metas (indicator_id);

-- Alignment of an element to an element of another (usually higher) plan; read both ways.
create table plan_alignments (
  municipality_id text not null references municipalities (id),
  element_id bigint not null references plan_elements (id) on delete cascade,
  target_id bigint not null references plan_elements (id) on delete restrict,
  primary key (element_id, target_id),
  check (element_id <> target_id)
);
create index plan_alignments_target_idx on plan_alignments (target_id);

create table plan_element_ods (
  municipality_id text not null references municipalities (id),
  element_id bigint not null references plan_elements (id) on delete cascade,
  ods_meta text not null check (ods_meta ~ '^(1[0-7]|[1-9])\.([0-9]{1,2}|[a-c])$'),
  primary key (element_id, ods_meta)
);
create index plan_element_ods_meta_idx on plan_element_ods (ods_meta);

-- Lifecycle steps taken, with who and the cabildo data when it applies.
create table plan_transitions (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  plan_id bigint not null references plans (id) on delete cascade,
  de text not null,
  a text not null,
  nota text not null default '',
  user_id bigint references users (id),
  at timestamptz not null default now()
);
create index plan_transitions_plan_idx on plan_transitions (plan_id, at);

-- Every approval freezes the whole plan (elements, metas, alignments) as a numbered version.
create table plan_versions (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  plan_id bigint not null references plans (id) on delete cascade,
  numero integer not null,
  estado text not null,
  created_at timestamptz not null default now(),
  snapshot jsonb not null,
  unique (plan_id, numero)
);

-- Public consultation comments per element; planners answer and may hide with a public reason.
create table plan_comments (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  plan_id bigint not null references plans (id) on delete cascade,
  element_id bigint not null references plan_elements (id) on delete cascade,
  user_id bigint not null references users (id),
  texto text not null check (length(texto) between 3 and 4000),
  respuesta text,
  respondido_por bigint references users (id),
  respondido_at timestamptz,
  oculto boolean not null default false,
  motivo_oculto text,
  created_at timestamptz not null default now(),
  check (not oculto or length(coalesce(motivo_oculto, '')) >= 3)
);
create index plan_comments_element_idx on plan_comments (element_id, created_at);
create index plan_comments_plan_idx on plan_comments (plan_id);

create trigger plans_audit after insert or update or delete on plans
  for each row execute function audit_row('public', 'id', '');
create trigger plan_elements_audit after insert or update or delete on plan_elements
  for each row execute function audit_row('public', 'id', '');
create trigger plan_metas_audit after insert or update or delete on plan_metas
  for each row execute function audit_row('public', 'id', '');
create trigger plan_alignments_audit after insert or update or delete on plan_alignments
  for each row execute function audit_row('public', 'element_id', '');
create trigger plan_element_ods_audit after insert or update or delete on plan_element_ods
  for each row execute function audit_row('public', 'element_id', '');
create trigger plan_transitions_audit after insert or update or delete on plan_transitions
  for each row execute function audit_row('public', 'plan_id', '');
create trigger plan_versions_audit after insert or update or delete on plan_versions
  for each row execute function audit_row('public', 'plan_id', 'snapshot');
create trigger plan_comments_audit after insert or update or delete on plan_comments
  for each row execute function audit_row('public', 'id', '');
