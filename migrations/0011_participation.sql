-- Participación ciudadana (seeds 000, 001, 002): PROPONLE proposals, participatory budgets with
-- secret ballots, resident verification, consultations, citizen reports (Open311 GeoReport v2),
-- in-app notifications and the proof-of-work tokens that stop scripted floods.

-- What each municipality asks before a person may support, vote or answer as a resident.
create table participation_settings (
  municipality_id text primary key references municipalities (id),
  -- Verification steps accepted on top of a verified e-mail.
  verificacion text[] not null default '{sms,presencial}'
    check (cardinality(verificacion) between 1 and 2 and verificacion <@ array['sms', 'presencial']),
  -- Public writes (proposals, comments, reports, projects) one account may make in 24 hours.
  limite_diario integer not null default 20 check (limite_diario between 1 and 1000),
  updated_at timestamptz not null default now()
);

-- One row per verified resident and municipality. Phone and CURP are kept only as keyed hashes:
-- enough to refuse a second account with the same phone or CURP, not enough to read them back.
create table resident_verifications (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  user_id bigint not null references users (id) on delete cascade,
  metodo text not null check (metodo in ('sms', 'presencial')),
  telefono_hash text,
  telefono_final text check (telefono_final ~ '^[0-9]{4}$'),
  curp_hash text,
  -- Colonia (or other unit) of residence, when known: it decides where the person may vote.
  unit_id bigint references territorial_units (id) on delete set null,
  verificado_por bigint references users (id),
  verified_at timestamptz not null default now(),
  unique (municipality_id, user_id),
  check ((metodo = 'sms') = (telefono_hash is not null)),
  check (metodo <> 'presencial' or curp_hash is not null)
);
create unique index resident_verifications_phone_key on resident_verifications (municipality_id, telefono_hash) where telefono_hash is not null;
create unique index resident_verifications_curp_key on resident_verifications (municipality_id, curp_hash) where curp_hash is not null;

create table verification_codes (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  user_id bigint not null references users (id) on delete cascade,
  telefono_hash text not null,
  telefono_final text not null,
  code_hash text not null,
  intentos integer not null default 0,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);
create index verification_codes_user_idx on verification_codes (user_id, created_at desc);

-- The embedded SMS sender: messages wait here for an operator or a gateway to pick them up.
create table sms_outbox (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  to_number text not null,
  body text not null,
  created_at timestamptz not null default now(),
  sent_at timestamptz
);

-- Blocks from taking part in one municipality (moderation of abusive accounts).
create table participation_blocks (
  municipality_id text not null references municipalities (id),
  user_id bigint not null references users (id) on delete cascade,
  motivo text not null check (length(motivo) between 3 and 500),
  bloqueado_por bigint references users (id),
  created_at timestamptz not null default now(),
  primary key (municipality_id, user_id)
);

create table notifications (
  id bigint generated always as identity primary key,
  municipality_id text references municipalities (id),
  user_id bigint not null references users (id) on delete cascade,
  titulo text not null,
  cuerpo text not null default '',
  enlace text not null default '',
  created_at timestamptz not null default now(),
  read_at timestamptz
);
create index notifications_user_idx on notifications (user_id, id desc);

-- Spent proof-of-work challenges, so one solution cannot be replayed.
create table pow_spent (
  signature text primary key,
  expires_at timestamptz not null
);

