-- V3: the transactional outbox and the consumers' record of processed events (docs/events.md).
--
-- outbox_event: a state change and its event are inserted in the same tenant-bound transaction,
-- so both commit or neither does. The runtime role ${appRole} may only INSERT (for its bound
-- tenant, by the tenant_isolation policy); it cannot read the outbox at all. The relay reads and
-- marks rows across tenants only through the SECURITY DEFINER functions below, which run as the
-- owner; the owner sees the table through two narrow policies (select, and update of
-- published_at), since FORCE ROW LEVEL SECURITY applies to the owner too.
--
-- seq is global and increasing (an identity): the relay publishes in seq order. seq order is not
-- commit order (a transaction may take seq 10 and commit after the one that took 11), which is
-- why rows are marked published by their exact seq, never "everything up to seq N".

create table outbox_event (
    tenant_id         uuid not null references tenant (id),
    seq               bigint generated always as identity,
    event_id          uuid not null,
    type              text not null check (type ~ '^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$'),
    topic             text not null check (topic ~ '^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*\.v[0-9]+$'),
    schema_version    integer not null check (schema_version > 0),
    aggregate_type    text not null check (length(aggregate_type) between 1 and 64),
    aggregate_id      text not null check (length(aggregate_id) between 1 and 200),
    aggregate_version bigint not null check (aggregate_version >= 0),
    occurred_at       timestamptz not null,
    payload           jsonb not null,
    published_at      timestamptz,
    primary key (tenant_id, seq),
    unique (tenant_id, event_id)
);
-- Only unpublished rows are indexed for the relay: the partial index stays as small as the backlog.
create index outbox_event_pending_idx on outbox_event (tenant_id, seq) where published_at is null;
alter table outbox_event enable row level security;
alter table outbox_event force row level security;
create policy tenant_isolation on outbox_event
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
-- For the SECURITY DEFINER relay functions only (they run as the owner, current_user here).
create policy relay_read on outbox_event for select to current_user using (true);
create policy relay_mark on outbox_event for update to current_user using (true) with check (published_at is not null);

grant insert on outbox_event to ${appRole};

-- The next unpublished rows of every tenant, in seq order (at most 1000).
create function outbox_claim(batch_size integer)
    returns table (seq bigint, tenant_id uuid, event_id uuid, type text, topic text, schema_version integer,
                   aggregate_type text, aggregate_id text, aggregate_version bigint, occurred_at timestamptz,
                   payload jsonb)
    language sql stable security definer
    set search_path = pg_catalog, public, pg_temp
as $$
    select o.seq, o.tenant_id, o.event_id, o.type, o.topic, o.schema_version, o.aggregate_type, o.aggregate_id,
           o.aggregate_version, o.occurred_at, o.payload
    from public.outbox_event o
    where o.published_at is null
    order by o.seq
    limit least(greatest(batch_size, 1), 1000)
$$;

-- The topics that still have unpublished rows (the relay's recovery reads their tails in Kafka).
create function outbox_pending_topics()
    returns setof text
    language sql stable security definer
    set search_path = pg_catalog, public, pg_temp
as $$
    select distinct o.topic from public.outbox_event o where o.published_at is null
$$;

-- Marks exactly the given rows published, each named by (seq, event id) so that a seq read back
-- from Kafka can never mark a different event (idempotent); returns how many changed.
create function outbox_mark_published(seqs bigint[], event_ids uuid[])
    returns integer
    language plpgsql security definer
    set search_path = pg_catalog, public, pg_temp
as $$
declare
    changed integer;
begin
    update public.outbox_event o set published_at = now()
    where o.published_at is null
      and (o.seq, o.event_id) in (select s, e from unnest(seqs, event_ids) as u (s, e));
    get diagnostics changed = row_count;
    return changed;
end;
$$;

revoke all on function outbox_claim(integer), outbox_pending_topics(), outbox_mark_published(bigint[], uuid[]) from public;
grant execute on function outbox_claim(integer), outbox_pending_topics(), outbox_mark_published(bigint[], uuid[]) to ${appRole};

-- processed_event: an idempotent consumer records (consumer, event id) in the same tenant-bound
-- transaction as its handler's writes; the primary key makes a second delivery a no-op.
create table processed_event (
    tenant_id    uuid not null references tenant (id),
    consumer     text not null check (consumer ~ '^[a-z][a-z0-9_.-]{1,99}$'),
    event_id     uuid not null,
    processed_at timestamptz not null default now(),
    primary key (tenant_id, consumer, event_id)
);
alter table processed_event enable row level security;
alter table processed_event force row level security;
create policy tenant_isolation on processed_event
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

grant select, insert on processed_event to ${appRole};
