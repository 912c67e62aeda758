-- V22: an identity provider (issuer) belongs to one tenant at most.
--
-- trusted_issuer is tenant-owned, so its keys lead with tenant_id (the schema gate holds every
-- index of a tenant table to that) and cannot say "this issuer, in no other tenant". The global
-- registry below can: one row per issuer, naming the tenant that claimed it. Onboarding claims
-- the issuer when an approval creates the tenant (two racing approvals: the second insert is a
-- unique violation, and nothing of it is left), and a trigger keeps every trusted_issuer row in
-- step with it whoever writes it, so no path (provisioning, demo data, an operator's SQL) can give
-- one issuer to two tenants. Global like `tenant`: it holds no tenant's business data, only which
-- tenant an issuer string belongs to (what trusted_issuer_lookup tells anyway).
create table trusted_issuer_claim (
    issuer     text primary key check (issuer ~ '^https?://[^\s]+$' and length(issuer) <= 2000),
    claimed_by uuid not null references tenant (id),
    claimed_at timestamptz not null default now()
);

-- The issuers registered so far, the earliest registration of each (RLS shows the owner the
-- enabled rows only; an issuer already registered twice keeps being trusted by neither tenant,
-- as TrustedIssuers decides, until one registration is removed).
insert into trusted_issuer_claim (issuer, claimed_by)
select distinct on (issuer) issuer, tenant_id from trusted_issuer order by issuer, created_at;

-- A registration (insert, or a change of its issuer, tenant or enabled flag) must hold the claim
-- of its issuer, taking it when nobody has; removing one gives its claim up. Runs as the caller
-- (no SECURITY DEFINER): the runtime role reads and writes the claims itself.
create function trusted_issuer_claim_sync() returns trigger
    language plpgsql
    set search_path = pg_catalog, public, pg_temp
as $$
begin
    if tg_op in ('UPDATE', 'DELETE') then
        delete from public.trusted_issuer_claim c where c.issuer = old.issuer and c.claimed_by = old.tenant_id;
    end if;
    if tg_op in ('INSERT', 'UPDATE') then
        insert into public.trusted_issuer_claim (issuer, claimed_by) values (new.issuer, new.tenant_id)
            on conflict (issuer) do nothing;
        if not exists (select 1 from public.trusted_issuer_claim c
                       where c.issuer = new.issuer and c.claimed_by = new.tenant_id) then
            raise exception 'issuer % is registered by another tenant', new.issuer
                using errcode = 'unique_violation', constraint = 'trusted_issuer_claim_pkey';
        end if;
    end if;
    return null;
end
$$;
revoke all on function trusted_issuer_claim_sync() from public;
grant execute on function trusted_issuer_claim_sync() to ${appRole};
create trigger trusted_issuer_claim_sync
    after insert or update of issuer, tenant_id, enabled or delete on trusted_issuer
    for each row execute function trusted_issuer_claim_sync();

grant select, insert, delete on trusted_issuer_claim to ${appRole};
