-- V47: what a network or consortium admin (the bureau) may read of the facts: aggregates per member institution
-- and their total, never an instrument's or a person's row (the pattern of catalogue's V8.1
-- network_member_aggregates; docs/reports.md "Facts (rollups)", "Across tenants").
--
-- The caller's transaction is bound to the network's (or consortium's) tenant, so row level security hides the
-- members' rollups. This one reviewed SECURITY DEFINER function answers only for scope_id = app_tenant(), only for
-- the institutions below it (children, and their children: a consortium's networks' members), and only with sums and
-- exact distinct counts; the row with tenant_id null is the total over all of them (users and projects counted once
-- across institutions: a project is (institution, account code)).

-- The owner sees the members' rollups only while a transaction is bound to an ancestor tenant of theirs.
do $$
declare t text;
begin
    foreach t in array array['fact_month', 'fact_month_user', 'fact_month_project', 'fact_month_trainee'] loop
        execute format('create policy facts_member_aggregates on %I for select to current_user using (tenant_id in ('
            'with recursive below(id) as (select c.id from tenant c where c.parent_id = app_tenant() '
            'union select c.id from tenant c join below b on c.parent_id = b.id) select id from below))', t);
    end loop;
end $$;

create function facts_member_aggregates(scope_id uuid, from_month date, to_month date)
    returns table (tenant_id uuid, slug text, name_zh text, name_en text, instruments bigint,
                   effective_min bigint, external_min bigint, booked_min bigint, samples bigint,
                   revenue_fen bigint, external_revenue_fen bigint, distinct_users bigint,
                   distinct_projects bigint, trainees bigint)
    language sql stable security definer
    set search_path = pg_catalog, public, pg_temp
as $$
    with recursive below(id) as (
        select c.id from public.tenant c where c.parent_id = scope_id and scope_id = public.app_tenant()
        union
        select c.id from public.tenant c join below b on c.parent_id = b.id
    ), inst as (
        select t.id, t.slug, t.name_zh, t.name_en from public.tenant t join below b on b.id = t.id
        where t.kind = 'institution' and t.status in ('active', 'suspended')
    ), sums as (
        select f.tenant_id, count(distinct f.instrument_id) as instruments,
               sum(f.effective_min)::bigint as effective_min,
               coalesce(sum(f.effective_min) filter (where f.user_class <> 'internal'), 0)::bigint as external_min,
               sum(f.booked_min)::bigint as booked_min, sum(f.samples)::bigint as samples,
               sum(f.revenue_fen)::bigint as revenue_fen,
               coalesce(sum(f.revenue_fen) filter (where f.user_class <> 'internal'), 0)::bigint as external_revenue_fen,
               grouping(f.tenant_id) as total
        from public.fact_month f join inst on inst.id = f.tenant_id
        where f.month >= from_month and f.month < to_month
        group by grouping sets ((f.tenant_id), ())
    ), users as (
        select u.tenant_id, count(distinct u.user_id) as n, grouping(u.tenant_id) as total
        from public.fact_month_user u join inst on inst.id = u.tenant_id
        where u.month >= from_month and u.month < to_month and u.refs > 0
        group by grouping sets ((u.tenant_id), ())
    ), projects as (
        select p.tenant_id, count(distinct (p.tenant_id, p.project)) as n, grouping(p.tenant_id) as total
        from public.fact_month_project p join inst on inst.id = p.tenant_id
        where p.month >= from_month and p.month < to_month and p.refs > 0
        group by grouping sets ((p.tenant_id), ())
    ), trainees as (
        select r.tenant_id, count(distinct r.user_id) as n, grouping(r.tenant_id) as total
        from public.fact_month_trainee r join inst on inst.id = r.tenant_id
        where r.month >= from_month and r.month < to_month
        group by grouping sets ((r.tenant_id), ())
    )
    select i.id, i.slug, i.name_zh, i.name_en, coalesce(s.instruments, 0), coalesce(s.effective_min, 0),
           coalesce(s.external_min, 0), coalesce(s.booked_min, 0), coalesce(s.samples, 0), coalesce(s.revenue_fen, 0),
           coalesce(s.external_revenue_fen, 0), coalesce(u.n, 0), coalesce(p.n, 0), coalesce(r.n, 0)
    from inst i
    left join sums s on s.tenant_id = i.id and s.total = 0
    left join users u on u.tenant_id = i.id and u.total = 0
    left join projects p on p.tenant_id = i.id and p.total = 0
    left join trainees r on r.tenant_id = i.id and r.total = 0
    union all
    select null, null, null, null,
           coalesce((select s.instruments from sums s where s.total = 1), 0),
           coalesce((select s.effective_min from sums s where s.total = 1), 0),
           coalesce((select s.external_min from sums s where s.total = 1), 0),
           coalesce((select s.booked_min from sums s where s.total = 1), 0),
           coalesce((select s.samples from sums s where s.total = 1), 0),
           coalesce((select s.revenue_fen from sums s where s.total = 1), 0),
           coalesce((select s.external_revenue_fen from sums s where s.total = 1), 0),
           coalesce((select u.n from users u where u.total = 1), 0),
           coalesce((select p.n from projects p where p.total = 1), 0),
           coalesce((select r.n from trainees r where r.total = 1), 0)
$$;
revoke all on function facts_member_aggregates(uuid, date, date) from public;
grant execute on function facts_member_aggregates(uuid, date, date) to ${appRole};
