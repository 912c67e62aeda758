-- For the SECURITY DEFINER function below only (it runs as the owner, current_user here, and
-- FORCE ROW LEVEL SECURITY applies to the owner too): read-only, open offers only; it selects ids.
create policy sweep_read on waitlist_offer for select to current_user using (status = 'offered');

-- Offers nobody touches expire on time (docs/booking.md, "Waitlist"): the sweep asks this
-- reviewed function which offers of any tenant are past their expiry, then expires each one in
-- its own tenant's transaction (where the offer is locked and checked again). It returns ids
-- only, takes only a time and a row limit (clamped to 1..1000), and pins its search_path.
create function waitlist_offers_expired(at timestamptz, max_rows integer)
    returns table (tenant_id uuid, offer_id uuid)
    language sql stable security definer
    set search_path = pg_catalog, public, pg_temp
as $$
    select o.tenant_id, o.id from public.waitlist_offer o
    where o.status = 'offered' and o.expires_at <= at
    order by o.expires_at, o.tenant_id, o.id
    limit greatest(1, least(max_rows, 1000))
$$;
revoke all on function waitlist_offers_expired(timestamptz, integer) from public;
grant execute on function waitlist_offers_expired(timestamptz, integer) to ${appRole};
-- No index of its own: open offers are few (one per freed slot, for minutes to hours), and every
-- index here starts with tenant_id (SchemaGate), which a sweep across tenants could not use.
