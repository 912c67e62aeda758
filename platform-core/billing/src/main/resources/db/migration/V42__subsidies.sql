-- V42: subsidies and vouchers (docs/billing.md "Subsidies and vouchers", platform-core/billing/README.md).
-- Code: platform-core/billing org.labcommons.core.billing.subsidies.
--
-- Open-testing fund (开放测试基金), per institution: fund periods (a date range in the tenant's zone) with a budget
-- in fen and a share in basis points per user category (default_bp for the others), optionally limited to
-- instruments and org units. consumed_fen is the sum of the period's consumption rows (kept under the period's row
-- lock, so concurrent charges never overspend: consumed_fen <= budget_fen holds in the database too).
--
-- Innovation vouchers (科技创新券), in the consortium tenant (the bureau): enterprises by unified social credit code,
-- issuance batches (the caps: per claim and per enterprise and calendar year), vouchers (face value, validity) and
-- claims (one per provider, charge and charge version; a negative claim returns an earlier one).

create table subsidy_fund (
    tenant_id       uuid not null default app_tenant() references tenant (id),
    id              uuid not null,
    name_zh         text not null check (length(name_zh) between 1 and 200),
    name_en         text not null check (length(name_en) between 1 and 200),
    starts_on       date not null,
    ends_on         date not null,
    budget_fen      bigint not null check (budget_fen between 0 and 10000000000000),
    consumed_fen    bigint not null default 0,
    default_bp      integer not null default 0 check (default_bp between 0 and 10000),
    instrument_ids  uuid[],                 -- null: every instrument
    org_unit_ids    uuid[],                 -- null: every unit
    active          boolean not null default true,
    created_at      timestamptz not null default now(),
    created_by      uuid references user_account (id),
    updated_at      timestamptz not null default now(),
    primary key (tenant_id, id),
    check (ends_on >= starts_on),
    check (consumed_fen between 0 and budget_fen)
);
create index subsidy_fund_period_idx on subsidy_fund (tenant_id, starts_on, ends_on);

create table subsidy_fund_share (
    tenant_id     uuid not null default app_tenant() references tenant (id),
    fund_id       uuid not null,
    user_category text not null check (user_category ~ '^[a-z][a-z0-9_]{0,31}$'),
    share_bp      integer not null check (share_bp between 0 and 10000),
    primary key (tenant_id, fund_id, user_category),
    foreign key (tenant_id, fund_id) references subsidy_fund (tenant_id, id) on delete cascade
);

create table subsidy_consumption (
    tenant_id      uuid not null default app_tenant() references tenant (id),
    id             uuid not null,
    fund_id        uuid not null,
    charge_id      uuid not null,
    charge_version bigint not null,
    user_category  text,
    share_bp       integer not null check (share_bp between 0 and 10000),
    base_fen       bigint not null,          -- the part of the posting the share was computed on (negative: a return)
    amount_fen     bigint not null,          -- the fund's share (0 once spent; negative: returned to the budget)
    created_at     timestamptz not null default now(),
    primary key (tenant_id, id),
    unique (tenant_id, charge_id, charge_version),
    foreign key (tenant_id, fund_id) references subsidy_fund (tenant_id, id)
);
create index subsidy_consumption_fund_idx on subsidy_consumption (tenant_id, fund_id, created_at);

