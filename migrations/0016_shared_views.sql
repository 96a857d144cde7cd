-- What a module lets the others read of its tables (ARCHITECTURE.md: cross-module reads go
-- through the owner's api.ts or a view its migration defines). Plain views: PostgreSQL inlines
-- them, so the owner's indexes serve the reader's query. Writes stay with the owner.

-- accounts: a person's name for bylines and the address for notices; never credentials.
create view shared_users as
  select id, name, email, email_verified_at, status, is_demo from users;

-- accounts: a municipality's departments (dependencias), for names and routing.
create view shared_departments as
  select id, municipality_id, name, acronym from departments;

-- territory: the municipalities of the installation.
create view shared_municipalities as
  select id, cve_ent, name, active, is_demo from municipalities;

-- territory: territorial units with their geometry, for placing points and naming places.
create view shared_units as
  select id, municipality_id, level, cvegeo, name, parent_id, population, area_m2, attributes, geom, updated_at from territorial_units;
