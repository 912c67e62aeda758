-- V40: charges (docs/billing.md "Charges", platform-core/billing/README.md "Charges").
-- A charge is what one source (a measured usage session, a staff usage record, a booking's booked time, a
-- cancellation or no-show of a booking, a sample request) costs under one fee standard version. Its amount is the
-- sum of its items; items are append-only: a re-rating, an adjustment or a waiver is a new item, never an update.
-- charge.amount_fen caches that sum and is only ever changed in the statement that adds the item.
-- Code: platform-core/billing org.labcommons.core.billing.charges (ChargeRows, ChargePolicyRows, ChargeSourceRows).

-- How an instrument's use is charged (no row: the defaults below).
create table charge_policy (
    tenant_id          uuid not null default app_tenant() references tenant (id),
    instrument_id      uuid not null,
    basis              text not null default 'measured' check (basis in ('measured', 'booked')),
    review_required    boolean not null default true,
    cancel_free_hours  integer not null default 24 check (cancel_free_hours between 0 and 720),
    cancel_fee_bp      integer not null default 0 check (cancel_fee_bp between 0 and 10000),
    no_show_fee_bp     integer not null default 10000 check (no_show_fee_bp between 0 and 10000),
    version            bigint not null default 1,
    updated_at         timestamptz not null default now(),
    updated_by         uuid references user_account (id),
    primary key (tenant_id, instrument_id),
    foreign key (tenant_id, instrument_id) references instrument (tenant_id, id) on delete cascade
);

create table charge (
    tenant_id            uuid not null default app_tenant() references tenant (id),
    id                   uuid not null,
    source_type          text not null check (source_type in ('usage_session', 'usage_record', 'booking', 'sample_request')),
    source_id            uuid not null,
    source_version       bigint not null default 0,     -- the highest aggregateVersion of the source rated so far
    kind                 text not null check (kind in ('usage', 'sample', 'cancellation', 'no_show')),
    booking_id           uuid,                           -- the booking the source belongs to (basis rule)
    instrument_id        uuid not null,
    service_id           uuid,
    org_unit_id          uuid,
    user_id              uuid not null,
    user_home_tenant_id  uuid not null,
    account_code         text check (length(account_code) between 1 and 64),
    rate_group           text not null,
    fee_standard_id      uuid,                           -- null: no filed card (unrated)
    fee_standard_version integer not null default 0,
    unrated              boolean not null default false,
    service_start        timestamptz not null,
    service_end          timestamptz,
    quantity             numeric(12, 2) not null default 0,
    unit                 text not null,
    amount_fen           bigint not null default 0,      -- = sum(charge_item.delta_fen), kept in the same statement
    posted_fen           bigint not null default 0,      -- what the ledger holds of it
    payer_kind           text,
    payer_ledger_code    text,
    status               text not null default 'pending' check (status in ('pending', 'approved', 'waived', 'disputed')),
    status_before_dispute text check (status_before_dispute in ('pending', 'approved')),
    approved_at          timestamptz,
    approved_by          uuid references user_account (id),
    version              bigint not null default 1,
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now(),
    primary key (tenant_id, id),
    foreign key (tenant_id, instrument_id) references instrument (tenant_id, id),
    constraint charge_source_card_key unique nulls not distinct (tenant_id, source_type, source_id, fee_standard_id)
);
create index charge_status_idx on charge (tenant_id, status, service_start);
create index charge_user_idx on charge (tenant_id, user_id, service_start);
create index charge_instrument_idx on charge (tenant_id, instrument_id, service_start);
create index charge_booking_idx on charge (tenant_id, booking_id) where booking_id is not null;
create index charge_source_idx on charge (tenant_id, source_type, source_id);

create table charge_item (
    tenant_id     uuid not null default app_tenant() references tenant (id),
    charge_id     uuid not null,
    seq           integer not null check (seq > 0),
    kind          text not null check (kind in ('rated', 'rerated', 'adjustment', 'waiver')),
    delta_fen     bigint not null,
    quantity      numeric(12, 2),
    reason        text check (length(reason) <= 1000),
    corrects_seq  integer,                                -- the item a correction follows (the previous one)
    actor_id      uuid references user_account (id),      -- null: the platform
    actor         text not null check (length(actor) between 1 and 200),
    at            timestamptz not null default now(),
    primary key (tenant_id, charge_id, seq),
    foreign key (tenant_id, charge_id) references charge (tenant_id, id)
);

create table charge_share (
    tenant_id   uuid not null default app_tenant() references tenant (id),
    charge_id   uuid not null,
    item_seq    integer not null,
    line        integer not null check (line > 0),
    ledger_code text not null,
    amount_fen  bigint not null,
    kind        text not null check (length(kind) between 1 and 32),
    reference   text check (length(reference) <= 200),
    name_zh     text,
    name_en     text,
    primary key (tenant_id, charge_id, item_seq, line),
    foreign key (tenant_id, charge_id) references charge (tenant_id, id)
);

create table charge_dispute (
    tenant_id   uuid not null default app_tenant() references tenant (id),
    id          uuid not null,
    charge_id   uuid not null,
    opened_by   uuid not null references user_account (id),
    opened_at   timestamptz not null default now(),
    reason      text not null check (length(reason) between 1 and 1000),
    status      text not null default 'open' check (status in ('open', 'accepted', 'rejected')),
    resolved_by uuid references user_account (id),
    resolved_at timestamptz,
    note        text check (length(note) <= 1000),
    item_seq    integer,                                  -- the adjustment an accepted dispute made
    primary key (tenant_id, id),
    foreign key (tenant_id, charge_id) references charge (tenant_id, id)
);
create index charge_dispute_charge_idx on charge_dispute (tenant_id, charge_id);
create index charge_dispute_open_idx on charge_dispute (tenant_id, status, opened_at);
-- at most one open dispute per charge
create unique index charge_dispute_one_open on charge_dispute (tenant_id, charge_id) where status = 'open';

-- items and shares are append-only for every role (statement triggers: also a statement touching no row is refused)
create function charge_append_only() returns trigger
    language plpgsql as $$
begin
    raise exception '% is append-only (% refused): correct by a new item', tg_table_name, tg_op using errcode = 'CH001';
end $$;
create trigger charge_item_append_only before update or delete on charge_item
    for each statement execute function charge_append_only();
create trigger charge_item_no_truncate before truncate on charge_item
    for each statement execute function charge_append_only();
create trigger charge_share_append_only before update or delete on charge_share
    for each statement execute function charge_append_only();
create trigger charge_share_no_truncate before truncate on charge_share
    for each statement execute function charge_append_only();

do $$
declare t text;
begin
    foreach t in array array['charge_policy', 'charge', 'charge_item', 'charge_share', 'charge_dispute'] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy tenant_isolation on %I using (tenant_id = app_tenant()) with check (tenant_id = app_tenant())', t);
    end loop;
end $$;

grant select, insert, update on charge_policy, charge, charge_dispute to ${appRole};
grant select, insert on charge_item, charge_share to ${appRole};
