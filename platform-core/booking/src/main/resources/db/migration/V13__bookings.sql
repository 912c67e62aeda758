-- V13: machine-time bookings, the waitlist and its offers, no-show blocks and usage records
-- (docs/booking.md, ADR 0009). Overlap is impossible by construction: two exclusion constraints
-- over the active statuses (requested, approved, checked_in):
--   booking_no_overlap: no two active bookings of one instrument share a moment;
--   booking_buffer:     the buffer after a booking (blocked = [start, end + buffer)) is kept free
--                       from every other user's booking (the same user may book back to back).
-- Both lead with tenant_id: an exclusion constraint sees every tenant's rows.

create table booking (
    tenant_id           uuid not null references tenant (id),
    id                  uuid not null,
    instrument_id       uuid not null,
    series_id           uuid,
    series_index        integer,
    requester_user_id   uuid not null references user_account (id),
    requester_tenant_id uuid not null references tenant (id),
    account_code        text check (length(account_code) between 1 and 64),
    rate_group          text not null check (rate_group ~ '^[a-z][a-z0-9_]{1,31}$'),
    assisted            boolean not null default false,
    purpose             text check (length(purpose) <= 1000),
    status              text not null check (status in ('requested', 'approved', 'rejected', 'cancelled',
                                                         'checked_in', 'no_show')),
    starts_at           timestamptz not null,
    ends_at             timestamptz not null,
    blocked_until       timestamptz not null,
    slot                tstzrange generated always as (tstzrange(starts_at, ends_at, '[)')) stored,
    blocked             tstzrange generated always as (tstzrange(starts_at, blocked_until, '[)')) stored,
    decided_by          uuid references user_account (id),
    decided_at          timestamptz,
    decision_note       text check (length(decision_note) <= 1000),
    cancelled_by        uuid references user_account (id),
    cancelled_at        timestamptz,
    checked_in_at       timestamptz,
    no_show_at          timestamptz,
    waitlist_offer_id   uuid,
    version             bigint not null default 1,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    primary key (tenant_id, id),
    foreign key (tenant_id, instrument_id) references instrument (tenant_id, id),
    check (ends_at > starts_at),
    check (blocked_until >= ends_at),
    constraint booking_no_overlap exclude using gist
        (tenant_id with =, instrument_id with =, slot with &&)
        where (status in ('requested', 'approved', 'checked_in')),
    constraint booking_buffer exclude using gist
        (tenant_id with =, instrument_id with =, requester_user_id with <>, blocked with &&)
        where (status in ('requested', 'approved', 'checked_in'))
);
create index booking_requester_idx on booking (tenant_id, requester_user_id, starts_at);
create index booking_instrument_idx on booking (tenant_id, instrument_id, starts_at);
create index booking_series_idx on booking (tenant_id, series_id) where series_id is not null;

-- Waiting for a slot that is taken; the first in line gets an offer when an overlapping booking is cancelled.
create table booking_waitlist (
    tenant_id       uuid not null references tenant (id),
    id              uuid not null,
    instrument_id   uuid not null,
    user_id         uuid not null references user_account (id),
    user_tenant_id  uuid not null references tenant (id),
    starts_at       timestamptz not null,
    ends_at         timestamptz not null,
    account_code    text check (length(account_code) between 1 and 64),
    purpose         text check (length(purpose) <= 1000),
    assisted        boolean not null default false,
    status          text not null default 'waiting' check (status in ('waiting', 'offered', 'booked', 'withdrawn')),
    version         bigint not null default 1,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    primary key (tenant_id, id),
    foreign key (tenant_id, instrument_id) references instrument (tenant_id, id) on delete cascade,
    check (ends_at > starts_at)
);
create index booking_waitlist_queue_idx on booking_waitlist (tenant_id, instrument_id, status, created_at);
create unique index booking_waitlist_once on booking_waitlist (tenant_id, instrument_id, user_id, starts_at, ends_at)
    where status in ('waiting', 'offered');

-- An offer of a freed slot to one waiting person, open until expires_at.
create table waitlist_offer (
    tenant_id        uuid not null references tenant (id),
    id               uuid not null,
    waitlist_id      uuid not null,
    instrument_id    uuid not null,
    user_id          uuid not null references user_account (id),
    starts_at        timestamptz not null,
    ends_at          timestamptz not null,
    freed_booking_id uuid,
    status           text not null default 'offered' check (status in ('offered', 'accepted', 'declined', 'expired')),
    offered_at       timestamptz not null,
    expires_at       timestamptz not null,
    decided_at       timestamptz,
    booking_id       uuid,
    primary key (tenant_id, id),
    foreign key (tenant_id, waitlist_id) references booking_waitlist (tenant_id, id) on delete cascade,
    check (expires_at > offered_at)
);
create unique index waitlist_offer_open on waitlist_offer (tenant_id, waitlist_id) where status = 'offered';
create index waitlist_offer_user_idx on waitlist_offer (tenant_id, user_id, status);

-- A user blocked from booking an instrument after too many no-shows.
create table booking_block (
    tenant_id     uuid not null references tenant (id),
    id            uuid not null,
    instrument_id uuid not null,
    user_id       uuid not null references user_account (id),
    no_shows      integer not null,
    blocked_from  timestamptz not null,
    blocked_until timestamptz not null,
    primary key (tenant_id, id),
    foreign key (tenant_id, instrument_id) references instrument (tenant_id, id) on delete cascade,
    check (blocked_until > blocked_from)
);
create index booking_block_user_idx on booking_block (tenant_id, instrument_id, user_id, blocked_until);

-- Actual use of an instrument (上机记录): recorded by staff now, by instrument controllers later
-- (source 'device', idempotent on (device_id, sequence)).
create table usage_record (
    tenant_id     uuid not null references tenant (id),
    id            uuid not null,
    instrument_id uuid not null,
    booking_id    uuid,
    user_id       uuid references user_account (id),
    started_at    timestamptz not null,
    ended_at      timestamptz not null,
    source        text not null default 'staff' check (source in ('staff', 'device')),
    device_id     text check (length(device_id) <= 128),
    sequence      bigint,
    notes         text check (length(notes) <= 2000),
    recorded_by   uuid references user_account (id),
    created_at    timestamptz not null default now(),
    primary key (tenant_id, id),
    foreign key (tenant_id, instrument_id) references instrument (tenant_id, id),
    foreign key (tenant_id, booking_id) references booking (tenant_id, id),
    unique (tenant_id, device_id, sequence),
    check (ended_at > started_at),
    check ((source = 'device') = (device_id is not null and sequence is not null))
);
create index usage_record_booking_idx on usage_record (tenant_id, booking_id);
create index usage_record_instrument_idx on usage_record (tenant_id, instrument_id, started_at);

alter table booking enable row level security;
alter table booking force row level security;
create policy tenant_isolation on booking
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
alter table booking_waitlist enable row level security;
alter table booking_waitlist force row level security;
create policy tenant_isolation on booking_waitlist
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
alter table waitlist_offer enable row level security;
alter table waitlist_offer force row level security;
create policy tenant_isolation on waitlist_offer
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
alter table booking_block enable row level security;
alter table booking_block force row level security;
create policy tenant_isolation on booking_block
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
alter table usage_record enable row level security;
alter table usage_record force row level security;
create policy tenant_isolation on usage_record
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

grant select, insert, update on booking, booking_waitlist, waitlist_offer, booking_block, usage_record to ${appRole};
