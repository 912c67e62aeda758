-- V21: the one function that read app.tenant_id itself (V8.1) now asks app_tenant() (V20), like every policy.
create or replace function network_member_aggregates(network_id uuid)
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
      and network_id = public.app_tenant()
      and t.status in ('active', 'suspended')
    group by t.id, t.slug, t.name_zh, t.name_en, t.status, t.region_code, t.time_zone, t.created_at,
             t.status_changed_at, t.status_reason
$$;
