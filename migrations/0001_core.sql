-- Core: PostGIS, the append-only audit log and the generic row-audit trigger.
create extension if not exists postgis;

create table audit_log (
  id bigint generated always as identity primary key,
  municipality_id text,
  at timestamptz not null default now(),
  actor_id bigint,
  via text,
  action text not null check (action in ('insert', 'update', 'delete', 'event')),
  entity text not null,
  entity_id text,
  before jsonb,
  after jsonb,
  is_public boolean not null default false
);
create index audit_log_municipality_at_idx on audit_log (municipality_id, at desc);
create index audit_log_entity_idx on audit_log (entity, entity_id, at desc);
create index audit_log_actor_idx on audit_log (actor_id, at desc);

-- Append-only: no UPDATE, DELETE or TRUNCATE, whoever asks.
create function audit_log_forbid() returns trigger language plpgsql as $$
begin
  raise exception 'El registro de auditoría es de solo anexado: no se puede modificar ni borrar'
    using errcode = 'BRJ01';
end $$;
create trigger audit_log_no_change before update or delete on audit_log
  for each row execute function audit_log_forbid();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_forbid();

-- Row audit: attach to a table with
--   create trigger t_audit after insert or update or delete on t for each row
--     execute function audit_row('public' | 'private', '<key column>', '<excluded,columns>');
-- The actor comes from set_config('brujula.actor_id', …, true) set by the transaction helper.
create function audit_row() returns trigger language plpgsql as $$
declare
  excluded text[] := case when TG_NARGS > 2 and TG_ARGV[2] <> '' then string_to_array(TG_ARGV[2], ',') else '{}'::text[] end;
  o jsonb;
  n jsonb;
  row_data jsonb;
begin
  -- Restoring a backup replays rows whose history is in the restored audit_log already.
  if current_setting('brujula.restoring', true) = 'on' then return null; end if;
  if TG_OP <> 'INSERT' then o := to_jsonb(OLD) - excluded; end if;
  if TG_OP <> 'DELETE' then n := to_jsonb(NEW) - excluded; end if;
  if TG_OP = 'UPDATE' and o = n then return null; end if;
  row_data := coalesce(n, o);
  insert into audit_log (municipality_id, actor_id, via, action, entity, entity_id, before, after, is_public)
  values (
    coalesce(row_data ->> 'municipality_id', case when TG_TABLE_NAME = 'municipalities' then row_data ->> 'id' end),
    nullif(current_setting('brujula.actor_id', true), '')::bigint,
    nullif(current_setting('brujula.via', true), ''),
    lower(TG_OP),
    TG_TABLE_NAME,
    row_data ->> TG_ARGV[1],
    o,
    n,
    TG_ARGV[0] = 'public'
  );
  return null;
end $$;

-- Accent- and case-insensitive matching for Spanish names, the same on PGlite and PostgreSQL
-- (the unaccent extension is not available everywhere).
create function unaccent_simple(t text) returns text language sql immutable parallel safe as $$
  select translate(lower(t), 'áàäâãéèëêíìïîóòöôõúùüûñç', 'aaaaaeeeeiiiiooooouuuunc')
$$;
