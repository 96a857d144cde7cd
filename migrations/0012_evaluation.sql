-- Sistema de Evaluación (seed 004, fifth phase "Seguimiento y evaluación de resultados"), the
-- Consejo Ciudadano IMPLAN (seed 001: "asesorar, validar y evaluar los planes, programas,
-- proyectos, iniciativas y políticas públicas") and citizen evaluation of works (seed 002, 1.1.3).
-- Scorecards are computed from plans, POA and indicators when asked; only published reports freeze
-- a copy.

-- The roll-up rule of a municipality's scorecards: weights of the three components and the bands.
create table evaluation_settings (
  municipality_id text primary key references municipalities (id),
  peso_metas numeric(6, 2) not null default 50 check (peso_metas >= 0),
  peso_fisico numeric(6, 2) not null default 30 check (peso_fisico >= 0),
  peso_financiero numeric(6, 2) not null default 20 check (peso_financiero >= 0),
  -- Score (0–100) from which an element is green, and from which it is yellow.
  umbral_verde numeric(5, 2) not null default 80 check (umbral_verde between 0 and 100),
  umbral_amarillo numeric(5, 2) not null default 50 check (umbral_amarillo between 0 and 100),
  updated_at timestamptz not null default now(),
  check (peso_metas + peso_fisico + peso_financiero > 0),
  check (umbral_amarillo <= umbral_verde)
);

-- ---------- Consejo Ciudadano ----------
create table council_members (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  -- The member's account, when they take part in Brújula (opinions and votes need one).
  user_id bigint references users (id) on delete set null,
  nombre text not null check (length(nombre) between 3 and 200),
  sector text not null check (sector in ('empresarial', 'academico', 'investigacion', 'ambientalista', 'productores', 'osc', 'sociedad_civil', 'funcionarios')),
  sexo text not null check (sexo in ('mujer', 'hombre', 'no_binario')),
  cargo text not null default 'consejero' check (cargo in ('presidencia', 'secretaria_tecnica', 'consejero')),
  inicio date not null,
  fin date,
  is_demo boolean not null default false,
  created_at timestamptz not null default now(),
  check (fin is null or fin >= inicio)
);
create index council_members_municipality_idx on council_members (municipality_id, inicio);

create table council_sessions (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  numero integer not null check (numero > 0),
  tipo text not null default 'ordinaria' check (tipo in ('ordinaria', 'extraordinaria')),
  fecha timestamptz not null,
  lugar text not null default '',
  convocatoria text not null default '',
  estado text not null default 'convocada' check (estado in ('convocada', 'abierta', 'cerrada', 'cancelada')),
  -- Set when the session opens: members in office, and how many had to be present.
  miembros integer,
  quorum integer,
  abierta_at timestamptz,
  cerrada_at timestamptz,
  -- The minutes, generated once when the session closes.
  acta_pdf bytea,
  is_demo boolean not null default false,
  unique (municipality_id, numero)
);

create table council_attendance (
  municipality_id text not null references municipalities (id),
  session_id bigint not null references council_sessions (id) on delete cascade,
  member_id bigint not null references council_members (id) on delete cascade,
  presente boolean not null,
  registrado_at timestamptz not null default now(),
  primary key (session_id, member_id)
);

-- Items of the orden del día: what is under review (a plan, program, project, policy or report).
create table council_items (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  session_id bigint not null references council_sessions (id) on delete cascade,
  posicion integer not null default 0,
  titulo text not null check (length(titulo) between 3 and 300),
  tipo text not null check (tipo in ('plan', 'programa', 'proyecto', 'politica', 'informe', 'otro')),
  plan_id bigint references plans (id) on delete set null,
  program_id bigint references poa_programs (id) on delete set null,
  action_id bigint references poa_actions (id) on delete set null,
  descripcion text not null default '',
  -- Filled when the session closes.
  resolucion text check (resolucion in ('favorable', 'favorable_con_observaciones', 'desfavorable', 'sin_votos')),
  votos_favor integer,
  votos_contra integer,
  abstenciones integer
);
create index council_items_session_idx on council_items (session_id, posicion);
create index council_items_plan_idx on council_items (plan_id);

create table council_opinions (
  municipality_id text not null references municipalities (id),
  item_id bigint not null references council_items (id) on delete cascade,
  member_id bigint not null references council_members (id) on delete cascade,
  opinion text not null check (opinion in ('favorable', 'con_observaciones', 'desfavorable')),
  texto text not null default '' check (length(texto) <= 8000),
  voto text not null check (voto in ('a_favor', 'en_contra', 'abstencion')),
  updated_at timestamptz not null default now(),
  primary key (item_id, member_id),
  check (opinion = 'favorable' or length(texto) >= 3)
);

create table council_agreements (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  session_id bigint not null references council_sessions (id) on delete cascade,
  item_id bigint references council_items (id) on delete set null,
  texto text not null check (length(texto) between 3 and 4000),
  responsable text not null check (length(responsable) between 2 and 200),
  fecha_limite date,
  estado text not null default 'pendiente' check (estado in ('pendiente', 'en_proceso', 'cumplido', 'cancelado')),
  seguimiento text not null default '',
  updated_at timestamptz not null default now()
);
create index council_agreements_session_idx on council_agreements (session_id);

-- ---------- Citizen evaluation of works ----------
create table work_ratings (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  action_id bigint not null references poa_actions (id) on delete cascade,
  user_id bigint not null references users (id) on delete cascade,
  calidad smallint not null check (calidad between 1 and 5),
  utilidad smallint not null check (utilidad between 1 and 5),
  oportunidad smallint not null check (oportunidad between 1 and 5),
  comentario text not null default '' check (length(comentario) <= 2000),
  oculto boolean not null default false,
  is_demo boolean not null default false,
  created_at timestamptz not null default now(),
  unique (action_id, user_id)
);

-- Contraloría social: committees of beneficiaries who watch works or programmes.
create table social_committees (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  nombre text not null check (length(nombre) between 3 and 200),
  constituido date not null,
  validado boolean not null default false,
  is_demo boolean not null default false,
  created_at timestamptz not null default now()
);
create table committee_members (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  committee_id bigint not null references social_committees (id) on delete cascade,
  nombre text not null check (length(nombre) between 3 and 200),
  sexo text not null check (sexo in ('mujer', 'hombre', 'no_binario')),
  cargo text not null default 'integrante'
);
create table committee_works (
  municipality_id text not null references municipalities (id),
  committee_id bigint not null references social_committees (id) on delete cascade,
  action_id bigint not null references poa_actions (id) on delete cascade,
  primary key (committee_id, action_id)
);
create table committee_reports (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  committee_id bigint not null references social_committees (id) on delete cascade,
  action_id bigint references poa_actions (id) on delete set null,
  fecha date not null,
  tipo text not null default 'informe' check (tipo in ('informe', 'hallazgo', 'queja')),
  texto text not null check (length(texto) between 3 and 8000),
  estado text not null default 'abierto' check (estado in ('abierto', 'en_atencion', 'atendido')),
  respuesta text not null default '',
  updated_at timestamptz not null default now()
);

-- ---------- Progress reports (informes de avance), frozen when published ----------
create table evaluation_reports (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  plan_id bigint not null references plans (id) on delete cascade,
  tipo text not null check (tipo in ('trimestral', 'anual')),
  periodo text not null check (periodo ~ '^[0-9]{4}(-T[1-4])?$'),
  titulo text not null,
  snapshot jsonb not null,
  pdf bytea,
  publicado_por bigint references users (id),
  publicado_at timestamptz not null default now(),
  is_demo boolean not null default false,
  unique (plan_id, periodo)
);

create trigger evaluation_settings_audit after insert or update or delete on evaluation_settings
  for each row execute function audit_row('public', 'municipality_id', '');
create trigger council_members_audit after insert or update or delete on council_members
  for each row execute function audit_row('public', 'id', '');
create trigger council_sessions_audit after insert or update or delete on council_sessions
  for each row execute function audit_row('public', 'id', 'acta_pdf');
create trigger council_attendance_audit after insert or update or delete on council_attendance
  for each row execute function audit_row('public', 'session_id', '');
create trigger council_items_audit after insert or update or delete on council_items
  for each row execute function audit_row('public', 'id', '');
create trigger council_opinions_audit after insert or update or delete on council_opinions
  for each row execute function audit_row('public', 'item_id', '');
create trigger council_agreements_audit after insert or update or delete on council_agreements
  for each row execute function audit_row('public', 'id', '');
create trigger work_ratings_audit after insert or update or delete on work_ratings
  for each row execute function audit_row('private', 'action_id', '');
create trigger social_committees_audit after insert or update or delete on social_committees
  for each row execute function audit_row('public', 'id', '');
create trigger committee_members_audit after insert or update or delete on committee_members
  for each row execute function audit_row('public', 'committee_id', '');
create trigger committee_works_audit after insert or delete on committee_works
  for each row execute function audit_row('public', 'committee_id', '');
create trigger committee_reports_audit after insert or update or delete on committee_reports
  for each row execute function audit_row('public', 'id', '');
create trigger evaluation_reports_audit after insert or update or delete on evaluation_reports
  for each row execute function audit_row('public', 'id', 'snapshot,pdf');
