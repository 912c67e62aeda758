-- V46: facts, the rollups fed by events (docs/reports.md "Facts (rollups)", platform-core/reports README "facts").
-- Code: platform-core/reports org.labcommons.core.reports.facts (FactRows writes, FactQueryRows reads).
--
-- fact_source remembers, per source event aggregate (a usage session, a staff usage record, a booking, a sample
-- request, a charge), the version seen last and what it contributes to the rollups now. A later version replaces the
-- old contribution by a delta (old subtracted, new added, in the consumer's tenant transaction); an older or equal
-- version changes nothing; the kernel's processed_event keeps a redelivered event from running at all.
-- Minutes and fen are exact integers; hours are computed when read (minutes / 60.0).

create table fact_source (
    tenant_id     uuid not null default app_tenant() references tenant (id),
    kind          text not null check (kind in ('session', 'record', 'booking', 'sample', 'charge')),
    source_id     uuid not null,
    version       bigint not null,
    instrument_id uuid not null,
    day           date,                 -- the tenant-zone day it counts on; null: it has not counted yet
    user_class    text not null check (user_class in ('internal', 'consortium', 'external')),
    service_type  text not null check (service_type in ('teaching', 'research', 'service', 'open')),
    user_id       uuid,
    project       text check (length(project) between 1 and 64),
    booking_id    uuid,                 -- sessions and records: the booking they belong to (class, project, basis)
    raw_min       bigint not null default 0,   -- the source's own minutes (a record's count only without a session)
    effective_min bigint not null default 0,
    booked_min    bigint not null default 0,
    samples       bigint not null default 0,
    revenue_fen   bigint not null default 0,
    measured      boolean not null default false,   -- a session that holds (not superseded)
    updated_at    timestamptz not null default now(),
    primary key (tenant_id, kind, source_id)
);
create index fact_source_booking_idx on fact_source (tenant_id, booking_id) where booking_id is not null;

-- Per tenant, instrument, day (tenant's zone), user class and service type.
create table fact_day (
    tenant_id     uuid not null default app_tenant() references tenant (id),
    instrument_id uuid not null,
    day           date not null,
    user_class    text not null check (user_class in ('internal', 'consortium', 'external')),
    service_type  text not null check (service_type in ('teaching', 'research', 'service', 'open')),
    effective_min bigint not null default 0,
    booked_min    bigint not null default 0,
    samples       bigint not null default 0,
    revenue_fen   bigint not null default 0,
    primary key (tenant_id, instrument_id, day, user_class, service_type)
);
create index fact_day_day_idx on fact_day (tenant_id, day);

-- The same per month (month = its first day), kept in the same statement batch as fact_day.
create table fact_month (
    tenant_id     uuid not null default app_tenant() references tenant (id),
    instrument_id uuid not null,
    month         date not null check (extract(day from month) = 1),
    user_class    text not null check (user_class in ('internal', 'consortium', 'external')),
    service_type  text not null check (service_type in ('teaching', 'research', 'service', 'open')),
    effective_min bigint not null default 0,
    booked_min    bigint not null default 0,
    samples       bigint not null default 0,
    revenue_fen   bigint not null default 0,
    primary key (tenant_id, instrument_id, month, user_class, service_type)
);
create index fact_month_month_idx on fact_month (tenant_id, month);

-- Exact distinct users and projects: the sets, with how many sources put each member there (a row leaves at 0).
create table fact_month_user (
    tenant_id     uuid not null default app_tenant() references tenant (id),
    instrument_id uuid not null,
    month         date not null check (extract(day from month) = 1),
    user_class    text not null check (user_class in ('internal', 'consortium', 'external')),
    user_id       uuid not null,
    refs          integer not null check (refs >= 0),
    primary key (tenant_id, instrument_id, month, user_class, user_id)
);
create index fact_month_user_month_idx on fact_month_user (tenant_id, month);

create table fact_month_project (
    tenant_id     uuid not null default app_tenant() references tenant (id),
    instrument_id uuid not null,
    month         date not null check (extract(day from month) = 1),
    user_class    text not null check (user_class in ('internal', 'consortium', 'external')),
    project       text not null check (length(project) between 1 and 64),
    refs          integer not null check (refs >= 0),
    primary key (tenant_id, instrument_id, month, user_class, project)
);
create index fact_month_project_month_idx on fact_month_project (tenant_id, month);

-- Trainees: users granted an instrument's qualification (booking.v1 qualification.granted), once per month.
create table fact_month_trainee (
    tenant_id     uuid not null default app_tenant() references tenant (id),
    instrument_id uuid not null,
    month         date not null check (extract(day from month) = 1),
    user_id       uuid not null,
    primary key (tenant_id, instrument_id, month, user_id)
);
create index fact_month_trainee_month_idx on fact_month_trainee (tenant_id, month);

do $$
declare t text;
begin
    foreach t in array array['fact_source', 'fact_day', 'fact_month', 'fact_month_user', 'fact_month_project',
                             'fact_month_trainee'] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy tenant_isolation on %I using (tenant_id = app_tenant()) with check (tenant_id = app_tenant())', t);
    end loop;
end $$;

grant select, insert, update on fact_source, fact_day, fact_month to ${appRole};
grant select, insert, update, delete on fact_month_user, fact_month_project to ${appRole};
grant select, insert on fact_month_trainee to ${appRole};
