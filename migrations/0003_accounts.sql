-- Accounts: users, per-municipality role grants, sessions, one-time tokens and the mail outbox.
create table departments (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  name text not null,
  acronym text,
  unique (municipality_id, name)
);

create table users (
  id bigint generated always as identity primary key,
  email text not null check (email ~ '^[^@\s]+@[^@\s]+$'),
  name text not null check (length(name) between 1 and 200),
  password_hash text not null,
  email_verified_at timestamptz,
  status text not null default 'active' check (status in ('active', 'blocked')),
  home_municipality_id text references municipalities (id),
  locale text not null default 'es-MX',
  is_demo boolean not null default false,
  created_at timestamptz not null default now(),
  last_login_at timestamptz
);
create unique index users_email_key on users (lower(email));

-- municipality_id null = state-wide grant (the whole installation).
create table role_grants (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  municipality_id text references municipalities (id),
  role text not null check (role in ('admin', 'planner', 'enlace', 'council', 'citizen')),
  department_id bigint references departments (id),
  granted_by bigint references users (id),
  created_at timestamptz not null default now(),
  check ((role = 'enlace') = (department_id is not null))
);
create unique index role_grants_unique on role_grants (user_id, coalesce(municipality_id, '*'), role, coalesce(department_id, 0));
create index role_grants_municipality_idx on role_grants (municipality_id);

create table sessions (
  id text primary key,            -- sha256 of the cookie token; the token itself is never stored
  user_id bigint not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  ip text,
  user_agent text
);
create index sessions_user_idx on sessions (user_id);

create table user_tokens (
  token_hash text primary key,
  user_id bigint not null references users (id) on delete cascade,
  purpose text not null check (purpose in ('verify_email', 'reset_password')),
  expires_at timestamptz not null,
  used_at timestamptz
);

create table outbox (
  id bigint generated always as identity primary key,
  to_address text not null,
  subject text not null,
  body text not null,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  attempts integer not null default 0,
  last_error text
);
create index outbox_unsent_idx on outbox (id) where sent_at is null;

create trigger departments_audit after insert or update or delete on departments
  for each row execute function audit_row('public', 'id', '');
create trigger users_audit after insert or update or delete on users
  for each row execute function audit_row('private', 'id', 'password_hash,last_login_at');
create trigger role_grants_audit after insert or update or delete on role_grants
  for each row execute function audit_row('private', 'id', '');
create trigger user_tokens_audit after insert or update on user_tokens
  for each row execute function audit_row('private', 'user_id', 'token_hash');
create trigger outbox_audit after insert on outbox
  for each row execute function audit_row('private', 'id', 'body');
