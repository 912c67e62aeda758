-- V39: fee standards (rate cards; docs/billing.md "Fee standards", platform-core/billing/README.md).
-- A versioned card per (instrument, machine time or one of its services, rate group): unit, price, minimum,
-- rounding increment, assisted surcharge and optional time bands, in integer fen. Its life cycle
-- draft -> submitted -> department_approved -> committee_approved -> filed (with the price authority's reference)
-- -> superseded, or withdrawn before it took effect; each step is a fee_standard_step row and an audit event.
-- activated_at: when the card took effect and the catalogue's published price (instrument_price) was set from it.
-- Code: platform-core/billing org.labcommons.core.billing.rates (FeeStandards writes, RateCards reads).

create table fee_standard (
    tenant_id              uuid not null default app_tenant() references tenant (id),
    id                     uuid not null,
    instrument_id          uuid not null,
    service_id             uuid,                                  -- null: machine time of the instrument
    rate_group_code        text not null,
    version                integer not null check (version > 0),
    unit                   text not null check (unit in ('hour', 'sample', 'item', 'day')),
    price_fen              bigint not null check (price_fen between 0 and 100000000),
    minimum_fen            bigint not null default 0 check (minimum_fen between 0 and 100000000),
    rounding               integer not null default 1 check (rounding between 1 and 1440),
    assisted_surcharge_fen bigint not null default 0 check (assisted_surcharge_fen between 0 and 100000000),
    time_bands             jsonb check (time_bands is null or jsonb_typeof(time_bands) = 'array'),
    status                 text not null default 'draft' check (status in ('draft', 'submitted', 'department_approved',
                               'committee_approved', 'filed', 'superseded', 'withdrawn')),
    effective_from         date not null,
    filing_ref             text check (length(filing_ref) between 1 and 100),
    note                   text check (length(note) <= 1000),
    activated_at           timestamptz,
    created_at             timestamptz not null default now(),
    created_by             uuid references user_account (id),
    updated_at             timestamptz not null default now(),
    primary key (tenant_id, id),
    -- only hourly cards round to more than a minute
    check (unit = 'hour' or rounding = 1),
    -- a filed card (and one it superseded) names the price authority's reference
    check (status not in ('filed', 'superseded') or filing_ref is not null),
    foreign key (tenant_id, instrument_id) references instrument (tenant_id, id) on delete cascade,
    foreign key (tenant_id, instrument_id, service_id)
        references instrument_service (tenant_id, instrument_id, id) on delete cascade,
    foreign key (tenant_id, rate_group_code) references rate_group (tenant_id, code)
);
-- versions count up per card key
create unique index fee_standard_version_key on fee_standard (tenant_id, instrument_id,
    coalesce(service_id, '00000000-0000-0000-0000-000000000000'::uuid), rate_group_code, version);
-- two filed cards of one key never take effect on the same day
create unique index fee_standard_filed_day_key on fee_standard (tenant_id, instrument_id,
    coalesce(service_id, '00000000-0000-0000-0000-000000000000'::uuid), rate_group_code, effective_from)
    where status in ('filed', 'superseded');
create index fee_standard_status_idx on fee_standard (tenant_id, status, effective_from);

create table fee_standard_step (
    tenant_id       uuid not null default app_tenant() references tenant (id),
    fee_standard_id uuid not null,
    seq             integer not null check (seq > 0),
    action          text not null check (action in ('created', 'edited', 'submitted', 'department_approved',
                        'committee_approved', 'filed', 'activated', 'superseded', 'withdrawn')),
    from_status     text,
    to_status       text not null,
    at              timestamptz not null default now(),
    actor_id        uuid references user_account (id),   -- null: the platform (activation on the effective day)
    note            text check (length(note) <= 1000),
    primary key (tenant_id, fee_standard_id, seq),
    foreign key (tenant_id, fee_standard_id) references fee_standard (tenant_id, id) on delete cascade
);

do $$
declare t text;
begin
    foreach t in array array['fee_standard', 'fee_standard_step'] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy tenant_isolation on %I using (tenant_id = app_tenant()) with check (tenant_id = app_tenant())', t);
    end loop;
end $$;

grant select, insert, update on fee_standard to ${appRole};
grant select, insert on fee_standard_step to ${appRole};
