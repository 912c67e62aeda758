-- V1: the tenant registry (global by nature) and the first tenant-owned tables.
-- Conventions (docs/schema-changes.md): every tenant-owned table has tenant_id uuid first in its
-- primary key, unique keys and indexes; RLS is ENABLED and FORCED with the tenant_isolation
-- policy; the runtime role ${appRole} gets DML only.

create extension if not exists btree_gist;

grant usage on schema public to ${appRole};

-- Global: one row per tenant. Holds no tenant's business data.
create table tenant (
    id          uuid primary key,
    slug        text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    kind        text not null check (kind in ('consortium', 'network', 'institution')),
    name_zh     text not null check (length(name_zh) between 1 and 200),
    name_en     text not null check (length(name_en) between 1 and 200),
    parent_id   uuid references tenant (id),
    region_code text check (region_code ~ '^[0-9]{6}$'),
    status      text not null default 'active' check (status in ('active', 'suspended')),
    time_zone   text not null default 'Asia/Shanghai',
    created_at  timestamptz not null default now()
);
create index tenant_parent_idx on tenant (parent_id);

-- Tenant-owned: departments/colleges, labs and platforms.
create table org_unit (
    tenant_id       uuid not null references tenant (id),
    id              uuid not null,
    parent_id       uuid,
    kind            text not null check (kind in ('department', 'lab', 'platform')),
    code            text not null check (length(code) between 1 and 64),
    name_zh         text not null,
    name_en         text not null,
    platform_level  smallint check (platform_level between 1 and 3),
    management_mode text check (management_mode in ('central', 'group')),
    created_at      timestamptz not null default now(),
    primary key (tenant_id, id),
    unique (tenant_id, code),
    foreign key (tenant_id, parent_id) references org_unit (tenant_id, id)
);
create index org_unit_parent_idx on org_unit (tenant_id, parent_id);
alter table org_unit enable row level security;
alter table org_unit force row level security;
create policy tenant_isolation on org_unit
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

-- Tenant-owned: the instrument record (first cut; the catalogue issue extends it).
create table instrument (
    tenant_id           uuid not null references tenant (id),
    id                  uuid not null,
    asset_number        text not null check (length(asset_number) between 1 and 64),
    name_zh             text not null,
    name_en             text not null,
    model               text,
    manufacturer        text,
    country_code        text check (country_code ~ '^[A-Z]{2}$'),
    original_value_fen  bigint not null check (original_value_fen >= 0),
    purchase_date       date,
    classification_code text check (classification_code ~ '^[0-9]{6}$'),
    org_unit_id         uuid,
    building            text,
    room                text,
    latitude            numeric(9, 6) check (latitude between -90 and 90),
    longitude           numeric(9, 6) check (longitude between -180 and 180),
    status              text not null default 'in_service'
                        check (status in ('in_service', 'under_repair', 'idle', 'retired')),
    sharing_scope       text not null default 'tenant'
                        check (sharing_scope in ('private', 'tenant', 'network', 'consortium', 'public')),
    version             bigint not null default 1,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    primary key (tenant_id, id),
    unique (tenant_id, asset_number),
    foreign key (tenant_id, org_unit_id) references org_unit (tenant_id, id)
);
create index instrument_org_unit_idx on instrument (tenant_id, org_unit_id);
alter table instrument enable row level security;
alter table instrument force row level security;
create policy tenant_isolation on instrument
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

grant select, insert, update on tenant to ${appRole};
grant select, insert, update, delete on org_unit, instrument to ${appRole};
