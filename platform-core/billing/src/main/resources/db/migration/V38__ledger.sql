-- V38: the append-only double-entry ledger of a tenant (docs/billing.md "The ledger", platform-core/billing/README.md).
-- ledger_account: the chart of accounts (hierarchical codes such as 1122.project.<uuid>); only the names may change.
-- ledger_period: the calendar months of the tenant's zone ('YYYY-MM'), open or closed; closed periods form a prefix
-- (a period closes only after every earlier one, and none is opened before a closed one), and none is reopened.
-- ledger_transaction / ledger_entry: the journal. Amounts are fen (bigint), debit positive, credit negative. What
-- the database enforces, whoever writes:
--   * every transaction has at least two entries and they sum to zero (deferred constraint triggers, checked at
--     commit, so a transaction and its entries are written in one database transaction);
--   * no transaction and no entry in a closed period (the period row is share-locked, so a close waits for the
--     postings in flight and a posting after the close sees it closed);
--   * the journal is never updated, deleted or truncated (triggers that raise, for every role; the runtime role has
--     neither UPDATE nor DELETE on it either);
--   * one transaction per idempotency key and at most one reversal per transaction (unique keys).
-- Errors raised here carry SQLSTATEs of the class LG (LedgerRows maps them): LG001 unbalanced, LG002 fewer than two
-- entries, LG003 closed period, LG004 append-only, LG005 reopening a period, LG006 period order, LG007 account code.

create table ledger_account (
    tenant_id   uuid not null default app_tenant() references tenant (id),
    id          uuid not null,
    code        text not null check (code ~ '^[0-9]{4}(\.[a-z0-9][a-z0-9-]*)*$' and length(code) <= 200),
    kind        text not null check (kind in ('asset', 'liability', 'revenue', 'expense', 'equity')),
    name_zh     text not null check (length(name_zh) between 1 and 200),
    name_en     text not null check (length(name_en) between 1 and 200),
    holder_type text check (holder_type ~ '^[a-z][a-z0-9_-]{0,63}$'),
    holder_id   uuid,
    created_at  timestamptz not null default now(),
    primary key (tenant_id, id),
    unique (tenant_id, code)
);

