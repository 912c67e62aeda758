-- V4: identity and access. Which OIDC issuers a tenant trusts (tenant-owned), the global user
-- identities keyed by (issuer, subject) (never by e-mail), and role assignments per scope
-- (tenant-owned). docs/security.md describes the rules these tables serve.

-- Tenant-owned: the identity providers a tenant trusts. The issuer is compared as an exact
-- string (no case folding, no trailing-slash normalising). Only asymmetric algorithms.
create table trusted_issuer (
    tenant_id  uuid not null references tenant (id),
    id         uuid not null,
    issuer     text not null check (issuer ~ '^https?://[^\s]+$' and length(issuer) <= 2000),
    audience   text not null check (length(audience) between 1 and 200),
    algorithms text[] not null default array ['RS256', 'PS256', 'ES256']
               check (cardinality(algorithms) > 0
                      and algorithms <@ array ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512',
                                               'ES256', 'ES384', 'ES512']),
    enabled    boolean not null default true,
    created_at timestamptz not null default now(),
    primary key (tenant_id, id),
    unique (tenant_id, issuer)
);
alter table trusted_issuer enable row level security;
alter table trusted_issuer force row level security;
create policy tenant_isolation on trusted_issuer
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
-- RLS is forced, so the owner too sees nothing without a tenant; this read-only policy lets the
-- owner (and so only the reviewed lookup function below, which runs as the owner) see enabled rows.
create policy issuer_lookup on trusted_issuer for select to current_user using (enabled);

-- Token validation must find an issuer before any tenant is known: the one narrow path. It
-- returns only enabled issuers of active tenants and nothing but what validation needs.
create function trusted_issuer_lookup(issuer_url text)
    returns table (tenant_id uuid, audience text, algorithms text[])
    language sql stable security definer
    set search_path = pg_catalog, public, pg_temp
as $$
    select ti.tenant_id, ti.audience, ti.algorithms
    from public.trusted_issuer ti
    join public.tenant t on t.id = ti.tenant_id
    where ti.issuer = issuer_url and ti.enabled and t.status = 'active'
$$;
revoke all on function trusted_issuer_lookup(text) from public;
grant execute on function trusted_issuer_lookup(text) to ${appRole};

-- Global: one row per person per identity provider. Display name and e-mail are informational.
create table user_account (
    id           uuid primary key,
    issuer       text not null check (length(issuer) between 1 and 2000),
    subject      text not null check (length(subject) between 1 and 255),
    display_name text check (length(display_name) <= 200),
    email        text check (length(email) <= 320),
    created_at   timestamptz not null default now(),
    unique (issuer, subject)
);

-- Tenant-owned: who holds which role where. scope_id is null exactly for the tenant scope.
create table role_assignment (
    tenant_id  uuid not null references tenant (id),
    id         uuid not null,
    user_id    uuid not null references user_account (id),
    role       text not null check (role in ('visitor', 'user', 'instrument_admin', 'platform_admin',
                                             'institution_admin', 'finance', 'network_admin',
                                             'consortium_admin')),
    scope_type text not null check (scope_type in ('tenant', 'org_unit', 'instrument')),
    scope_id   uuid,
    granted_at timestamptz not null default now(),
    granted_by uuid references user_account (id),
    primary key (tenant_id, id),
    constraint role_assignment_scope_id check ((scope_type = 'tenant') = (scope_id is null)),
    constraint role_assignment_unique unique nulls not distinct (tenant_id, user_id, role, scope_type, scope_id)
);
alter table role_assignment enable row level security;
alter table role_assignment force row level security;
create policy tenant_isolation on role_assignment
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

grant select, insert, update, delete on trusted_issuer, role_assignment to ${appRole};
grant select, insert, update on user_account to ${appRole};
