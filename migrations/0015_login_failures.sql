-- Failed sign-ins per account (the e-mail as typed, existing or not), so that guessing one
-- account's password is limited across every IP and every app process. Not audited: it is
-- operational state, kept for a day.
create table login_failures (
  email text not null check (length(email) <= 320),
  at timestamptz not null default now()
);
create index login_failures_email_at_idx on login_failures (lower(email), at);
