-- V43: between institutions and disbursement (docs/billing.md "Between institutions", platform-core/billing/README.md).
-- interinst_payable: at a home institution, one row per cross-institution charge item its people incurred at another
--   institution (the provider) and the home posted (debit the user's payer account, credit 2202.tenant.<provider>):
--   "what we owe to whom and why". One per (provider, charge, seq): the federation consumer's idempotency.
-- netting_run / netting_pair: in the consortium tenant, a monthly netting of what its institutions owe each other
--   (each pair's receivables and payables read from both ledgers through the month's end), the proposed settlement,
--   both finance offices' confirmations and the clearing transactions posted in both ledgers.
-- disbursement_share / disbursement_run / disbursement_line: per institution, the split of a lab's collected revenue
--   between lab, department and institution in basis points (tenant default: unit_id null; per-unit overrides),
--   a run per quarter and what it posted per lab.
-- Code: platform-core/billing org.labcommons.core.billing.interinst; federation's ChargePostedConsumer.

create table interinst_payable (
    tenant_id          uuid not null default app_tenant() references tenant (id),
    provider_tenant_id uuid not null references tenant (id),
    charge_id          uuid not null,
    seq                bigint not null,
    user_id            uuid not null,
    instrument_id      uuid not null,
    charge_kind        text not null check (length(charge_kind) between 1 and 32),
    service_start      timestamptz not null,
    amount_fen         bigint not null check (amount_fen <> 0),
    payer_ledger_code  text not null check (length(payer_ledger_code) <= 200),
    provider_period    char(7),
    transaction_id     uuid not null,
    event_id           uuid not null,
    created_at         timestamptz not null default now(),
    primary key (tenant_id, provider_tenant_id, charge_id, seq)
);
create index interinst_payable_created_idx on interinst_payable (tenant_id, created_at desc);

create table netting_run (
    tenant_id  uuid not null default app_tenant() references tenant (id),
    id         uuid not null,
    period     char(7) not null check (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    status     text not null default 'open' check (status in ('open', 'settled')),
    started_by uuid references user_account (id),
    started_at timestamptz not null default now(),
    settled_at timestamptz,
    primary key (tenant_id, id),
    unique (tenant_id, period)
);
-- at most one run of a consortium is open at a time (a later month nets only after the earlier one settled)
create unique index netting_run_open_key on netting_run (tenant_id) where status = 'open';

create table netting_pair (
    tenant_id              uuid not null default app_tenant() references tenant (id),
    run_id                 uuid not null,
    pair_key               text not null check (pair_key ~ '^[0-9a-f-]{36}_[0-9a-f-]{36}$'),
    tenant_a               uuid not null references tenant (id),   -- tenant_a < tenant_b (as text)
    tenant_b               uuid not null references tenant (id),
    a_receivable_fen       bigint not null,   -- A's 1122.tenant.<B> through the month's end
    a_payable_fen          bigint not null,   -- A's 2202.tenant.<B>, as a positive amount owed
    b_receivable_fen       bigint not null,
    b_payable_fen          bigint not null,
    agreed                 boolean not null,  -- a_receivable = b_payable and b_receivable = a_payable
    payer_tenant_id        uuid references tenant (id),            -- null: nothing to pay (the two sides cancel)
    net_fen                bigint not null check (net_fen >= 0),
    status                 text not null check (status in ('proposed', 'disputed', 'confirmed', 'settled')),
    a_confirmed_by         uuid references user_account (id),
    a_confirmed_at         timestamptz,
    b_confirmed_by         uuid references user_account (id),
    b_confirmed_at         timestamptz,
    a_transaction_id       uuid,
    b_transaction_id       uuid,
    settled_at             timestamptz,
    primary key (tenant_id, run_id, pair_key),
    foreign key (tenant_id, run_id) references netting_run (tenant_id, id),
    check (tenant_a::text < tenant_b::text),
    check (status <> 'disputed' or not agreed)
);
create index netting_pair_a_idx on netting_pair (tenant_id, tenant_a);
create index netting_pair_b_idx on netting_pair (tenant_id, tenant_b);

create table disbursement_share (
    tenant_id      uuid not null default app_tenant() references tenant (id),
    id             uuid not null,
    unit_id        uuid,                         -- null: the institution's default
    lab_bp         integer not null check (lab_bp between 0 and 10000),
    department_bp  integer not null check (department_bp between 0 and 10000),
    institution_bp integer not null check (institution_bp between 0 and 10000),
    updated_by     uuid references user_account (id),
    updated_at     timestamptz not null default now(),
    primary key (tenant_id, id),
    check (lab_bp + department_bp + institution_bp = 10000),
    foreign key (tenant_id, unit_id) references org_unit (tenant_id, id) on delete cascade
);
create unique index disbursement_share_unit_key on disbursement_share (tenant_id,
    coalesce(unit_id, '00000000-0000-0000-0000-000000000000'::uuid));

create table disbursement_run (
    tenant_id   uuid not null default app_tenant() references tenant (id),
    id          uuid not null,
    quarter     char(7) not null check (quarter ~ '^[0-9]{4}-Q[1-4]$'),
    total_fen   bigint not null,
    labs        integer not null,
    started_by  uuid references user_account (id),
    created_at  timestamptz not null default now(),
    primary key (tenant_id, id),
    unique (tenant_id, quarter)
);

create table disbursement_line (
    tenant_id      uuid not null default app_tenant() references tenant (id),
    run_id         uuid not null,
    unit_id        uuid not null,
    department_id  uuid,                       -- null: no department above the lab (its share goes to the institution)
    revenue_fen    bigint not null check (revenue_fen > 0),
    lab_bp         integer not null,
    department_bp  integer not null,
    institution_bp integer not null,
    lab_fen        bigint not null check (lab_fen >= 0),
    department_fen bigint not null check (department_fen >= 0),
    institution_fen bigint not null check (institution_fen >= 0),
    transaction_id uuid not null,
    primary key (tenant_id, run_id, unit_id),
    foreign key (tenant_id, run_id) references disbursement_run (tenant_id, id),
    check (lab_fen + department_fen + institution_fen = revenue_fen)
);

do $$
declare t text;
begin
    foreach t in array array['interinst_payable', 'netting_run', 'netting_pair', 'disbursement_share', 'disbursement_run',
                             'disbursement_line'] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy tenant_isolation on %I using (tenant_id = app_tenant()) with check (tenant_id = app_tenant())', t);
    end loop;
end $$;

grant select, insert on interinst_payable to ${appRole};
grant select, insert, update on netting_run to ${appRole};
grant select, insert, update on netting_pair to ${appRole};
grant select, insert, update on disbursement_share to ${appRole};
grant select, insert on disbursement_run to ${appRole};
grant select, insert on disbursement_line to ${appRole};
