-- V8.1: what a network admin may see of its member institutions: aggregate figures only.
--
-- A network admin's transaction is bound to the network's tenant, so row level security hides
-- the members' instruments from it, as it should: it never reads their raw records. This one
-- reviewed function (SECURITY DEFINER, runs as the owner) returns per member: instruments not
-- archived, their total original value (fen), and how many are published beyond the institution
-- (scope network, consortium or public). It answers only for the network bound to the calling
-- transaction (network_id must equal app.tenant_id; otherwise no rows), only for its direct
-- members, and returns no instrument-level data.

-- The owner sees a member's instruments only while a transaction is bound to the member's
-- parent network (FORCE ROW LEVEL SECURITY applies to the owner too; the runtime role is unaffected).
create policy network_member_aggregates on instrument for select to current_user
    using (tenant_id in (select t.id from tenant t
                         where t.parent_id = nullif(current_setting('app.tenant_id', true), '')::uuid));

create function network_member_aggregates(network_id uuid)
    returns table (tenant_id uuid, slug text, name_zh text, name_en text, status text, region_code text,
                   time_zone text, created_at timestamptz, status_changed_at timestamptz, status_reason text,
                   instrument_count bigint, total_value_fen bigint, published_count bigint)
    language sql stable security definer
    set search_path = pg_catalog, public, pg_temp
as $$
    select t.id, t.slug, t.name_zh, t.name_en, t.status, t.region_code, t.time_zone, t.created_at,
           t.status_changed_at, t.status_reason,
           count(i.id),
           coalesce(sum(i.original_value_fen), 0)::bigint,
           count(i.id) filter (where i.sharing_scope in ('network', 'consortium', 'public'))
    from public.tenant t
    left join public.instrument i on i.tenant_id = t.id and i.archived_at is null
    where t.parent_id = network_id
      and network_id = nullif(current_setting('app.tenant_id', true), '')::uuid
      and t.status in ('active', 'suspended')
    group by t.id, t.slug, t.name_zh, t.name_en, t.status, t.region_code, t.time_zone, t.created_at,
             t.status_changed_at, t.status_reason
$$;
revoke all on function network_member_aggregates(uuid) from public;
grant execute on function network_member_aggregates(uuid) to ${appRole};
