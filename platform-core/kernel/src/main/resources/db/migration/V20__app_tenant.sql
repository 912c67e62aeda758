-- V20: the tenant bound to the transaction is written once, as app_tenant(), and every policy uses it.
--
-- app_tenant() is the uuid in app.tenant_id (set LOCAL by TenantTransactions), or null when no
-- tenant is bound: a policy `tenant_id = app_tenant()` then matches nothing (fail closed).
--
-- Fixed resolution without a `set search_path` clause: the body is SQL-standard (BEGIN ATOMIC), so
-- PostgreSQL parses it once, here, and stores what it resolved (pg_catalog.current_setting, the
-- uuid type); no caller's search_path can redirect it later. A `set search_path` clause would do
-- the same but stops the planner from inlining the function: every policy would then call it once
-- per row on a sequential scan and switch the setting each time. Inlined, `tenant_id = app_tenant()`
-- plans exactly as the spelled-out expression did (an index condition evaluated once per scan).
create function app_tenant() returns uuid
    language sql stable parallel safe
begin atomic
    select nullif(pg_catalog.current_setting('app.tenant_id', true), '')::uuid;
end;
revoke all on function app_tenant() from public;
grant execute on function app_tenant() to ${appRole};

-- Rewrite every policy and column default that spells the expression out (old migrations stay
-- as they were run). Migrations after this one write app_tenant() themselves; the schema gate
-- fails on any policy or default that names app.tenant_id.
do $rewrite$
declare
    spelled constant text := '(NULLIF(current_setting(''app.tenant_id''::text, true), ''''::text))::uuid';
    p record;
    q text;
    w text;
begin
    for p in select schemaname, tablename, policyname, qual, with_check
             from pg_policies where schemaname = current_schema() loop
        q := replace(p.qual, spelled, 'app_tenant()');
        w := replace(p.with_check, spelled, 'app_tenant()');
        if coalesce(q, '') like '%app.tenant_id%' or coalesce(w, '') like '%app.tenant_id%' then
            raise exception 'policy % on % reads app.tenant_id in a form V20 does not know: % / %',
                p.policyname, p.tablename, p.qual, p.with_check;
        end if;
        if q is distinct from p.qual then
            execute format('alter policy %I on %I.%I using (%s)', p.policyname, p.schemaname, p.tablename, q);
        end if;
        if w is distinct from p.with_check then
            execute format('alter policy %I on %I.%I with check (%s)', p.policyname, p.schemaname, p.tablename, w);
        end if;
    end loop;
    for p in select table_schema, table_name, column_name, column_default
             from information_schema.columns
             where table_schema = current_schema() and column_default like '%app.tenant_id%' loop
        q := replace(p.column_default, spelled, 'app_tenant()');
        if q like '%app.tenant_id%' then
            raise exception 'default of %.% reads app.tenant_id in a form V20 does not know: %',
                p.table_name, p.column_name, p.column_default;
        end if;
        execute format('alter table %I.%I alter column %I set default %s', p.table_schema, p.table_name, p.column_name, q);
    end loop;
end
$rewrite$;
