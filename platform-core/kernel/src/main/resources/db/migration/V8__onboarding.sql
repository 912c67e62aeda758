-- V8: tenant onboarding (tenant-admin module, tenant-admin/README.md).
--
-- A network (or the consortium) reviews applications of institutions; approval provisions a new
-- tenant in steps that are each idempotent, behind a tenant status 'provisioning' that nothing
-- outside onboarding treats as a tenant (it is not listed, its issuer is not trusted, nobody can
-- act in it), so a failure midway is retried safely and nothing half-done is visible.

-- Global registry: a provisioning state, suspension details and a version for lifecycle events.
alter table tenant drop constraint tenant_status_check;
alter table tenant add constraint tenant_status_check check (status in ('provisioning', 'active', 'suspended'));
alter table tenant
    add column version           bigint not null default 1,
    add column status_changed_at timestamptz,
    add column status_reason     text check (length(status_reason) <= 1000);

-- Identity-provider registration: the web client's id at the tenant's provider and which claims
-- carry the display name and the e-mail address; the outcome of the last connection test.
alter table trusted_issuer
    add column client_id         text check (length(client_id) between 1 and 200),
    add column name_claim        text not null default 'name' check (name_claim ~ '^[A-Za-z0-9_.:-]{1,100}$'),
    add column email_claim       text not null default 'email' check (email_claim ~ '^[A-Za-z0-9_.:-]{1,100}$'),
    add column last_checked_at   timestamptz,
    add column last_check_result text check (length(last_check_result) <= 64);

-- Token validation and sign-in must find an issuer before any tenant is known. Replaced to serve
-- both: issuers of active AND suspended tenants are returned with the tenant's status, so a
-- valid token of a suspended tenant's user is told 403 tenant_suspended (after its signature has
-- been verified) instead of looking like a forged one; provisioning tenants stay invisible. It
-- also returns the login registration (client id, claim names): no secrets.
drop function trusted_issuer_lookup(text);
create function trusted_issuer_lookup(issuer_url text)
    returns table (tenant_id uuid, audience text, algorithms text[], tenant_status text, client_id text,
                   name_claim text, email_claim text)
    language sql stable security definer
    set search_path = pg_catalog, public, pg_temp
as $$
    select ti.tenant_id, ti.audience, ti.algorithms, t.status, ti.client_id, ti.name_claim, ti.email_claim
    from public.trusted_issuer ti
    join public.tenant t on t.id = ti.tenant_id
    where ti.issuer = issuer_url and ti.enabled and t.status in ('active', 'suspended')
$$;
revoke all on function trusted_issuer_lookup(text) from public;
grant execute on function trusted_issuer_lookup(text) to ${appRole};

-- Tenant-owned by the REVIEWING network (or consortium): an institution's application, from the
-- public form, from an invitation the network sent, or from a bulk upload.
-- States: invited -> submitted -> provisioning -> approved, and submitted -> rejected.
create table onboarding_application (
    tenant_id             uuid not null references tenant (id),
    id                    uuid not null,
    source                text not null check (source in ('form', 'invitation', 'bulk')),
    status                text not null check (status in ('invited', 'submitted', 'provisioning', 'approved', 'rejected')),
    slug                  text check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name_zh               text not null check (length(name_zh) between 1 and 200),
    name_en               text not null check (length(name_en) between 1 and 200),
    region_code           text check (region_code ~ '^[0-9]{6}$'),
    time_zone             text check (length(time_zone) <= 64),
    contact_name          text check (length(contact_name) <= 100),
    contact_email         text not null check (length(contact_email) <= 320),
    language              text not null default 'zh-CN' check (language in ('zh-CN', 'en')),
    issuer_url            text check (issuer_url ~ '^https?://[^\s]+$' and length(issuer_url) <= 2000),
    client_id             text check (length(client_id) between 1 and 200),
    name_claim            text check (name_claim ~ '^[A-Za-z0-9_.:-]{1,100}$'),
    email_claim           text check (email_claim ~ '^[A-Za-z0-9_.:-]{1,100}$'),
    admin_emails          text[] not null default array []::text[] check (cardinality(admin_emails) <= 5),
    -- an invitation's link (only its SHA-256) until the institution completes the form
    invitation_token_hash text,
    invitation_expires_at timestamptz,
    reject_reason         text check (length(reject_reason) between 1 and 1000),
    reviewed_at           timestamptz,
    reviewer_issuer       text,
    reviewer_subject      text,
    provisioned_tenant_id uuid references tenant (id),
    submitted_at          timestamptz,
    created_at            timestamptz not null default now(),
    updated_at            timestamptz not null default now(),
    version               bigint not null default 1,
    primary key (tenant_id, id),
    constraint onboarding_application_rejected_reason check ((status = 'rejected') = (reject_reason is not null)),
    constraint onboarding_application_complete check (status = 'invited' or (slug is not null
        and region_code is not null and issuer_url is not null and client_id is not null
        and cardinality(admin_emails) >= 1))
);
-- one open application per slug in a network (the tenant registry keeps slugs unique globally)
create unique index onboarding_application_open_slug on onboarding_application (tenant_id, slug)
    where status in ('invited', 'submitted', 'provisioning');
create unique index onboarding_application_invitation on onboarding_application (tenant_id, invitation_token_hash)
    where invitation_token_hash is not null;
create index onboarding_application_queue_idx on onboarding_application (tenant_id, status, created_at desc);
alter table onboarding_application enable row level security;
alter table onboarding_application force row level security;
create policy tenant_isolation on onboarding_application
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

-- Tenant-owned by the NEW tenant: invitations of its first institution admins. Single use
-- (accepted_at), expiring (expires_at); only the SHA-256 of the link's token is stored, and
-- sending a mail again replaces it (the older link stops working).
create table admin_invitation (
    tenant_id        uuid not null references tenant (id),
    id               uuid not null,
    email            text not null check (length(email) between 3 and 320),
    role             text not null default 'institution_admin' check (role in ('institution_admin')),
    language         text not null default 'zh-CN' check (language in ('zh-CN', 'en')),
    token_hash       text,
    expires_at       timestamptz,
    sent_at          timestamptz,
    send_error       text check (length(send_error) <= 500),
    accepted_at      timestamptz,
    accepted_user_id uuid references user_account (id),
    application_id   uuid,
    created_at       timestamptz not null default now(),
    primary key (tenant_id, id)
);
create unique index admin_invitation_token on admin_invitation (tenant_id, token_hash) where token_hash is not null;
create index admin_invitation_email_idx on admin_invitation (tenant_id, lower(email));
alter table admin_invitation enable row level security;
alter table admin_invitation force row level security;
create policy tenant_isolation on admin_invitation
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

-- Tenant-owned: rate groups a tenant's fees are set for (internal, consortium, external by
-- default; the booking and billing features use them).
create table rate_group (
    tenant_id  uuid not null references tenant (id),
    id         uuid not null,
    code       text not null check (code ~ '^[a-z][a-z0-9_]{1,31}$'),
    name_zh    text not null check (length(name_zh) between 1 and 100),
    name_en    text not null check (length(name_en) between 1 and 100),
    created_at timestamptz not null default now(),
    primary key (tenant_id, id),
    unique (tenant_id, code)
);
alter table rate_group enable row level security;
alter table rate_group force row level security;
create policy tenant_isolation on rate_group
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

grant select, insert, update on onboarding_application, admin_invitation to ${appRole};
grant select, insert, update, delete on rate_group to ${appRole};
