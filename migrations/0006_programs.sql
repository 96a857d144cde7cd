-- Programación‑Presupuesto: the POA (programa operativo anual) per fiscal year and unidad
-- responsable, programs with their MIR, actions and public works with budget by funding source,
-- progress reports with evidence, and contract data published as OCDS.

-- Funding sources. Rows with municipality_id null are the shared catalogue; a municipality may add
-- its own. Amounts are in pesos (MXN).
create table funding_sources (
  id bigint generated always as identity primary key,
  municipality_id text references municipalities (id),
  clave text not null check (clave ~ '^[A-Z0-9][A-Z0-9_-]{0,39}$'),
  nombre text not null,
  orden_gobierno text not null check (orden_gobierno in ('federal', 'estatal', 'municipal', 'otro')),
  activo boolean not null default true,
  unique nulls not distinct (municipality_id, clave)
);

insert into funding_sources (municipality_id, clave, nombre, orden_gobierno) values
  (null, 'FISM-DF', 'Ramo 33 — Fondo de Aportaciones para la Infraestructura Social Municipal (FISM‑DF)', 'federal'),
  (null, 'FORTAMUN-DF', 'Ramo 33 — Fondo de Aportaciones para el Fortalecimiento de los Municipios (FORTAMUN‑DF)', 'federal'),
  (null, 'PROPIOS', 'Recursos propios', 'municipal'),
  (null, 'PARTICIPACIONES', 'Participaciones (Ramo 28)', 'federal'),
  (null, 'ESTATAL', 'Programas del Gobierno del Estado', 'estatal'),
  (null, 'SEDATU-PMV', 'SEDATU — Programa de Mejoramiento Urbano', 'federal'),
  (null, 'CONAGUA-PROAGUA', 'CONAGUA — Programa de Agua Potable, Drenaje y Tratamiento', 'federal'),
  (null, 'SETUR', 'SECTUR/SETUR — Programas de desarrollo turístico', 'federal');

create table poa_programs (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  anio integer not null check (anio between 2000 and 2200),
  department_id bigint not null references departments (id),
  clave text not null check (length(clave) between 1 and 40),
  nombre text not null check (length(nombre) between 3 and 300),
  descripcion text not null default '',
  is_demo boolean not null default false,
  unique (municipality_id, anio, clave)
);
create index poa_programs_dept_idx on poa_programs (municipality_id, anio, department_id);

-- Matriz de Indicadores para Resultados: Fin, Propósito, Componentes, Actividades.
create table mir_rows (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  program_id bigint not null references poa_programs (id) on delete cascade,
  nivel text not null check (nivel in ('fin', 'proposito', 'componente', 'actividad')),
  posicion integer not null default 0,
  resumen_narrativo text not null check (length(resumen_narrativo) between 3 and 2000),
  indicator_id bigint references indicators (id) on delete set null,
  indicador_texto text not null default '',
  medios_verificacion text not null default '',
  supuestos text not null default ''
);
create index mir_rows_program_idx on mir_rows (program_id, posicion);

-- A project/action of the POA. Public works (tipo 'obra') also have a row in contracts.
create table poa_actions (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  program_id bigint not null references poa_programs (id) on delete restrict,
  -- Copied from the program so enlace scoping is one column check.
  department_id bigint not null references departments (id),
  clave text not null check (length(clave) between 1 and 40),
  nombre text not null check (length(nombre) between 3 and 300),
  descripcion text not null default '',
  tipo text not null default 'accion' check (tipo in ('accion', 'obra')),
  geom geometry(Geometry, 4326),
  beneficiarios integer check (beneficiarios >= 0),
  beneficiarios_descripcion text not null default '',
  fecha_inicio date,
  fecha_fin date,
  publicado boolean not null default false,
  -- Latest published progress (kept by the service when a report is published).
  avance_fisico numeric(5, 2) not null default 0 check (avance_fisico between 0 and 100),
  is_demo boolean not null default false,
  updated_at timestamptz not null default now(),
  unique (municipality_id, clave),
  check (fecha_fin is null or fecha_inicio is null or fecha_fin >= fecha_inicio)
);
create index poa_actions_program_idx on poa_actions (program_id);
create index poa_actions_dept_idx on poa_actions (municipality_id, department_id);
create index poa_actions_geom_idx on poa_actions using gist (geom);

