-- Photos that residents attach to their rating of a finished work (seed 002, 1.1.3: citizens
-- evaluate the quality of public works). Images are re-encoded on upload (no EXIF, bounded size).
create table work_rating_photos (
  id bigint generated always as identity primary key,
  municipality_id text not null references municipalities (id),
  rating_id bigint not null references work_ratings (id) on delete cascade,
  mime text not null check (mime in ('image/jpeg')),
  bytes integer not null,
  contenido bytea not null,
  miniatura bytea,
  created_at timestamptz not null default now()
);
create index work_rating_photos_rating_idx on work_rating_photos (rating_id);

create trigger work_rating_photos_audit after insert or delete on work_rating_photos
  for each row execute function audit_row('public', 'rating_id', 'contenido,miniatura');
