package org.labcommons.core.reports.facts;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * What {@link Rollups} reads: the bound tenant's monthly rollups (row level security), and the members' aggregates
 * through the reviewed function {@code facts_member_aggregates} (V47) for a network or consortium. Periods are
 * months {@code [from, to)} given by their first days.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface FactQueryRows extends GenericRepository<FactQueryRows.Key, UUID> {

    /** The key of a row. */
    @MappedEntity("fact_month")
    record Key(@Id UUID instrumentId) {
    }

    /** Sums of one user class and service type. */
    @Introspected
    record Cell(String userClass, String serviceType, long effectiveMin, long bookedMin, long samples, long revenueFen) {
    }

    /** Sums of one month and user class, with the distinct users of that month and class. */
    @Introspected
    record MonthCell(LocalDate month, String userClass, long effectiveMin, long bookedMin, long samples,
                     long revenueFen, long distinctUsers) {
    }

    /** Sums of one instrument and user class over a period, with its distinct users and projects. */
    @Introspected
    record InstrumentCell(UUID instrumentId, String userClass, long effectiveMin, long bookedMin, long samples,
                          long revenueFen, long distinctUsers, long distinctProjects) {
    }

    /** One member institution's aggregates (tenantId null: the total over all members). */
    @Introspected
    record MemberCell(@Nullable UUID tenantId, @Nullable String slug, @Nullable String nameZh, @Nullable String nameEn,
                      long instruments, long effectiveMin, long externalMin, long bookedMin, long samples,
                      long revenueFen, long externalRevenueFen, long distinctUsers, long distinctProjects,
                      long trainees) {
    }

    String SUMS = "sum(effective_min)::bigint as effective_min, sum(booked_min)::bigint as booked_min, "
            + "sum(samples)::bigint as samples, sum(revenue_fen)::bigint as revenue_fen";

    @Query("select user_class, service_type, " + SUMS + " from fact_month where instrument_id = :instrumentId "
            + "and month >= :from and month < :to group by user_class, service_type order by user_class, service_type")
    List<Cell> instrument(UUID instrumentId, LocalDate from, LocalDate to);

    @Query("select count(distinct user_id) from fact_month_user where instrument_id = :instrumentId and month >= :from "
            + "and month < :to and refs > 0")
    long users(UUID instrumentId, LocalDate from, LocalDate to);

    @Query("select count(distinct project) from fact_month_project where instrument_id = :instrumentId "
            + "and month >= :from and month < :to and refs > 0")
    long projects(UUID instrumentId, LocalDate from, LocalDate to);

    @Query("select count(distinct user_id) from fact_month_trainee where instrument_id = :instrumentId "
            + "and month >= :from and month < :to")
    long trainees(UUID instrumentId, LocalDate from, LocalDate to);

    @Query("select f.month, f.user_class, sum(f.effective_min)::bigint as effective_min, "
            + "sum(f.booked_min)::bigint as booked_min, sum(f.samples)::bigint as samples, "
            + "sum(f.revenue_fen)::bigint as revenue_fen, (select count(distinct u.user_id) from fact_month_user u "
            + "where u.month = f.month and u.user_class = f.user_class and u.refs > 0 "
            + "and (cast(:instrumentId as uuid) is null or u.instrument_id = cast(:instrumentId as uuid))) as distinct_users "
            + "from fact_month f where f.month >= :from and f.month < :to "
            + "and (cast(:instrumentId as uuid) is null or f.instrument_id = cast(:instrumentId as uuid)) "
            + "group by f.month, f.user_class order by f.month, f.user_class")
    List<MonthCell> months(LocalDate from, LocalDate to, @Nullable UUID instrumentId);

    String INSTRUMENT_FILTER = "from fact_month f where f.month >= :from and f.month < :to "
            + "and (cast(:userClass as text) is null or f.user_class = :userClass) "
            + "and (cast(:instrumentId as uuid) is null or f.instrument_id = cast(:instrumentId as uuid)) ";

    @Query("select f.instrument_id, f.user_class, sum(f.effective_min)::bigint as effective_min, "
            + "sum(f.booked_min)::bigint as booked_min, sum(f.samples)::bigint as samples, "
            + "sum(f.revenue_fen)::bigint as revenue_fen, "
            + "(select count(distinct u.user_id) from fact_month_user u where u.instrument_id = f.instrument_id "
            + "and u.user_class = f.user_class and u.month >= :from and u.month < :to and u.refs > 0) as distinct_users, "
            + "(select count(distinct p.project) from fact_month_project p where p.instrument_id = f.instrument_id "
            + "and p.user_class = f.user_class and p.month >= :from and p.month < :to and p.refs > 0) as distinct_projects "
            + INSTRUMENT_FILTER + "group by f.instrument_id, f.user_class order by f.instrument_id, f.user_class "
            + "limit :size offset :offset")
    List<InstrumentCell> instruments(LocalDate from, LocalDate to, @Nullable String userClass,
                                     @Nullable UUID instrumentId, int size, long offset);

    @Query("select count(*) from (select 1 " + INSTRUMENT_FILTER + "group by f.instrument_id, f.user_class) x")
    long countInstruments(LocalDate from, LocalDate to, @Nullable String userClass, @Nullable UUID instrumentId);

    String MEMBER_COLUMNS = "tenant_id, slug, name_zh, name_en, instruments, effective_min, external_min, booked_min, "
            + "samples, revenue_fen, external_revenue_fen, distinct_users, distinct_projects, trainees";

    @Query("select " + MEMBER_COLUMNS + " from facts_member_aggregates(:scope, :from, :to) where tenant_id is not null "
            + "order by slug limit :size offset :offset")
    List<MemberCell> members(UUID scope, LocalDate from, LocalDate to, int size, long offset);

    @Query("select " + MEMBER_COLUMNS + " from facts_member_aggregates(:scope, :from, :to) where tenant_id is null")
    MemberCell membersTotal(UUID scope, LocalDate from, LocalDate to);

    @Query("select count(*) from facts_member_aggregates(:scope, :from, :to) where tenant_id is not null")
    long countMembers(UUID scope, LocalDate from, LocalDate to);
}
