-- The proposals index in its two orders, served by an index at state size (issue 16): newest first
-- (created_at, then id, as the list orders) and most supported first. Hidden proposals never list.
create index proposals_recent_idx on proposals (municipality_id, created_at desc, id desc) where not oculto;
create index proposals_apoyos_idx on proposals (municipality_id, apoyos desc, created_at desc, id desc) where not oculto;
