-- V31: instrument controllers as data (docs/iot-protocol.md, iot-bridge/README.md "Devices").
-- A device belongs to one tenant and is attached to an instrument or to a room (a door). Its MQTT
-- user name and client id are its id (a UUID v7); its secret is kept only as a slow hash
-- (PBKDF2-HMAC-SHA256, DeviceSecrets); its Ed25519 public key (32 raw bytes) verifies its
-- signed events. The bridge writes its status (last seen, boot, sequence, online, counts).
-- No foreign key to the catalogue's instrument here (iot-bridge does not depend on the catalogue);
-- tenant-admin's V32 adds it where both schemas are present.
create table devices (
    tenant_id         uuid not null default app_tenant() references tenant (id),
    id                uuid not null,
    kind              text not null check (kind in ('power_interlock', 'power_meter', 'card_reader', 'pc_agent',
                                                    'door_controller')),
    name              text not null check (length(name) between 1 and 200),
    instrument_id     uuid,
    room              text check (length(room) between 1 and 200),
    firmware          text check (length(firmware) between 1 and 100),
    secret_hash       text not null check (length(secret_hash) between 1 and 500),
    secret_rotated_at timestamptz,
    public_key        bytea check (length(public_key) = 32),
    claim_code_hash   text check (length(claim_code_hash) between 1 and 200),
    claim_expires_at  timestamptz,
    created_at        timestamptz not null default now(),
    created_by        uuid references user_account (id),
    revoked_at        timestamptz,
    revoked_by        uuid references user_account (id),
    last_seen_at      timestamptz,
    last_boot_id      text check (length(last_boot_id) between 1 and 64),
    last_seq          bigint,
    online            boolean not null default false,
    last_event_type   text check (length(last_event_type) between 1 and 64),
    last_event_at     timestamptz,
    received_count    bigint not null default 0 check (received_count >= 0),
    primary key (tenant_id, id),
    unique (tenant_id, name),
    check (instrument_id is not null or room is not null),
    check ((claim_code_hash is null) = (claim_expires_at is null)),
    check (revoked_by is null or revoked_at is not null)
);
create index devices_instrument_idx on devices (tenant_id, instrument_id) where instrument_id is not null;
create index devices_revoked_idx on devices (tenant_id, revoked_at) where revoked_at is not null;

alter table devices enable row level security;
alter table devices force row level security;
create policy tenant_isolation on devices
    using (tenant_id = app_tenant())
    with check (tenant_id = app_tenant());
grant select, insert, update on devices to ${appRole};

-- For the SECURITY DEFINER functions below only (they run as the owner, current_user here, and
-- FORCE ROW LEVEL SECURITY applies to the owner too): read-only. The runtime role never gets it.
create policy device_lookup on devices for select to current_user using (true);

-- The broker (every CONNECT) and the bridge (every message's device) find a device by its id
-- before any tenant is known: the MQTT user name is the device id, and the tenant comes from the
-- credential, never from the topic. Returns the one device's tenant, kind, secret hash, public key
-- and whether it is revoked; nothing about any other device. No index serves `id` alone (every
-- index starts with tenant_id, SchemaGate): the table holds a few thousand rows and DeviceDirectory
-- caches each answer for a few seconds.
create function device_credential(device uuid)
    returns table (device_id uuid, tenant_id uuid, kind text, secret_hash text, public_key bytea, revoked boolean)
    language sql stable security definer
    set search_path = pg_catalog, public, pg_temp
as $$
    select d.id, d.tenant_id, d.kind, d.secret_hash, d.public_key, d.revoked_at is not null
    from public.devices d where d.id = device
$$;
revoke all on function device_credential(uuid) from public;
grant execute on function device_credential(uuid) to ${appRole};

-- The revocation sweep disconnects devices revoked, or whose secret was rotated, at or after
-- `since` (it runs at least once a minute, so `since` is recent and the answer small). Ids only.
create function devices_revoked_since(since timestamptz)
    returns table (device_id uuid)
    language sql stable security definer
    set search_path = pg_catalog, public, pg_temp
as $$
    select d.id from public.devices d
    where d.revoked_at >= since or d.secret_rotated_at >= since
    order by d.id
$$;
revoke all on function devices_revoked_since(timestamptz) from public;
grant execute on function devices_revoked_since(timestamptz) to ${appRole};

-- A controller claims its device on first contact with a claim code, before any tenant is known
-- (POST /api/iot/claim, unauthenticated, rate-limited). The code is stored as its SHA-256 (it is
-- single-use, expires within 24 hours and has 50 random bits); the caller passes that hash. Returns
-- the tenant, device and code expiry of the unrevoked device whose code has this hash (the caller
-- tells an expired code from a wrong one), nothing else.
create function device_claim_lookup(code_hash text)
    returns table (tenant_id uuid, device_id uuid, claim_expires_at timestamptz)
    language sql stable security definer
    set search_path = pg_catalog, public, pg_temp
as $$
    select d.tenant_id, d.id, d.claim_expires_at from public.devices d
    where d.claim_code_hash = code_hash and d.revoked_at is null
$$;
revoke all on function device_claim_lookup(text) from public;
grant execute on function device_claim_lookup(text) to ${appRole};
