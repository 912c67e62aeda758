-- V33: usage from the lab (docs/usage.md, platform-core/usage/README.md).
-- What controllers report (device_reading), the usage sessions derived from it and from bookings and staff
-- records (usage_session, corrected beside the measured values in usage_session_correction), the people's
-- cards and login names (person_credential), each instrument's thresholds and interlock policy
-- (usage_policy; a null column means the default of labcommons.usage.*), staff overrides of an interlock
-- (interlock_override) and the bridge's access decisions (access_decision).
-- device_reading is one table with a BRIN index on the device's time, not partitioned: month partitions
-- (ARCHITECTURE.md) are the step for larger volumes; readings carry no foreign key to devices (iot-bridge
-- owns that table; usage does not depend on it).

create table usage_policy (
    tenant_id       uuid not null default app_tenant() references tenant (id),
    instrument_id   uuid not null,
    on_watts        numeric(10, 2) check (on_watts > 0),
    on_sustain_s    integer check (on_sustain_s between 0 and 3600),
    off_after_s     integer check (off_after_s between 0 and 86400),
    merge_gap_s     integer check (merge_gap_s between 0 and 86400),
    min_session_s   integer check (min_session_s between 0 and 86400),
    walk_up         boolean,
    fail_mode       text check (fail_mode in ('closed', 'open')),
    early_grace_min integer check (early_grace_min between 0 and 1440),
    end_grace_min   integer check (end_grace_min between 0 and 1440),
    warn_before_min integer check (warn_before_min between 0 and 1440),
    version         bigint not null default 1,
    updated_at      timestamptz not null default now(),
    updated_by      uuid references user_account (id),
    primary key (tenant_id, instrument_id),
    foreign key (tenant_id, instrument_id) references instrument (tenant_id, id) on delete cascade
);

create table person_credential (
    tenant_id   uuid not null default app_tenant() references tenant (id),
    kind        text not null check (kind in ('card', 'login')),
    value       text not null check (length(value) between 1 and 256),
    user_id     uuid not null references user_account (id),
    label       text check (length(label) <= 200),
    source      text not null check (source in ('import', 'staff', 'self')),
    valid_until timestamptz,
    created_at  timestamptz not null default now(),
    created_by  uuid references user_account (id),
    primary key (tenant_id, kind, value)
);
create index person_credential_user_idx on person_credential (tenant_id, user_id);

create table device_reading (
    tenant_id     uuid not null references tenant (id),
    device_id     uuid not null,
    event_id      uuid not null,
    instrument_id uuid,
    boot_id       uuid not null,
    seq           bigint not null check (seq > 0),
    channel       text not null check (channel in ('telemetry', 'event', 'state', 'auth/req', 'cmd/res')),
    type          text not null check (length(type) between 1 and 64),
    device_time   timestamptz not null,
    at            timestamptz not null,
    received_at   timestamptz not null,
    historical    boolean not null default false,
    watts         numeric(12, 3) check (watts >= 0),
    body          jsonb not null,
    sig           text check (length(sig) <= 100),
    primary key (tenant_id, device_id, event_id)
);
create index device_reading_instrument_at_idx on device_reading (tenant_id, instrument_id, at);
create index device_reading_device_seq_idx on device_reading (tenant_id, device_id, boot_id, seq);
create index device_reading_at_brin on device_reading using brin (tenant_id, at);