create table action_budgets (
  municipality_id text not null references municipalities (id),
  action_id bigint not null references poa_actions (id) on delete cascade,
  funding_source_id bigint not null references funding_sources (id),
  aprobado numeric(16, 2) not null default 0 check (aprobado >= 0),
  modificado numeric(16, 2) check (modificado >= 0),
  ejercido numeric(16, 2) not null default 0 check (ejercido >= 0),
  primary key (action_id, funding_source_id)
);

create table action_alignments (
  municipality_id text not null references municipalities (id),
  action_id bigint not null references poa_actions (id) on delete cascade,
  -- An aligned element cannot be deleted (restrict): the plan service reports it.
  element_id bigint not null references plan_elements (id) on delete restrict,
  primary key (action_id, element_id)
);
create index action_alignments_element_idx on action_alignments (element_id);

create table progress_reports (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  action_id bigint not null references poa_actions (id) on delete cascade,
  periodo text not null check (periodo ~ '^[0-9]{4}-(T[1-4]|(0[1-9]|1[0-2]))$'),
  avance_fisico numeric(5, 2) not null check (avance_fisico between 0 and 100),
  ejercido numeric(16, 2) not null default 0 check (ejercido >= 0),
  narrativa text not null default '',
  estado text not null default 'enviado' check (estado in ('enviado', 'publicado', 'devuelto')),
  nota_revision text not null default '',
  reported_by bigint references users (id),
  reviewed_by bigint references users (id),
  created_at timestamptz not null default now(),
  reviewed_at timestamptz,
  unique (action_id, periodo)
);

create table evidence_files (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  report_id bigint not null references progress_reports (id) on delete cascade,
  nombre text not null,
  mime text not null check (mime in ('image/jpeg', 'image/png', 'image/webp', 'application/pdf')),
  bytes integer not null,
  sha256 text not null,
  contenido bytea not null,
  created_at timestamptz not null default now()
);
create index evidence_files_report_idx on evidence_files (report_id);

-- Contract data of a public work (obra pública), published as an OCDS 1.1 release.
create table contracts (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  action_id bigint not null unique references poa_actions (id) on delete cascade,
  procedimiento text not null check (procedimiento in ('licitacion_publica', 'invitacion_tres', 'adjudicacion_directa')),
  numero_contrato text not null default '',
  contratista_nombre text not null default '',
  contratista_rfc text check (contratista_rfc ~ '^[A-ZÑ&]{3,4}[0-9]{6}[A-Z0-9]{3}$'),
  monto_contratado numeric(16, 2) check (monto_contratado >= 0),
  fecha_convocatoria date,
  fecha_adjudicacion date,
  fecha_firma date,
  fecha_inicio date,
  fecha_fin date,
  updated_at timestamptz not null default now()
);

create table contract_amendments (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  contract_id bigint not null references contracts (id) on delete cascade,
  fecha date not null,
  descripcion text not null check (length(descripcion) between 3 and 2000),
  monto_nuevo numeric(16, 2) check (monto_nuevo >= 0),
  fecha_fin_nueva date,
  created_at timestamptz not null default now()
);

create trigger funding_sources_audit after insert or update or delete on funding_sources
  for each row execute function audit_row('public', 'clave', '');
create trigger poa_programs_audit after insert or update or delete on poa_programs
  for each row execute function audit_row('public', 'id', '');
create trigger mir_rows_audit after insert or update or delete on mir_rows
  for each row execute function audit_row('public', 'id', '');
create trigger poa_actions_audit after insert or update or delete on poa_actions
  for each row execute function audit_row('public', 'id', '');
create trigger action_budgets_audit after insert or update or delete on action_budgets
  for each row execute function audit_row('public', 'action_id', '');
create trigger action_alignments_audit after insert or update or delete on action_alignments
  for each row execute function audit_row('public', 'action_id', '');
create trigger progress_reports_audit after insert or update or delete on progress_reports
  for each row execute function audit_row('public', 'id', '');
create trigger evidence_files_audit after insert or update or delete on evidence_files
  for each row execute function audit_row('public', 'id', 'contenido');
create trigger contracts_audit after insert or update or delete on contracts
  for each row execute function audit_row('public', 'id', '');
create trigger contract_amendments_audit after insert or update or delete on contract_amendments
  for each row execute function audit_row('public', 'contract_id', '');
