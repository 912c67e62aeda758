-- V44: the month close (docs/billing.md "Month close, statements and finance files", platform-core/billing/README.md
-- "Month close (closing)").
-- month_close: one closed month of a tenant ('YYYY-MM'), once (unique per tenant and period): who closed it when,
--   how many statements, the finance deduction file's total.
-- month_close_statement: one payer's statement of that month as it was closed (opening balance, the month's debits
--   and credits, closing balance, entry count, the payer's names and finance facts at the close); the entries
--   themselves stay in the ledger (a closed month never changes, so a statement rendered again is the same).
-- month_close_file: the finance deduction file (CSV and xlsx) as stored at the close, with its SHA-256 checksum;
--   answered byte for byte ever after.
-- Then the ledger's balance check moves from one deferred check per row to one per database transaction (below).

create table month_close (
    tenant_id        uuid not null default app_tenant() references tenant (id),
    id               uuid not null,
    period           char(7) not null check (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    closed_at        timestamptz not null,
    closed_by        text not null check (length(closed_by) between 1 and 200),
    statements       integer not null check (statements >= 0),
    deduction_rows   integer not null check (deduction_rows >= 0),
    deduction_fen    bigint not null,
    primary key (tenant_id, id),
    unique (tenant_id, period)
);

create table month_close_statement (
    tenant_id     uuid not null default app_tenant() references tenant (id),
    close_id      uuid not null,
    payer_code    text not null check (length(payer_code) between 1 and 200),
    payer_kind    text not null check (payer_kind in ('payer', 'person', 'tenant')),
    name_zh       text not null check (length(name_zh) between 1 and 200),
    name_en       text not null check (length(name_en) between 1 and 200),
    finance_code  text check (length(finance_code) <= 200),
    grant_code    text check (length(grant_code) <= 200),
    opening_fen   bigint not null,
    debits_fen    bigint not null,
    credits_fen   bigint not null,
    closing_fen   bigint not null,
    entries       integer not null check (entries >= 0),
    primary key (tenant_id, close_id, payer_code),
    foreign key (tenant_id, close_id) references month_close (tenant_id, id),
    check (closing_fen = opening_fen + debits_fen + credits_fen)
);

create table month_close_file (
    tenant_id    uuid not null default app_tenant() references tenant (id),
    close_id     uuid not null,
    name         text not null check (name in ('finance-file.csv', 'finance-file.xlsx')),
    content_type text not null check (length(content_type) between 1 and 200),
    sha256       char(64) not null check (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes   integer not null check (size_bytes >= 0),
    content      bytea not null,
    primary key (tenant_id, close_id, name),
    foreign key (tenant_id, close_id) references month_close (tenant_id, id),
    check (length(content) = size_bytes)
);

-- a closed month is a record: never changed, never deleted (the runtime role may only insert and read)
create function month_close_immutable() returns trigger
    language plpgsql
    set search_path = pg_catalog, pg_temp
as $$
begin
    raise exception '% is a record of a closed month (% refused)', tg_table_name, tg_op using errcode = 'LG004';
end;
$$;

do $$
declare t text;
begin
    foreach t in array array['month_close', 'month_close_statement', 'month_close_file'] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy tenant_isolation on %I using (tenant_id = app_tenant()) with check (tenant_id = app_tenant())', t);
        execute format('create trigger %I before update or delete on %I for each row execute function month_close_immutable()', t || '_immutable', t);
        execute format('create trigger %I before truncate on %I for each statement execute function month_close_immutable()', t || '_no_truncate', t);
    end loop;
end $$;

grant select, insert on month_close, month_close_statement, month_close_file to ${appRole};
