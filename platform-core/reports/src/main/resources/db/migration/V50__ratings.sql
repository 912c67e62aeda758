-- V50: users' ratings of a service (docs/reports.md "Ratings", platform-core/reports README "ratings").
-- The person who held a completed booking, or a sample request whose results were ready, rates the service once
-- (1-5, an optional comment); a change within the window is a new version (rating_version keeps every one; the
-- rating row holds the current). The rating lives in the tenant of the instrument (the booking's owner), also when
-- the person came from another institution (rater_home_tenant_id). Staff of the instrument reply once per rating
-- (the reply is editable; every edit is audited). Nobody but the rater reads rater_user_id through the code.
-- Code: platform-core/reports org.labcommons.core.reports.ratings (RatingRows).

create table rating (
    tenant_id            uuid not null default app_tenant() references tenant (id),
    id                   uuid not null,
    instrument_id        uuid not null,
    subject_kind         text not null check (subject_kind in ('booking', 'sample_request')),
    subject_id           uuid not null,                     -- booking's or sample request's id (no foreign key: booking's tables)
    rater_user_id        uuid not null references user_account (id),
    rater_home_tenant_id uuid not null references tenant (id),
    served_at            timestamptz not null,              -- the booking's end, or when the results were ready
    score                smallint not null check (score between 1 and 5),
    comment              text check (length(comment) between 1 and 2000),
    version              integer not null default 1 check (version > 0),
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now(),
    primary key (tenant_id, id),
    constraint rating_subject_key unique (tenant_id, subject_kind, subject_id),
    foreign key (tenant_id, instrument_id) references instrument (tenant_id, id)
);
create index rating_instrument_idx on rating (tenant_id, instrument_id, served_at);
create index rating_rater_idx on rating (tenant_id, rater_user_id, created_at);

-- Every version of a rating, the first included (append-only for the runtime role).
create table rating_version (
    tenant_id   uuid not null default app_tenant() references tenant (id),
    rating_id   uuid not null,
    version     integer not null check (version > 0),
    score       smallint not null check (score between 1 and 5),
    comment     text check (length(comment) between 1 and 2000),
    at          timestamptz not null default now(),
    primary key (tenant_id, rating_id, version),
    foreign key (tenant_id, rating_id) references rating (tenant_id, id) on delete cascade
);

-- The staff's reply to a rating (one per rating, editable; the audit log keeps each text's change).
create table rating_reply (
    tenant_id       uuid not null default app_tenant() references tenant (id),
    rating_id       uuid not null,
    body            text not null check (length(body) between 1 and 2000),
    author_user_id  uuid not null references user_account (id),
    version         integer not null default 1 check (version > 0),
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    primary key (tenant_id, rating_id),
    foreign key (tenant_id, rating_id) references rating (tenant_id, id) on delete cascade
);

do $$
declare t text;
begin
    foreach t in array array['rating', 'rating_version', 'rating_reply'] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy tenant_isolation on %I using (tenant_id = app_tenant()) with check (tenant_id = app_tenant())', t);
    end loop;
end $$;

grant select, insert, update on rating to ${appRole};
grant select, insert on rating_version to ${appRole};
grant select, insert, update on rating_reply to ${appRole};