create table voucher_enterprise (
    tenant_id  uuid not null default app_tenant() references tenant (id),
    id         uuid not null,
    name       text not null check (length(name) between 1 and 200),
    tax_id     char(18) not null check (tax_id ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
    contact    text check (length(contact) <= 200),
    created_at timestamptz not null default now(),
    created_by uuid references user_account (id),
    primary key (tenant_id, id),
    unique (tenant_id, tax_id)
);

create table voucher_batch (
    tenant_id          uuid not null default app_tenant() references tenant (id),
    id                 uuid not null,
    name               text not null check (length(name) between 1 and 200),
    per_claim_cap_fen  bigint not null check (per_claim_cap_fen between 1 and 10000000000),
    per_year_cap_fen   bigint not null check (per_year_cap_fen between 1 and 10000000000),
    created_at         timestamptz not null default now(),
    created_by         uuid references user_account (id),
    primary key (tenant_id, id)
);

create table voucher (
    tenant_id      uuid not null default app_tenant() references tenant (id),
    id             uuid not null,
    number         text not null check (number ~ '^[A-Z0-9-]{6,40}$'),
    batch_id       uuid not null,
    enterprise_id  uuid not null,
    face_value_fen bigint not null check (face_value_fen between 1 and 10000000000),
    claimed_fen    bigint not null default 0,
    valid_from     date not null,
    valid_to       date not null,
    status         text not null default 'active' check (status in ('active', 'revoked')),
    issued_at      timestamptz not null default now(),
    issued_by      uuid references user_account (id),
    primary key (tenant_id, id),
    unique (tenant_id, number),
    check (valid_to >= valid_from),
    check (claimed_fen between 0 and face_value_fen),
    foreign key (tenant_id, batch_id) references voucher_batch (tenant_id, id),
    foreign key (tenant_id, enterprise_id) references voucher_enterprise (tenant_id, id)
);
create index voucher_enterprise_idx on voucher (tenant_id, enterprise_id, valid_to);

-- what an enterprise claimed in a calendar year (the consortium's zone) under one batch's caps: the row is the lock
create table voucher_year_use (
    tenant_id     uuid not null default app_tenant() references tenant (id),
    enterprise_id uuid not null,
    batch_id      uuid not null,
    year          integer not null check (year between 2000 and 2999),
    claimed_fen   bigint not null default 0 check (claimed_fen >= 0),
    primary key (tenant_id, enterprise_id, batch_id, year),
    foreign key (tenant_id, enterprise_id) references voucher_enterprise (tenant_id, id),
    foreign key (tenant_id, batch_id) references voucher_batch (tenant_id, id)
);

create table voucher_claim (
    tenant_id          uuid not null default app_tenant() references tenant (id),
    id                 uuid not null,
    voucher_id         uuid not null,
    enterprise_id      uuid not null,
    provider_tenant_id uuid not null references tenant (id),
    charge_id          uuid not null,
    charge_version     bigint not null,
    instrument_id      uuid not null,
    service_day        date not null,
    year               integer not null,
    base_fen           bigint not null,      -- what was left of the posting when the voucher was asked (negative: a return)
    amount_fen         bigint not null,      -- the voucher's part (0: a cap or the balance left nothing; negative: returned)
    ledger_transaction_id uuid,              -- the bureau's posting (none for 0)
    created_at         timestamptz not null default now(),
    primary key (tenant_id, id),
    unique (tenant_id, provider_tenant_id, charge_id, charge_version),
    foreign key (tenant_id, voucher_id) references voucher (tenant_id, id),
    foreign key (tenant_id, enterprise_id) references voucher_enterprise (tenant_id, id)
);
create index voucher_claim_voucher_idx on voucher_claim (tenant_id, voucher_id, created_at);
create index voucher_claim_charge_idx on voucher_claim (tenant_id, provider_tenant_id, charge_id);

do $$
declare t text;
begin
    foreach t in array array['subsidy_fund', 'subsidy_fund_share', 'subsidy_consumption', 'voucher_enterprise',
                             'voucher_batch', 'voucher', 'voucher_year_use', 'voucher_claim'] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy tenant_isolation on %I using (tenant_id = app_tenant()) with check (tenant_id = app_tenant())', t);
    end loop;
end $$;

grant select, insert, update on subsidy_fund to ${appRole};
grant select, insert, delete on subsidy_fund_share to ${appRole};
grant select, insert on subsidy_consumption to ${appRole};
grant select, insert on voucher_enterprise to ${appRole};
grant select, insert on voucher_batch to ${appRole};
grant select, insert, update on voucher to ${appRole};
grant select, insert, update on voucher_year_use to ${appRole};
grant select, insert on voucher_claim to ${appRole};
-- a claim is never changed; only the bureau's posting is noted on it once it is made (same transaction)
grant update (ledger_transaction_id) on voucher_claim to ${appRole};
