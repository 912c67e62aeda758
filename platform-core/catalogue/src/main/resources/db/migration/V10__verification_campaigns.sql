-- V10: data freshness. An institution admin starts a verification campaign; it snapshots the
-- tenant's non-archived instruments (optionally one org unit and the units below it) as pending
-- items; instrument admins confirm or correct each record; when the deadline passes, a scheduled
-- sweep closes the campaign and flags every still-pending instrument as stale
-- (instrument.stale_since). Code: platform-core org.labcommons.core.verification.

create table verification_campaign (
    tenant_id    uuid not null references tenant (id),
    id           uuid not null,
    name         text not null check (length(btrim(name)) between 1 and 200),
    deadline     timestamptz not null,
    org_unit_id  uuid,                                   -- the filter it was started with (null: whole tenant)
    started_by   uuid not null references user_account (id),
    state        text not null default 'open' check (state in ('open', 'closed')),
    created_at   timestamptz not null default now(),
    closed_at    timestamptz,
    closed_by    uuid references user_account (id),      -- null when the deadline closed it
    close_reason text check (close_reason in ('deadline', 'manual')),
    primary key (tenant_id, id),
    foreign key (tenant_id, org_unit_id) references org_unit (tenant_id, id),
    check (deadline > created_at),
    check ((state = 'open') = (closed_at is null)),
    check ((state = 'open') = (close_reason is null)),
    check (closed_by is null or close_reason = 'manual')
);
-- the list (newest first) and the sweep (open campaigns by deadline)
create index verification_campaign_created_idx on verification_campaign (tenant_id, created_at desc, id);
create index verification_campaign_open_idx on verification_campaign (tenant_id, deadline) where state = 'open';

create table verification_item (
    tenant_id     uuid not null,
    campaign_id   uuid not null,
    instrument_id uuid not null,
    state         text not null default 'pending' check (state in ('pending', 'confirmed', 'corrected')),
    confirmed_by  uuid references user_account (id),
    confirmed_at  timestamptz,
    primary key (tenant_id, campaign_id, instrument_id),
    foreign key (tenant_id, campaign_id) references verification_campaign (tenant_id, id),
    foreign key (tenant_id, instrument_id) references instrument (tenant_id, id),
    check ((state = 'pending') = (confirmed_at is null)),
    check ((state = 'pending') = (confirmed_by is null))
);
create index verification_item_state_idx on verification_item (tenant_id, campaign_id, state);
create index verification_item_instrument_idx on verification_item (tenant_id, instrument_id);

alter table verification_campaign enable row level security;
alter table verification_campaign force row level security;
create policy tenant_isolation on verification_campaign
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
alter table verification_item enable row level security;
alter table verification_item force row level security;
create policy tenant_isolation on verification_item
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

-- For the SECURITY DEFINER sweep function only (it runs as the owner, current_user here, and FORCE
-- ROW LEVEL SECURITY applies to the owner too): read-only, and the function selects ids alone.
create policy sweep_read on verification_campaign for select to current_user using (true);

-- campaigns and items are never deleted (they are the record of who confirmed what)
grant select, insert, update on verification_campaign, verification_item to ${appRole};

-- The sweep finds due campaigns across tenants before it knows any tenant: this reviewed function
-- (test-kit reviewed-security-definer.txt) returns only the (tenant, campaign) ids of open
-- campaigns whose deadline has passed, oldest deadline first; it takes nothing from the caller but
-- a row limit. The sweep then closes each one in a transaction bound to its tenant.
create function verification_due_campaigns(max_rows integer)
    returns table (tenant_id uuid, campaign_id uuid)
    language sql stable security definer
    set search_path = pg_catalog, public, pg_temp
as $$
    select v.tenant_id, v.id from public.verification_campaign v
    where v.state = 'open' and v.deadline <= now()
    order by v.deadline, v.tenant_id, v.id
    limit greatest(1, least(max_rows, 1000))
$$;

revoke all on function verification_due_campaigns(integer) from public;
grant execute on function verification_due_campaigns(integer) to ${appRole};
