-- V12: booking rules, training and qualification, maintenance windows (docs/booking.md).
-- All tenant-owned: tenant_id leads every key and index; RLS enabled and forced.

-- One row per instrument that has rules of its own; an instrument without a row books under the
-- defaults of BookingRules.defaults() (the same values as the column defaults here).
create table booking_rules (
    tenant_id                    uuid not null references tenant (id),
    instrument_id                uuid not null,
    -- {"monday":[{"from":"08:00","to":"20:00"}], ...} in the tenant's time zone ("24:00" = midnight)
    weekly_hours                 jsonb not null,
    -- [{"from":"2026-10-01","to":"2026-10-07","reason":"National Day"}], local dates, inclusive
    closures                     jsonb not null default '[]',
    min_slot_minutes             integer not null default 30 check (min_slot_minutes between 5 and 10080),
    max_slot_minutes             integer not null default 480 check (max_slot_minutes between 5 and 10080),
    horizon_days                 integer not null default 60 check (horizon_days between 1 and 730),
    min_notice_minutes           integer not null default 60 check (min_notice_minutes between 0 and 43200),
    buffer_minutes               integer not null default 0 check (buffer_minutes between 0 and 240),
    max_future_bookings          integer not null default 10 check (max_future_bookings between 1 and 1000),
    allowed_rate_groups          text[],            -- null: every rate group may book
    approval_policy              text not null default 'outside_users'
                                 check (approval_policy in ('never', 'outside_users', 'always')),
    cancellation_deadline_hours  integer not null default 24 check (cancellation_deadline_hours between 0 and 720),
    no_show_threshold            integer not null default 3 check (no_show_threshold between 1 and 100),
    no_show_block_days           integer not null default 30 check (no_show_block_days between 1 and 365),
    qualification_required       boolean not null default true,
    authorisation_expiry_days    integer not null default 180 check (authorisation_expiry_days between 0 and 3650), -- 0: never
    waitlist_offer_minutes       integer not null default 120 check (waitlist_offer_minutes between 5 and 10080),
    version                      bigint not null default 1,
    updated_at                   timestamptz not null default now(),
    primary key (tenant_id, instrument_id),
    foreign key (tenant_id, instrument_id) references instrument (tenant_id, id) on delete cascade,
    check (min_slot_minutes <= max_slot_minutes)
);

-- A training session a staff member recorded (who was trained on what, when, by whom).
create table training_record (
    tenant_id       uuid not null references tenant (id),
    id              uuid not null,
    instrument_id   uuid not null,
    user_id         uuid not null references user_account (id),
    trained_on      date not null,
    trainer_user_id uuid references user_account (id),
    notes           text check (length(notes) <= 2000),
    created_at      timestamptz not null default now(),
    primary key (tenant_id, id),
    foreign key (tenant_id, instrument_id) references instrument (tenant_id, id) on delete cascade
);
create index training_record_instrument_idx on training_record (tenant_id, instrument_id, user_id);

-- Authorisation to use an instrument unattended. Valid while not revoked and used (or granted)
-- within the instrument's authorisation_expiry_days; check-in and usage records refresh last_used_at.
create table instrument_authorisation (
    tenant_id     uuid not null references tenant (id),
    instrument_id uuid not null,
    user_id       uuid not null references user_account (id),
    granted_at    timestamptz not null,
    granted_by    uuid references user_account (id),
    revoked_at    timestamptz,
    revoked_by    uuid references user_account (id),
    last_used_at  timestamptz,
    note          text check (length(note) <= 2000),
    version       bigint not null default 1,
    primary key (tenant_id, instrument_id, user_id),
    foreign key (tenant_id, instrument_id) references instrument (tenant_id, id) on delete cascade
);

-- Maintenance windows block the calendar. A window may not overlap another one of the instrument.
create table maintenance_window (
    tenant_id     uuid not null references tenant (id),
    id            uuid not null,
    instrument_id uuid not null,
    period        tstzrange not null check (not isempty(period) and lower(period) is not null and upper(period) is not null),
    reason        text check (length(reason) <= 500),
    created_by    uuid references user_account (id),
    created_at    timestamptz not null default now(),
    primary key (tenant_id, id),
    foreign key (tenant_id, instrument_id) references instrument (tenant_id, id) on delete cascade,
    constraint maintenance_window_no_overlap
        exclude using gist (tenant_id with =, instrument_id with =, period with &&)
);

alter table booking_rules enable row level security;
alter table booking_rules force row level security;
create policy tenant_isolation on booking_rules
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
alter table training_record enable row level security;
alter table training_record force row level security;
create policy tenant_isolation on training_record
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
alter table instrument_authorisation enable row level security;
alter table instrument_authorisation force row level security;
create policy tenant_isolation on instrument_authorisation
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
alter table maintenance_window enable row level security;
alter table maintenance_window force row level security;
create policy tenant_isolation on maintenance_window
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

grant select, insert, update, delete on booking_rules, training_record, instrument_authorisation,
    maintenance_window to ${appRole};
