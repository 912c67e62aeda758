-- V48: evaluation schemes as data (docs/reports.md "The yearly benefit evaluation"; platform-core/reports README).
-- A scheme is versioned per code: each version is an evaluation_scheme row with its groups (weight, cap on the
-- subtotal) and items (the figure an item reads, its rule as JSON: per_unit, proportional, utilisation, bands,
-- manual). A version is never edited: a change is a new version (status active; the one it replaces retired).
-- subject_kind: instrument (yearly runs), platform and lab (the other two levels; designed, not yet run).
-- The built-in schemes (tsinghua, national) are copied into a tenant the first time its schemes are read.
-- Code: platform-core/reports org.labcommons.core.reports.evaluation (EvaluationSchemes, SchemeRows).

create table evaluation_scheme (
    tenant_id           uuid not null default app_tenant() references tenant (id),
    id                  uuid not null,
    code                text not null check (code ~ '^[a-z][a-z0-9_]{0,39}$'),
    version             integer not null check (version > 0),
    name_zh             text not null check (length(name_zh) between 1 and 200),
    name_en             text not null check (length(name_en) between 1 and 200),
    subject_kind        text not null check (subject_kind in ('instrument', 'platform', 'lab')),
    min_value_fen       bigint check (min_value_fen >= 0),          -- null: the configured default
    explain_below_hours numeric(10, 1) check (explain_below_hours >= 0),
    status              text not null check (status in ('active', 'retired')),
    note                text check (length(note) <= 1000),
    created_at          timestamptz not null default now(),
    created_by          uuid references user_account (id),           -- null: the built-in copy
    primary key (tenant_id, id),
    unique (tenant_id, code, version)
);
-- one active version per code
create unique index evaluation_scheme_active_key on evaluation_scheme (tenant_id, code) where status = 'active';

create table evaluation_group (
    tenant_id  uuid not null default app_tenant() references tenant (id),
    scheme_id  uuid not null,
    seq        integer not null check (seq > 0),
    code       text not null check (code ~ '^[a-z][a-z0-9_]{0,39}$'),
    name_zh    text not null check (length(name_zh) between 1 and 200),
    name_en    text not null check (length(name_en) between 1 and 200),
    weight     numeric(5, 4) not null check (weight between 0 and 1),
    cap        numeric(10, 1) not null check (cap > 0),
    primary key (tenant_id, scheme_id, seq),
    unique (tenant_id, scheme_id, code),
    foreign key (tenant_id, scheme_id) references evaluation_scheme (tenant_id, id) on delete cascade
);

create table evaluation_item (
    tenant_id  uuid not null default app_tenant() references tenant (id),
    scheme_id  uuid not null,
    group_seq  integer not null,
    seq        integer not null check (seq > 0),
    code       text not null check (code ~ '^[a-z][a-z0-9_]{0,39}$'),
    name_zh    text not null check (length(name_zh) between 1 and 200),
    name_en    text not null check (length(name_en) between 1 and 200),
    input      text not null check (input ~ '^[a-zA-Z][a-zA-Z0-9]{0,39}$'),
    kind       text not null check (kind in ('per_unit', 'proportional', 'utilisation', 'bands', 'manual')),
    rule       jsonb not null check (jsonb_typeof(rule) = 'object'),
    primary key (tenant_id, scheme_id, group_seq, seq),
    unique (tenant_id, scheme_id, code),
    foreign key (tenant_id, scheme_id, group_seq) references evaluation_group (tenant_id, scheme_id, seq) on delete cascade
);

do $$
declare t text;
begin
    foreach t in array array['evaluation_scheme', 'evaluation_group', 'evaluation_item'] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy tenant_isolation on %I using (tenant_id = app_tenant()) with check (tenant_id = app_tenant())', t);
    end loop;
end $$;

-- versions are never edited: only the status moves (active -> retired)
grant select, insert on evaluation_scheme, evaluation_group, evaluation_item to ${appRole};
grant update (status) on evaluation_scheme to ${appRole};