create table ledger_period (
    tenant_id uuid not null default app_tenant() references tenant (id),
    period    char(7) not null check (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    status    text not null default 'open' check (status in ('open', 'closed')),
    closed_at timestamptz,
    closed_by text check (length(closed_by) <= 200),
    primary key (tenant_id, period),
    check ((status = 'closed') = (closed_at is not null))
);
create index ledger_period_status_idx on ledger_period (tenant_id, status, period);

create table ledger_transaction (
    tenant_id       uuid not null default app_tenant() references tenant (id),
    id              uuid not null,
    idempotency_key text not null check (length(idempotency_key) between 1 and 200),
    period          char(7) not null,
    posted_at       timestamptz not null,
    kind            text not null check (kind ~ '^[a-z][a-z0-9_.-]{0,63}$'),
    source_type     text check (length(source_type) between 1 and 64),
    source_id       text check (length(source_id) between 1 and 200),
    reverses        uuid,
    memo            text check (length(memo) <= 1000),
    actor           text not null check (length(actor) between 1 and 200),
    primary key (tenant_id, id),
    unique (tenant_id, idempotency_key),
    unique (tenant_id, reverses),
    foreign key (tenant_id, period) references ledger_period (tenant_id, period),
    foreign key (tenant_id, reverses) references ledger_transaction (tenant_id, id),
    check (reverses is null or reverses <> id)
);
create index ledger_transaction_period_idx on ledger_transaction (tenant_id, period, posted_at);
create index ledger_transaction_source_idx on ledger_transaction (tenant_id, source_type, source_id)
    where source_type is not null;

create table ledger_entry (
    tenant_id      uuid not null default app_tenant() references tenant (id),
    transaction_id uuid not null,
    line           smallint not null check (line >= 1),
    account_id     uuid not null,
    amount_fen     bigint not null check (amount_fen <> 0),
    primary key (tenant_id, transaction_id, line),
    foreign key (tenant_id, transaction_id) references ledger_transaction (tenant_id, id),
    foreign key (tenant_id, account_id) references ledger_account (tenant_id, id)
);
create index ledger_entry_account_idx on ledger_entry (tenant_id, account_id);

-- ---------------------------------------------------------------------------------------------- periods

-- No period is opened before a closed one; a closed period is never changed (so never reopened); a period closes
-- only when every earlier period of the tenant is closed.
create function ledger_period_guard() returns trigger
    language plpgsql
    set search_path = public, pg_catalog, pg_temp
as $$
begin
    if tg_op = 'INSERT' then
        if new.status = 'open' and exists (select 1 from ledger_period
                where tenant_id = new.tenant_id and status = 'closed' and period > new.period) then
            raise exception 'ledger period % cannot be opened: a later period is closed', new.period using errcode = 'LG006';
        end if;
        if new.status = 'closed' and exists (select 1 from ledger_period
                where tenant_id = new.tenant_id and status = 'open' and period < new.period) then
            raise exception 'ledger period % cannot be closed before an earlier open period', new.period using errcode = 'LG006';
        end if;
        return new;
    end if;
    if old.status = 'closed' then
        raise exception 'ledger period % is closed and cannot be changed or reopened', old.period using errcode = 'LG005';
    end if;
    if new.tenant_id <> old.tenant_id or new.period <> old.period then
        raise exception 'a ledger period keeps its tenant and month' using errcode = 'LG005';
    end if;
    if new.status = 'closed' and exists (select 1 from ledger_period
            where tenant_id = new.tenant_id and status = 'open' and period < new.period) then
        raise exception 'ledger period % cannot be closed before an earlier open period', new.period using errcode = 'LG006';
    end if;
    return new;
end;
$$;
create trigger ledger_period_guard
    before insert or update on ledger_period
    for each row execute function ledger_period_guard();

-- ---------------------------------------------------------------------------------------------- journal

create function ledger_immutable() returns trigger
    language plpgsql
    set search_path = pg_catalog, pg_temp
as $$
begin
    raise exception '% is append-only (% refused): correct by a reversal', tg_table_name, tg_op using errcode = 'LG004';
end;
$$;

-- A transaction goes into an open period: the period's row is made if missing (open, after the closed ones) and
-- share-locked, so closing it waits for this transaction and a posting after a close sees the period closed.
create function ledger_transaction_open_period() returns trigger
    language plpgsql
    set search_path = public, pg_catalog, pg_temp
as $$
declare s text;
begin
    select status into s from ledger_period where tenant_id = new.tenant_id and period = new.period for share;
    if not found then
        insert into ledger_period (tenant_id, period, status) values (new.tenant_id, new.period, 'open')
            on conflict (tenant_id, period) do nothing;
        select status into s from ledger_period where tenant_id = new.tenant_id and period = new.period for share;
    end if;
    if s is distinct from 'open' then
        raise exception 'ledger period % is closed: nothing can be posted into it', new.period using errcode = 'LG003';
    end if;
    return new;
end;
$$;
create trigger ledger_transaction_open_period
    before insert on ledger_transaction
    for each row execute function ledger_transaction_open_period();

-- An entry goes only into a transaction of an open period (so never added later to a closed month).
create function ledger_entry_open_period() returns trigger
    language plpgsql
    set search_path = public, pg_catalog, pg_temp
as $$
declare s text;
begin
    select p.status into s from ledger_transaction t
        join ledger_period p on p.tenant_id = t.tenant_id and p.period = t.period
        where t.tenant_id = new.tenant_id and t.id = new.transaction_id
        for share of p;
    if s is distinct from 'open' then
        raise exception 'the transaction of this entry is in a closed period (or missing): nothing can be posted into it'
            using errcode = 'LG003';
    end if;
    return new;
end;
$$;
create trigger ledger_entry_open_period
    before insert on ledger_entry
    for each row execute function ledger_entry_open_period();

-- At commit: the transaction (of a new transaction row, or of a new entry) has at least two entries summing to zero.
create function ledger_check_balanced(tenant uuid, tx uuid) returns void
    language plpgsql
    set search_path = public, pg_catalog, pg_temp
as $$
declare
    n bigint;
    total numeric;
begin
    select count(*), coalesce(sum(amount_fen), 0) into n, total from ledger_entry
        where tenant_id = tenant and transaction_id = tx;
    if n < 2 then
        raise exception 'ledger transaction % has % entries: at least two are needed', tx, n using errcode = 'LG002';
    end if;
    if total <> 0 then
        raise exception 'ledger transaction % does not balance: its entries sum to % fen', tx, total using errcode = 'LG001';
    end if;
end;
$$;
create function ledger_transaction_balanced() returns trigger
    language plpgsql
    set search_path = public, pg_catalog, pg_temp
as $$
begin
    perform ledger_check_balanced(new.tenant_id, new.id);
    return null;
end;
$$;
create function ledger_entry_balanced() returns trigger
    language plpgsql
    set search_path = public, pg_catalog, pg_temp
as $$
begin
    perform ledger_check_balanced(new.tenant_id, new.transaction_id);
    return null;
end;
$$;
create constraint trigger ledger_transaction_balanced
    after insert on ledger_transaction deferrable initially deferred
    for each row execute function ledger_transaction_balanced();
create constraint trigger ledger_entry_balanced
    after insert on ledger_entry deferrable initially deferred
    for each row execute function ledger_entry_balanced();

create trigger ledger_transaction_no_update_or_delete
    before update or delete on ledger_transaction
    for each row execute function ledger_immutable();
create trigger ledger_transaction_no_truncate
    before truncate on ledger_transaction
    for each statement execute function ledger_immutable();
create trigger ledger_entry_no_update_or_delete
    before update or delete on ledger_entry
    for each row execute function ledger_immutable();
create trigger ledger_entry_no_truncate
    before truncate on ledger_entry
    for each statement execute function ledger_immutable();

-- An account keeps its code, kind and holder; only its names change (the runtime role's column grant, and this).
create function ledger_account_guard() returns trigger
    language plpgsql
    set search_path = pg_catalog, pg_temp
as $$
begin
    if tg_op = 'DELETE' then
        raise exception 'ledger accounts are never deleted' using errcode = 'LG007';
    end if;
    if new.tenant_id <> old.tenant_id or new.id <> old.id or new.code <> old.code or new.kind <> old.kind
            or new.holder_type is distinct from old.holder_type or new.holder_id is distinct from old.holder_id
            or new.created_at <> old.created_at then
        raise exception 'ledger account %: only its names may change', old.code using errcode = 'LG007';
    end if;
    return new;
end;
$$;
create trigger ledger_account_guard
    before update or delete on ledger_account
    for each row execute function ledger_account_guard();
create trigger ledger_account_no_truncate
    before truncate on ledger_account
    for each statement execute function ledger_immutable();
create trigger ledger_period_no_delete
    before delete on ledger_period
    for each row execute function ledger_immutable();
create trigger ledger_period_no_truncate
    before truncate on ledger_period
    for each statement execute function ledger_immutable();

do $$
declare t text;
begin
    foreach t in array array['ledger_account', 'ledger_period', 'ledger_transaction', 'ledger_entry'] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy tenant_isolation on %I using (tenant_id = app_tenant()) with check (tenant_id = app_tenant())', t);
    end loop;
end $$;

grant select, insert on ledger_account, ledger_period, ledger_transaction, ledger_entry to ${appRole};
grant update (name_zh, name_en) on ledger_account to ${appRole};
grant update (status, closed_at, closed_by) on ledger_period to ${appRole};
