-- V11: published prices of an instrument (DOMAIN.md "Money": different internal and external rates).
-- A simple fee list the owner publishes with the record: per rate group of the tenant (V8's
-- rate_group: internal, consortium, external by default), per unit, in integer fen, either for
-- machine time of the instrument (service_id null) or for one of its test services (per sample...).
-- Search shows the price that applies to the requester. A later rate-card / settlement engine
-- reads this table (approval, validity periods and subsidies are that engine's, not here).
-- Code: platform-core org.labcommons.core.catalog (InstrumentService writes, CatalogueEvents emits).

-- lets a price's service reference name the instrument too (a price can only name a service of
-- its own instrument, checked by the database)
alter table instrument_service
    add constraint instrument_service_instrument_id_key unique (tenant_id, instrument_id, id);

create table instrument_price (
    tenant_id       uuid not null references tenant (id),
    id              uuid not null,
    instrument_id   uuid not null,
    service_id      uuid,                                  -- null: machine time of the instrument
    rate_group_code text not null,
    unit            text not null check (unit in ('hour', 'sample', 'item', 'day')),
    amount_fen      bigint not null check (amount_fen between 0 and 100000000),   -- at most 1,000,000 RMB
    note_zh         text check (length(note_zh) <= 200),
    note_en         text check (length(note_en) <= 200),
    position        integer not null default 0,
    primary key (tenant_id, id),
    foreign key (tenant_id, instrument_id) references instrument (tenant_id, id) on delete cascade,
    -- MATCH SIMPLE: not checked while service_id is null
    foreign key (tenant_id, instrument_id, service_id)
        references instrument_service (tenant_id, instrument_id, id) on delete cascade,
    -- a rate group in use cannot be deleted (or renamed) from under its prices
    foreign key (tenant_id, rate_group_code) references rate_group (tenant_id, code)
);
-- one price per (instrument, machine time or service, rate group, unit)
create unique index instrument_price_key on instrument_price (tenant_id, instrument_id,
    coalesce(service_id, '00000000-0000-0000-0000-000000000000'::uuid), rate_group_code, unit);
create index instrument_price_service_idx on instrument_price (tenant_id, service_id) where service_id is not null;
create index instrument_price_rate_group_idx on instrument_price (tenant_id, rate_group_code);

alter table instrument_price enable row level security;
alter table instrument_price force row level security;
create policy tenant_isolation on instrument_price
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

grant select, insert, update, delete on instrument_price to ${appRole};