-- ---------- PROPONLE ----------
create table proposals (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  user_id bigint not null references users (id),
  titulo text not null check (length(titulo) between 8 and 200),
  -- Sanitised HTML as shown, and its plain text for search and feeds.
  cuerpo text not null check (length(cuerpo) <= 20000),
  cuerpo_texto text not null check (length(cuerpo_texto) between 20 and 10000),
  tema text not null references indicator_themes (code),
  unit_id bigint references territorial_units (id) on delete set null,
  geom geometry(Point, 4326),
  estado text not null default 'recibida'
    check (estado in ('recibida', 'en_revision', 'viable', 'no_viable', 'incluida', 'en_ejecucion', 'concluida')),
  respuesta text not null default '',
  element_id bigint references plan_elements (id) on delete set null,
  action_id bigint references poa_actions (id) on delete set null,
  oculto boolean not null default false,
  motivo_oculto text,
  apoyos integer not null default 0 check (apoyos >= 0),
  comentarios integer not null default 0 check (comentarios >= 0),
  busqueda tsvector generated always as (
    setweight(to_tsvector('spanish'::regconfig, unaccent_simple(titulo)), 'A') ||
    setweight(to_tsvector('spanish'::regconfig, unaccent_simple(cuerpo_texto)), 'B')) stored,
  is_demo boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (not oculto or length(coalesce(motivo_oculto, '')) >= 3),
  check (estado <> 'no_viable' or length(respuesta) >= 3),
  check (estado <> 'incluida' or element_id is not null or action_id is not null)
);
create index proposals_municipality_idx on proposals (municipality_id, created_at desc);
create index proposals_search_idx on proposals using gin (busqueda);
create index proposals_geom_idx on proposals using gist (geom);
create index proposals_user_idx on proposals (user_id, created_at);

-- Public answers given with each status change.
create table proposal_status_changes (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  proposal_id bigint not null references proposals (id) on delete cascade,
  estado text not null,
  respuesta text not null default '',
  user_id bigint references users (id),
  at timestamptz not null default now()
);
create index proposal_status_changes_idx on proposal_status_changes (proposal_id, at);

create table proposal_supports (
  municipality_id text not null references municipalities (id),
  proposal_id bigint not null references proposals (id) on delete cascade,
  user_id bigint not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (proposal_id, user_id)
);

create table proposal_followers (
  municipality_id text not null references municipalities (id),
  proposal_id bigint not null references proposals (id) on delete cascade,
  user_id bigint not null references users (id) on delete cascade,
  primary key (proposal_id, user_id)
);

create table proposal_comments (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  proposal_id bigint not null references proposals (id) on delete cascade,
  parent_id bigint references proposal_comments (id) on delete cascade,
  user_id bigint not null references users (id),
  texto text not null check (length(texto) between 2 and 4000),
  oculto boolean not null default false,
  motivo_oculto text,
  created_at timestamptz not null default now(),
  check (not oculto or length(coalesce(motivo_oculto, '')) >= 3)
);
create index proposal_comments_idx on proposal_comments (proposal_id, created_at);
create index proposal_comments_user_idx on proposal_comments (user_id, created_at);

create table proposal_flags (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  proposal_id bigint not null references proposals (id) on delete cascade,
  comment_id bigint references proposal_comments (id) on delete cascade,
  user_id bigint not null references users (id) on delete cascade,
  motivo text not null check (length(motivo) between 3 and 500),
  resuelta_at timestamptz,
  created_at timestamptz not null default now()
);
create unique index proposal_flags_once on proposal_flags (user_id, proposal_id, coalesce(comment_id, 0));

create table proposal_files (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  proposal_id bigint not null references proposals (id) on delete cascade,
  tipo text not null check (tipo in ('imagen', 'documento')),
  nombre text not null,
  mime text not null check (mime in ('image/jpeg', 'image/webp', 'application/pdf')),
  bytes integer not null,
  ancho integer,
  alto integer,
  contenido bytea not null,
  miniatura bytea,
  created_at timestamptz not null default now()
);
create index proposal_files_idx on proposal_files (proposal_id);