create table usage_session (
    tenant_id        uuid not null default app_tenant() references tenant (id),
    id               uuid not null,
    instrument_id    uuid not null,
    source           text not null check (source in ('device', 'booking', 'staff')),
    status           text not null default 'open' check (status in ('open', 'closed', 'superseded')),
    started_at       timestamptz not null,
    ended_at         timestamptz,
    user_id          uuid references user_account (id),
    identified_by    text check (identified_by in ('pc', 'card', 'booking', 'staff')),
    booking_id       uuid,
    link             text not null default 'unbooked' check (link in ('booked', 'unbooked', 'unattributed')),
    early_minutes    integer not null default 0 check (early_minutes >= 0),
    overtime_minutes integer not null default 0 check (overtime_minutes >= 0),
    grade            text not null check (grade in ('A', 'B', 'C')),
    energy_wh        numeric(14, 3) check (energy_wh >= 0),
    peak_watts       numeric(12, 3) check (peak_watts >= 0),
    evidence         jsonb not null default '[]'::jsonb,
    superseded_by    uuid,
    version          bigint not null default 1,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    primary key (tenant_id, id),
    foreign key (tenant_id, instrument_id) references instrument (tenant_id, id) on delete cascade,
    check (ended_at is null or ended_at >= started_at),
    check ((status = 'open') = (ended_at is null) or status = 'superseded')
);
create index usage_session_instrument_idx on usage_session (tenant_id, instrument_id, started_at);
create index usage_session_user_idx on usage_session (tenant_id, user_id, started_at) where user_id is not null;
create index usage_session_booking_idx on usage_session (tenant_id, booking_id) where booking_id is not null;
create index usage_session_unattributed_idx on usage_session (tenant_id, started_at)
    where link = 'unattributed' and status <> 'superseded';

create table usage_session_correction (
    tenant_id    uuid not null default app_tenant() references tenant (id),
    id           uuid not null,
    session_id   uuid not null,
    started_at   timestamptz not null,
    ended_at     timestamptz not null,
    user_id      uuid references user_account (id),
    booking_id   uuid,
    reason       text not null check (length(reason) between 1 and 1000),
    corrected_by uuid not null references user_account (id),
    corrected_at timestamptz not null default now(),
    primary key (tenant_id, id),
    foreign key (tenant_id, session_id) references usage_session (tenant_id, id),
    check (ended_at >= started_at)
);
create index usage_session_correction_session_idx on usage_session_correction (tenant_id, session_id, corrected_at);

create table interlock_override (
    tenant_id     uuid not null default app_tenant() references tenant (id),
    id            uuid not null,
    instrument_id uuid not null,
    action        text not null check (action in ('unlock', 'lock', 'extend')),
    until         timestamptz,
    reason        text not null check (length(reason) between 1 and 1000),
    created_by    uuid not null references user_account (id),
    created_at    timestamptz not null default now(),
    revoked_at    timestamptz,
    primary key (tenant_id, id),
    foreign key (tenant_id, instrument_id) references instrument (tenant_id, id) on delete cascade
);
create index interlock_override_instrument_idx on interlock_override (tenant_id, instrument_id, created_at);

create table access_decision (
    tenant_id     uuid not null references tenant (id),
    request_id    uuid not null,
    device_id     uuid not null,
    instrument_id uuid,
    method        text not null check (method in ('card', 'pc', 'pin')),
    purpose       text not null check (purpose in ('use', 'door')),
    user_id       uuid references user_account (id),
    decision      text not null check (decision in ('allow', 'deny')),
    reason        text check (reason ~ '^[a-z][a-z0-9_]{0,63}$'),
    booking_id    uuid,
    session_id    uuid,
    decided_at    timestamptz not null,
    view_version  bigint,
    primary key (tenant_id, request_id)
);
create index access_decision_instrument_idx on access_decision (tenant_id, instrument_id, decided_at);

do $$
declare t text;
begin
    foreach t in array array['usage_policy', 'person_credential', 'device_reading', 'usage_session',
                             'usage_session_correction', 'interlock_override', 'access_decision'] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy tenant_isolation on %I using (tenant_id = app_tenant()) with check (tenant_id = app_tenant())', t);
    end loop;
end $$;

grant select, insert, update, delete on usage_policy, person_credential to ${appRole};
grant select, insert on device_reading, usage_session_correction, access_decision to ${appRole};
grant select, insert, update on usage_session, interlock_override to ${appRole};
