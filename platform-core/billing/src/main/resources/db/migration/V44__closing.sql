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

-- ---------------------------------------------------------------------------------------------- ledger speed
-- V38 checks each new transaction's balance with one deferred constraint trigger per row (per transaction and per
-- entry, each summing the transaction's entries at commit), and locks the period once per row: a bulk posting of
-- 100,000 transactions spent most of its time there. The same guarantees, checked once per database transaction:
--   * every statement that inserts transactions or entries adds the transaction ids it touched to
--     ledger_balance_queue (statement-level triggers over the transition tables), and marks one of them `head`;
--   * a deferred constraint trigger on the queue, queued only for head rows (WHEN), checks at commit every queued
--     transaction at once: at least two entries (LG002) summing to zero (LG001), then empties the queue;
--   * the queue is a work list inside one database transaction: its rows are never committed (the check deletes them,
--     or the transaction fails). The runtime role may insert (harmless: more is checked), read (only its own
--     uncommitted rows are visible) and delete only from within the check (a statement trigger refuses a DELETE
--     that no trigger runs, so nobody can empty the queue before the check); no UPDATE, no TRUNCATE. It holds no
--     tenant data (transaction ids only) and has no Row Level Security on purpose: the check sees every row of its
--     own transaction whatever tenant is bound at commit (the entries themselves are read under RLS, so a session
--     that binds another tenant before committing sees no entries and is refused, LG002);
--   * entries go only into transactions of open periods (LG003): one statement-level check per insert, which
--     share-locks the periods of the inserted entries' transactions (so a close still waits for postings in flight);
--   * a transaction's period is made and share-locked once per database transaction and period (the row trigger of
--     V38 now remembers, in a transaction-local setting, that it holds the lock; a rolled-back savepoint forgets both).

create table ledger_balance_queue (
    owner_tenant   uuid not null,
    transaction_id uuid not null,
    head           boolean not null default false
);

create function ledger_balance_queue_guard() returns trigger
    language plpgsql
    set search_path = pg_catalog, pg_temp
as $$
begin
    if pg_trigger_depth() < 2 then
        raise exception 'ledger_balance_queue is emptied only by the ledger''s balance check' using errcode = 'LG004';
    end if;
    return null;
end;
$$;
create trigger ledger_balance_queue_guard
    before delete on ledger_balance_queue
    for each statement execute function ledger_balance_queue_guard();
create trigger ledger_balance_queue_no_truncate
    before truncate on ledger_balance_queue
    for each statement execute function ledger_immutable();

create function ledger_queue_transactions() returns trigger
    language plpgsql
    set search_path = public, pg_catalog, pg_temp
as $$
begin
    insert into ledger_balance_queue (owner_tenant, transaction_id, head)
        select n.tenant_id, n.id, row_number() over () = 1 from new_rows n;
    return null;
end;
$$;

create function ledger_queue_entries() returns trigger
    language plpgsql
    set search_path = public, pg_catalog, pg_temp
as $$
declare s text;
begin
    -- the periods of the entries' transactions, share-locked, must be open (LG003)
    for s in select p.status from ledger_period p
            where (p.tenant_id, p.period) in (select t.tenant_id, t.period from ledger_transaction t
                where (t.tenant_id, t.id) in (select distinct n.tenant_id, n.transaction_id from new_rows n))
            for share loop
        if s is distinct from 'open' then
            raise exception 'the transaction of this entry is in a closed period (or missing): nothing can be posted into it'
                using errcode = 'LG003';
        end if;
    end loop;
    insert into ledger_balance_queue (owner_tenant, transaction_id, head)
        select d.tenant_id, d.transaction_id, row_number() over () = 1
        from (select distinct n.tenant_id, n.transaction_id from new_rows n) d;
    return null;
end;
$$;

-- At commit: every queued transaction has at least two entries and they sum to zero; then the queue is emptied.
create function ledger_check_queue() returns trigger
    language plpgsql
    set search_path = public, pg_catalog, pg_temp
as $$
declare r record;
begin
    for r in select q.transaction_id as tx, count(e.line) as n, coalesce(sum(e.amount_fen), 0) as total
            from (select distinct owner_tenant, transaction_id from ledger_balance_queue) q
            left join ledger_entry e on e.tenant_id = q.owner_tenant and e.transaction_id = q.transaction_id
            group by q.transaction_id
            having count(e.line) < 2 or coalesce(sum(e.amount_fen), 0) <> 0
            limit 1 loop
        if r.n < 2 then
            raise exception 'ledger transaction % has % entries: at least two are needed', r.tx, r.n using errcode = 'LG002';
        end if;
        raise exception 'ledger transaction % does not balance: its entries sum to % fen', r.tx, r.total using errcode = 'LG001';
    end loop;
    delete from ledger_balance_queue;
    return null;
end;
$$;

create constraint trigger ledger_balance_check
    after insert on ledger_balance_queue deferrable initially deferred
    for each row when (new.head) execute function ledger_check_queue();

-- A transaction's period, made if missing, share-locked and checked open: once per database transaction and period.
create or replace function ledger_transaction_open_period() returns trigger
    language plpgsql
    set search_path = public, pg_catalog, pg_temp
as $$
declare
    s text;
    held text := 'ledger.period_' || replace(cast(new.tenant_id as text), '-', '') || '_' || replace(new.period, '-', '_');
begin
    if current_setting(held, true) = 'share' then
        return new;
    end if;
    select status into s from ledger_period where tenant_id = new.tenant_id and period = new.period for share;
    if not found then
        insert into ledger_period (tenant_id, period, status) values (new.tenant_id, new.period, 'open')
            on conflict (tenant_id, period) do nothing;
        select status into s from ledger_period where tenant_id = new.tenant_id and period = new.period for share;
    end if;
    if s is distinct from 'open' then
        raise exception 'ledger period % is closed: nothing can be posted into it', new.period using errcode = 'LG003';
    end if;
    perform set_config(held, 'share', true);
    return new;
end;
$$;

-- A period closed in this database transaction is checked again by the next posting into it (which then fails, LG003).
create function ledger_period_forget_lock() returns trigger
    language plpgsql
    set search_path = pg_catalog, pg_temp
as $$
begin
    perform set_config('ledger.period_' || replace(cast(new.tenant_id as text), '-', '') || '_' || replace(new.period, '-', '_'),
        '', true);
    return null;
end;
$$;
create trigger ledger_period_forget_lock
    after insert or update on ledger_period
    for each row execute function ledger_period_forget_lock();

drop trigger ledger_transaction_balanced on ledger_transaction;
drop trigger ledger_entry_balanced on ledger_entry;
drop trigger ledger_entry_open_period on ledger_entry;
create trigger ledger_transaction_queue
    after insert on ledger_transaction referencing new table as new_rows
    for each statement execute function ledger_queue_transactions();
create trigger ledger_entry_queue
    after insert on ledger_entry referencing new table as new_rows
    for each statement execute function ledger_queue_entries();

grant select, insert, delete on ledger_balance_queue to ${appRole};