-- ---------- Presupuesto participativo ----------
create table pb_processes (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  anio integer not null check (anio between 2000 and 2200),
  titulo text not null check (length(titulo) between 3 and 200),
  descripcion text not null default '',
  estilo text not null default 'mochila' check (estilo in ('mochila', 'aprobacion')),
  -- Approval style: how many projects a ballot may hold.
  max_votos integer check (max_votos between 1 and 100),
  fase text not null default 'borrador'
    check (fase in ('borrador', 'propuestas', 'revision', 'costos', 'votacion', 'resultados', 'ejecucion', 'cerrado')),
  -- Dated phases: {"propuestas": {"inicio": "2026-02-01", "fin": "2026-03-15"}, …}
  fechas jsonb not null default '{}' check (jsonb_typeof(fechas) = 'object'),
  -- POA program that receives the winning projects as actions.
  program_id bigint references poa_programs (id) on delete set null,
  -- Keys the ballots' voter keys while voting is open; erased when voting closes so that no one,
  -- not even with the database and the server secret, can link a stored ballot to a person.
  ballot_salt text,
  is_demo boolean not null default false,
  created_at timestamptz not null default now(),
  check (estilo <> 'aprobacion' or max_votos is not null)
);
create index pb_processes_municipality_idx on pb_processes (municipality_id, anio desc);

create table pb_territories (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  process_id bigint not null references pb_processes (id) on delete cascade,
  nombre text not null check (length(nombre) between 2 and 200),
  -- null = the whole municipality.
  unit_id bigint references territorial_units (id) on delete restrict,
  monto numeric(16, 2) not null check (monto > 0),
  unique (process_id, nombre)
);

create table pb_projects (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  process_id bigint not null references pb_processes (id) on delete cascade,
  territory_id bigint not null references pb_territories (id) on delete cascade,
  user_id bigint references users (id),
  proposal_id bigint references proposals (id) on delete set null,
  titulo text not null check (length(titulo) between 8 and 200),
  descripcion text not null check (length(descripcion) between 20 and 10000),
  geom geometry(Point, 4326),
  -- Technical review.
  costo numeric(16, 2) check (costo > 0),
  viable boolean,
  dictamen text not null default '',
  evaluadores bigint[] not null default '{}',
  -- Set when results are published, and once it becomes a POA action.
  seleccionado boolean,
  action_id bigint references poa_actions (id) on delete set null,
  is_demo boolean not null default false,
  created_at timestamptz not null default now(),
  check (viable is distinct from false or length(dictamen) >= 3)
);
create index pb_projects_process_idx on pb_projects (process_id, territory_id);

-- Who has voted (never what): one row per person and territory.
create table pb_voters (
  municipality_id text not null references municipalities (id),
  process_id bigint not null references pb_processes (id) on delete cascade,
  territory_id bigint not null references pb_territories (id) on delete cascade,
  user_id bigint not null references users (id) on delete cascade,
  primary key (process_id, territory_id, user_id)
);

-- What was voted (never who): the key is an HMAC of the person under the process salt, so the
-- person can change the ballot while voting is open; no timestamps, no sequence, no audit rows.
create table pb_ballots (
  voter_key text primary key,
  municipality_id text not null references municipalities (id),
  process_id bigint not null references pb_processes (id) on delete cascade,
  territory_id bigint not null references pb_territories (id) on delete cascade,
  proyectos bigint[] not null check (cardinality(proyectos) between 1 and 200)
);
create index pb_ballots_process_idx on pb_ballots (process_id, territory_id);

-- The published count, frozen when voting closes; anyone can recount from pb_ballots.
create table pb_results (
  municipality_id text not null references municipalities (id),
  process_id bigint not null references pb_processes (id) on delete cascade,
  territory_id bigint not null references pb_territories (id) on delete cascade,
  project_id bigint not null references pb_projects (id) on delete cascade,
  votos integer not null check (votos >= 0),
  posicion integer not null,
  seleccionado boolean not null,
  motivo text not null default '',
  primary key (process_id, project_id)
);

