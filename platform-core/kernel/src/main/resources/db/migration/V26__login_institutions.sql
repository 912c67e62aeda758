-- V26: the institution chooser of the sign-in page lists the institutions a person may sign in
-- through, before anyone is signed in and so before any tenant is known.
--
-- trusted_issuer is tenant-owned (RLS forced), so the list is read through one reviewed function,
-- like trusted_issuer_lookup: it returns, for every ACTIVE tenant of kind 'institution', its
-- ENABLED issuers that it holds the claim of (trusted_issuer_claim: one tenant per issuer), with
-- the tenant's slug and names. That is what the sign-in page shows anyway (an institution's name
-- and the address its sign-in goes to); no audience, algorithms, client ids or claim names, no
-- suspended or provisioning tenant, no network or consortium. It takes nothing from its caller.
create function login_institutions()
    returns table (tenant_id uuid, slug text, name_zh text, name_en text, issuer text)
    language sql stable security definer
    set search_path = pg_catalog, public, pg_temp
as $$
    select t.id, t.slug, t.name_zh, t.name_en, ti.issuer
    from public.trusted_issuer ti
    join public.tenant t on t.id = ti.tenant_id
    join public.trusted_issuer_claim c on c.issuer = ti.issuer and c.claimed_by = ti.tenant_id
    where ti.enabled and t.status = 'active' and t.kind = 'institution'
    order by t.name_en, ti.created_at, ti.issuer
$$;
revoke all on function login_institutions() from public;
grant execute on function login_institutions() to ${appRole};
