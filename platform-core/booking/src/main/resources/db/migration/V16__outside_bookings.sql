-- V16: cross-institution booking, the home side (docs/federation.md, ADR 0010).
-- A user of institution A books an instrument of institution B: the booking lives in B's data
-- (V13 booking, requester_tenant_id = A). A keeps a linked record of it here, written only by the
-- federation consumer of booking.v1 in a transaction bound to A (never to B), so A's user and A's
-- finance see what A's people hold elsewhere. Both tables are A's own (tenant-owned, RLS forced).

-- One row per booking that A's people hold at another institution.
create table outside_booking (
    tenant_id           uuid not null references tenant (id),   -- A: the requester's home tenant
    booking_id          uuid not null,                          -- the booking's id in B's data
    owner_tenant_id     uuid not null references tenant (id),   -- B
    owner_name_zh       text not null check (length(owner_name_zh) between 1 and 200),
    owner_name_en       text not null check (length(owner_name_en) between 1 and 200),
    instrument_id       uuid not null,                          -- B's instrument (no foreign key: B's table)
    instrument_name_zh  text check (length(instrument_name_zh) <= 500),
    instrument_name_en  text check (length(instrument_name_en) <= 500),
    requester_user_id   uuid not null references user_account (id),
    starts_at           timestamptz not null,
    ends_at             timestamptz not null,
    status              text not null check (status in ('requested', 'approved', 'rejected', 'cancelled',
                                                         'checked_in', 'no_show')),   -- mirror of B's status
    home_status         text not null default 'linked' check (home_status in ('linked', 'refused_by_home')),
    refusal_reason      text check (refusal_reason in ('tenant_inactive', 'member_inactive', 'account_closed')),
    rate_group          text not null check (rate_group ~ '^[a-z][a-z0-9_]{1,31}$'),
    account_code        text check (length(account_code) between 1 and 64),
    price_per_hour_fen  bigint check (price_per_hour_fen >= 0),  -- B's published machine-time price for rate_group
    estimated_cost_fen  bigint check (estimated_cost_fen >= 0),  -- price per hour × duration, half-up to whole fen
    aggregate_version   bigint not null,                        -- the last applied booking.v1 version
    last_event_id       uuid not null,
    last_event_at       timestamptz not null,                   -- occurredAt of that event (B's commit time)
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    primary key (tenant_id, booking_id),
    check (ends_at > starts_at),
    check ((home_status = 'refused_by_home') = (refusal_reason is not null)),
    check (owner_tenant_id <> tenant_id)
);
create index outside_booking_requester_idx on outside_booking (tenant_id, requester_user_id, starts_at);
create index outside_booking_period_idx on outside_booking (tenant_id, starts_at);
create index outside_booking_account_idx on outside_booking (tenant_id, account_code, starts_at);

alter table outside_booking enable row level security;
alter table outside_booking force row level security;
create policy tenant_isolation on outside_booking
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

-- A's finance closes a project/grant account code: new or changed outside bookings charged to it are
-- refused by A (the saga cancels them in B). There is no account register yet; this is only the list
-- of closed codes.
create table finance_account_block (
    tenant_id    uuid not null references tenant (id),
    account_code text not null check (length(account_code) between 1 and 64),
    reason       text check (length(reason) <= 500),
    blocked_by   uuid references user_account (id),
    blocked_at   timestamptz not null default now(),
    primary key (tenant_id, account_code)
);
alter table finance_account_block enable row level security;
alter table finance_account_block force row level security;
create policy tenant_isolation on finance_account_block
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

grant select, insert, update, delete on outside_booking, finance_account_block to ${appRole};