-- ---------- Consultas ----------
create table consultations (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  titulo text not null check (length(titulo) between 3 and 300),
  descripcion text not null default '',
  -- A consultation on a plan in consulta pública (its element comments live in the plans module).
  plan_id bigint references plans (id) on delete set null,
  estado text not null default 'borrador' check (estado in ('borrador', 'abierta', 'cerrada')),
  inicio date,
  fin date,
  solo_residentes boolean not null default false,
  is_demo boolean not null default false,
  created_at timestamptz not null default now(),
  check (fin is null or inicio is null or fin >= inicio)
);

create table consultation_questions (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  consultation_id bigint not null references consultations (id) on delete cascade,
  posicion integer not null default 0,
  tipo text not null check (tipo in ('unica', 'multiple', 'abierta')),
  texto text not null check (length(texto) between 3 and 1000),
  opciones text[] not null default '{}',
  obligatoria boolean not null default true,
  check ((tipo = 'abierta') = (cardinality(opciones) = 0))
);
create index consultation_questions_idx on consultation_questions (consultation_id, posicion);

create table consultation_responses (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  consultation_id bigint not null references consultations (id) on delete cascade,
  user_id bigint not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  unique (consultation_id, user_id)
);

create table consultation_answers (
  municipality_id text not null references municipalities (id),
  response_id bigint not null references consultation_responses (id) on delete cascade,
  question_id bigint not null references consultation_questions (id) on delete cascade,
  -- Indexes (0-based) into the question's opciones; texto for open answers.
  opciones integer[] not null default '{}',
  texto text check (length(texto) <= 4000),
  primary key (response_id, question_id)
);

-- ---------- Reportes ciudadanos (Open311 GeoReport v2) ----------
create table report_services (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  code text not null check (code ~ '^[a-z0-9][a-z0-9_-]{1,39}$'),
  nombre text not null check (length(nombre) between 3 and 120),
  descripcion text not null default '',
  grupo text not null default 'General',
  keywords text not null default '',
  department_id bigint references departments (id) on delete set null,
  activo boolean not null default true,
  unique (municipality_id, code)
);

create table open311_clients (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  nombre text not null check (length(nombre) between 3 and 120),
  contacto text not null default '',
  key_hash text not null unique,
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);

create table citizen_reports (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  service_id bigint not null references report_services (id),
  user_id bigint references users (id),
  client_id bigint references open311_clients (id),
  descripcion text not null check (length(descripcion) between 3 and 4000),
  direccion text not null default '',
  geom geometry(Point, 4326) not null,
  unit_id bigint references territorial_units (id) on delete set null,
  -- Contact given through Open311 by people without an account; never published.
  email text,
  nombre text,
  media_url text,
  estado text not null default 'open' check (estado in ('open', 'closed')),
  status_notes text not null default '',
  department_id bigint references departments (id) on delete set null,
  oculto boolean not null default false,
  motivo_oculto text,
  is_demo boolean not null default false,
  requested_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  expected_at timestamptz,
  check (not oculto or length(coalesce(motivo_oculto, '')) >= 3)
);
create index citizen_reports_municipality_idx on citizen_reports (municipality_id, requested_at desc);
create index citizen_reports_geom_idx on citizen_reports using gist (geom);
create index citizen_reports_user_idx on citizen_reports (user_id, requested_at);

create table report_photos (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  report_id bigint not null references citizen_reports (id) on delete cascade,
  mime text not null check (mime in ('image/jpeg', 'image/webp')),
  bytes integer not null,
  contenido bytea not null,
  miniatura bytea,
  created_at timestamptz not null default now()
);
create index report_photos_idx on report_photos (report_id);

create table report_updates (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  report_id bigint not null references citizen_reports (id) on delete cascade,
  estado text not null,
  nota text not null default '',
  user_id bigint references users (id),
  at timestamptz not null default now()
);
create index report_updates_idx on report_updates (report_id, at);

create table report_followers (
  municipality_id text not null references municipalities (id),
  report_id bigint not null references citizen_reports (id) on delete cascade,
  user_id bigint not null references users (id) on delete cascade,
  primary key (report_id, user_id)
);

