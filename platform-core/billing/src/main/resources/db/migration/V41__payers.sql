-- V41: payers, deposits and arrears (docs/billing.md "Payers", platform-core/billing/README.md "Payers").
-- payer_account: who pays a charge, found by the account code a booking or sample request carries: a research
--   project or department account (internal) or an external customer (post-paid single settlement, or prepaid
--   deposit). Its ledger account is 1122.payer.<id> (post-paid) or 2203.deposit.<id> (prepaid).
-- payer_member: who may charge an account; a request is approved (or revoked) by the account's PI (finance when the
--   account has none). The PI charges their own account without a membership row.
-- deposit_hold: what a booking or sample request holds against a prepaid deposit or a budget until its charge posts
--   (captured) or it is cancelled, rejected or withdrawn (released).
-- payer_policy: the arrears policy of a tenant (no row: labcommons.billing.payers.overdue-days, default 90).
-- Code: platform-core/billing org.labcommons.core.billing.payers (PayerRows).

create table payer_account (
    tenant_id     uuid not null default app_tenant() references tenant (id),
    id            uuid not null,
    kind          text not null check (kind in ('project', 'department', 'customer')),
    code          text not null check (code ~ '^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$'),
    name_zh       text not null check (length(name_zh) between 1 and 200),
    name_en       text not null check (length(name_en) between 1 and 200),
    grant_code    text check (length(grant_code) between 1 and 64),
    finance_code  text check (length(finance_code) between 1 and 64),
    pi_user_id    uuid references user_account (id),
    org_unit_id   uuid,
    budget_fen    bigint check (budget_fen between 0 and 100000000000000),   -- null: no budget
    valid_from    date,
    valid_to      date,
    status        text not null default 'active' check (status in ('active', 'closed')),
    settlement    text not null check (settlement in ('monthly', 'single', 'prepaid')),
    organisation  text check (length(organisation) between 1 and 200),
    contact_name  text check (length(contact_name) between 1 and 100),
    contact_phone text check (length(contact_phone) between 1 and 40),
    contact_email text check (length(contact_email) between 3 and 254),
    -- the unified social credit code (统一社会信用代码): 18 characters, no I, O, S, V, Z
    tax_id        text check (tax_id ~ '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$'),
    created_at    timestamptz not null default now(),
    created_by    uuid references user_account (id),
    updated_at    timestamptz not null default now(),
    version       bigint not null default 0,
    primary key (tenant_id, id),
    unique (tenant_id, code),
    foreign key (tenant_id, org_unit_id) references org_unit (tenant_id, id),
    check (valid_to is null or valid_from is null or valid_to >= valid_from),
    -- internal accounts settle monthly or singly; customers singly (post-paid) or from a deposit
    check (kind = 'customer' or settlement in ('monthly', 'single')),
    check (kind <> 'customer' or settlement in ('single', 'prepaid')),
    check (kind <> 'customer' or organisation is not null)
);
create index payer_account_pi_idx on payer_account (tenant_id, pi_user_id) where pi_user_id is not null;

create table payer_member (
    tenant_id    uuid not null default app_tenant() references tenant (id),
    payer_id     uuid not null,
    user_id      uuid not null references user_account (id),
    category     text not null check (category in ('staff', 'student', 'young_teacher', 'external')),
    state        text not null default 'requested' check (state in ('requested', 'approved', 'revoked')),
    requested_at timestamptz not null default now(),
    decided_at   timestamptz,
    decided_by   uuid references user_account (id),
    note         text check (length(note) <= 500),
    primary key (tenant_id, payer_id, user_id),
    foreign key (tenant_id, payer_id) references payer_account (tenant_id, id) on delete cascade,
    check ((state = 'requested') = (decided_at is null))
);
create index payer_member_user_idx on payer_member (tenant_id, user_id);

create table deposit_hold (
    tenant_id   uuid not null default app_tenant() references tenant (id),
    id          uuid not null,
    payer_id    uuid not null,
    source_type text not null check (source_type in ('booking', 'sample_request')),
    source_id   uuid not null,
    amount_fen  bigint not null check (amount_fen > 0),
    state       text not null default 'held' check (state in ('held', 'captured', 'released')),
    created_at  timestamptz not null default now(),
    settled_at  timestamptz,
    charge_id   uuid,
    primary key (tenant_id, id),
    unique (tenant_id, source_id),
    foreign key (tenant_id, payer_id) references payer_account (tenant_id, id),
    check ((state = 'held') = (settled_at is null))
);
create index deposit_hold_held_idx on deposit_hold (tenant_id, payer_id) include (amount_fen) where state = 'held';

create table payer_policy (
    tenant_id    uuid not null default app_tenant() references tenant (id),
    overdue_days integer not null check (overdue_days between 1 and 3650),
    updated_at   timestamptz not null default now(),
    updated_by   uuid references user_account (id),
    primary key (tenant_id)
);

do $$
declare t text;
begin
    foreach t in array array['payer_account', 'payer_member', 'deposit_hold', 'payer_policy'] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy tenant_isolation on %I using (tenant_id = app_tenant()) with check (tenant_id = app_tenant())', t);
    end loop;
end $$;

grant select, insert, update on payer_account, payer_member, deposit_hold, payer_policy to ${appRole};
