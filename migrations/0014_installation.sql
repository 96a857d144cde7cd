-- The installation itself: the institution that runs Brújula (its name, state, colours and logo,
-- shown in the header, the PDFs and the embeds) and the one-time link that creates the first admin.
create table installation (
  id boolean primary key default true check (id),
  institution_name text check (length(institution_name) between 2 and 200),
  cve_ent text references states (cve_ent),
  primary_color text not null default '#0b5d4b' check (primary_color ~ '^#[0-9a-f]{6}$'),
  accent_color text not null default '#f2c14e' check (accent_color ~ '^#[0-9a-f]{6}$'),
  logo bytea,
  logo_version integer not null default 0,
  -- sha256 of the setup link's token; set on start while no state-wide admin exists, spent by the first admin.
  setup_token_hash text,
  setup_token_created_at timestamptz,
  updated_at timestamptz not null default now()
);
insert into installation default values;

create trigger installation_audit after update on installation
  for each row execute function audit_row('private', 'id', 'logo,setup_token_hash,setup_token_created_at');

-- Invitations: staff receive a link that sets their password and verifies their e-mail at once.
alter table user_tokens drop constraint user_tokens_purpose_check;
alter table user_tokens add constraint user_tokens_purpose_check check (purpose in ('verify_email', 'reset_password', 'invitation'));

-- INEGI's tables give areas on the plane of EPSG:6372 (LCC); Brújula's own area is geodesic (about
-- 1 % larger in Zacatecas). Both are kept so a user can compare with INEGI; this one follows the geometry.
alter table territorial_units add column area_planar_m2 double precision
  generated always as (case when ST_Dimension(geom) = 2 then ST_Area(ST_Transform(geom, 6372)) end) stored;