-- ---------- audit ----------
create trigger participation_settings_audit after insert or update or delete on participation_settings
  for each row execute function audit_row('private', 'municipality_id', '');
create trigger resident_verifications_audit after insert or update or delete on resident_verifications
  for each row execute function audit_row('private', 'user_id', 'telefono_hash,curp_hash');
create trigger verification_codes_audit after insert or update on verification_codes
  for each row execute function audit_row('private', 'user_id', 'code_hash,telefono_hash');
create trigger sms_outbox_audit after insert on sms_outbox
  for each row execute function audit_row('private', 'id', 'body,to_number');
create trigger participation_blocks_audit after insert or update or delete on participation_blocks
  for each row execute function audit_row('private', 'user_id', '');
create trigger notifications_audit after insert or delete on notifications
  for each row execute function audit_row('private', 'id', 'cuerpo');
create trigger proposals_audit after insert or update or delete on proposals
  for each row execute function audit_row('public', 'id', 'busqueda,cuerpo_texto,apoyos,comentarios');
create trigger proposal_status_changes_audit after insert or update or delete on proposal_status_changes
  for each row execute function audit_row('public', 'proposal_id', '');
create trigger proposal_supports_audit after insert or delete on proposal_supports
  for each row execute function audit_row('private', 'proposal_id', '');
create trigger proposal_followers_audit after insert or delete on proposal_followers
  for each row execute function audit_row('private', 'proposal_id', '');
create trigger proposal_comments_audit after insert or update or delete on proposal_comments
  for each row execute function audit_row('public', 'id', '');
create trigger proposal_flags_audit after insert or update or delete on proposal_flags
  for each row execute function audit_row('private', 'id', '');
create trigger proposal_files_audit after insert or delete on proposal_files
  for each row execute function audit_row('public', 'id', 'contenido,miniatura');
create trigger pb_processes_audit after insert or update or delete on pb_processes
  for each row execute function audit_row('public', 'id', 'ballot_salt');
create trigger pb_territories_audit after insert or update or delete on pb_territories
  for each row execute function audit_row('public', 'id', '');
create trigger pb_projects_audit after insert or update or delete on pb_projects
  for each row execute function audit_row('public', 'id', '');
create trigger pb_voters_audit after insert or delete on pb_voters
  for each row execute function audit_row('private', 'process_id', '');
create trigger pb_results_audit after insert or update or delete on pb_results
  for each row execute function audit_row('public', 'project_id', '');
create trigger consultations_audit after insert or update or delete on consultations
  for each row execute function audit_row('public', 'id', '');
create trigger consultation_questions_audit after insert or update or delete on consultation_questions
  for each row execute function audit_row('public', 'id', '');
create trigger consultation_responses_audit after insert or delete on consultation_responses
  for each row execute function audit_row('private', 'consultation_id', '');
create trigger report_services_audit after insert or update or delete on report_services
  for each row execute function audit_row('public', 'id', '');
create trigger open311_clients_audit after insert or update or delete on open311_clients
  for each row execute function audit_row('private', 'id', 'key_hash');
create trigger citizen_reports_audit after insert or update or delete on citizen_reports
  for each row execute function audit_row('public', 'id', 'email,nombre');
create trigger report_photos_audit after insert or delete on report_photos
  for each row execute function audit_row('public', 'id', 'contenido,miniatura');
create trigger report_updates_audit after insert on report_updates
  for each row execute function audit_row('public', 'report_id', '');
create trigger report_followers_audit after insert or delete on report_followers
  for each row execute function audit_row('private', 'report_id', '');
create trigger consultation_answers_audit after insert or update or delete on consultation_answers
  for each row execute function audit_row('private', 'response_id', '');
-- Not audited on purpose: pb_ballots (an audit row would carry the voter next to the choice)
-- and pow_spent (a throwaway replay guard).
