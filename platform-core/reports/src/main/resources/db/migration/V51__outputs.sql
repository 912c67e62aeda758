-- V51: outputs supported by instruments (docs/reports.md "Outputs", platform-core/reports README "outputs"):
-- papers, awards, patents and projects, recorded by users and staff (or imported from a spreadsheet), each linked
-- to one or more instruments of the tenant and, where known, a usage session or a booking. A user's output is
-- 'recorded' until staff who manage one of its instruments confirm it; staff's own are confirmed when recorded.
-- Only confirmed outputs count in evaluations (Outputs.instrumentYear).
-- Code: platform-core/reports org.labcommons.core.reports.outputs (OutputRows).

create table research_output (
    tenant_id        uuid not null default app_tenant() references tenant (id),
    id               uuid not null,
    kind             text not null check (kind in ('paper', 'award', 'patent', 'project')),
    category         text check (category ~ '^[a-z][a-z_]{1,31}$'),   -- per kind, see OutputChecks.CATEGORIES
    title            text not null check (length(title) between 1 and 500),
    year             integer not null check (year between 1950 and 2100),
    people           text not null check (length(people) between 1 and 2000),   -- authors / holders / winners
    doi              text check (length(doi) between 1 and 200),
    patent_number    text check (length(patent_number) between 1 and 64),
    grant_code       text check (length(grant_code) between 1 and 64),
    booking_id       uuid,                                 -- booking's id where known (no foreign key: booking's table)
    usage_session_id uuid,                                 -- usage's session id where known (no foreign key)
    status           text not null default 'recorded' check (status in ('recorded', 'confirmed')),
    source           text not null default 'form' check (source in ('form', 'import')),
    recorded_by      uuid not null references user_account (id),
    confirmed_by     uuid references user_account (id),
    confirmed_at     timestamptz,
    version          integer not null default 1 check (version > 0),
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    primary key (tenant_id, id),
    check ((status = 'confirmed') = (confirmed_at is not null))
);
create index research_output_recorder_idx on research_output (tenant_id, recorded_by, created_at);
create index research_output_year_idx on research_output (tenant_id, year, kind);
create unique index research_output_doi_key on research_output (tenant_id, lower(doi)) where doi is not null;

create table research_output_instrument (
    tenant_id     uuid not null default app_tenant() references tenant (id),
    output_id     uuid not null,
    instrument_id uuid not null,
    primary key (tenant_id, output_id, instrument_id),
    foreign key (tenant_id, output_id) references research_output (tenant_id, id) on delete cascade,
    foreign key (tenant_id, instrument_id) references instrument (tenant_id, id)
);
create index research_output_instrument_idx on research_output_instrument (tenant_id, instrument_id, output_id);

do $$
declare t text;
begin
    foreach t in array array['research_output', 'research_output_instrument'] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy tenant_isolation on %I using (tenant_id = app_tenant()) with check (tenant_id = app_tenant())', t);
    end loop;
end $$;

grant select, insert, update, delete on research_output to ${appRole};
grant select, insert, delete on research_output_instrument to ${appRole};
