-- V2: the append-only audit log. One row per state change: who (issuer, subject), acting tenant,
-- what (action, target), when, and the request it came from. The runtime role may insert and
-- read its own tenant's rows and nothing else; a trigger refuses UPDATE and DELETE even for the
-- owner, so correcting history means adding an entry, never changing one.

create table audit_event (
    tenant_id        uuid not null references tenant (id),
    id               uuid not null,
    occurred_at      timestamptz not null default now(),
    actor_issuer     text,
    actor_subject    text,
    acting_tenant_id uuid,
    action           text not null check (action ~ '^[a-z][a-z0-9_.]{2,80}$'),
    target_type      text not null,
    target_id        text,
    details          jsonb not null default '{}'::jsonb,
    request_id       text,
    primary key (tenant_id, id)
);
create index audit_event_time_idx on audit_event (tenant_id, occurred_at desc);
create index audit_event_target_idx on audit_event (tenant_id, target_type, target_id);
alter table audit_event enable row level security;
alter table audit_event force row level security;
create policy tenant_isolation on audit_event
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

create function audit_event_immutable() returns trigger
    language plpgsql
    set search_path = pg_catalog, pg_temp
as $$
begin
    raise exception 'audit_event is append-only (% refused)', tg_op using errcode = '42501';
end;
$$;
create trigger audit_event_no_update_or_delete
    before update or delete on audit_event
    for each row execute function audit_event_immutable();
create trigger audit_event_no_truncate
    before truncate on audit_event
    for each statement execute function audit_event_immutable();

grant select, insert on audit_event to ${appRole};
