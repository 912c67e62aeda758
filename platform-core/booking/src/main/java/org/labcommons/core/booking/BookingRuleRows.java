package org.labcommons.core.booking;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The store of booking rules ({@code booking_rules}, one row per instrument; none: the defaults),
 * with the two things rules are read with: the bound tenant's time zone and its rate groups. Runs
 * inside the caller's tenant-bound transaction, so the RLS policies limit every statement to the
 * bound tenant. The JSON columns travel as text, {@code allowed_rate_groups} as comma-separated
 * codes (a code is {@code [a-z][a-z0-9_]*}, so a comma cannot be part of one); parsing is
 * {@link BookingRulesService}'.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface BookingRuleRows extends GenericRepository<BookingRuleRows.Key, UUID> {
    /** The time zone of the bound tenant, as a scalar subquery. */
    String TIME_ZONE = "(select time_zone from tenant where id = app_tenant())";

    /** The columns of {@link Stored} but the time zone, from {@code booking_rules} aliased {@code r}. */
    String RULE_COLUMNS = "r.instrument_id, cast(r.weekly_hours as text) as weekly_hours, "
            + "cast(r.closures as text) as closures, r.min_slot_minutes, r.max_slot_minutes, r.horizon_days, "
            + "r.min_notice_minutes, r.buffer_minutes, r.max_future_bookings, "
            + "array_to_string(r.allowed_rate_groups, ',') as allowed_rate_groups, r.approval_policy, "
            + "r.cancellation_deadline_hours, r.no_show_threshold, r.no_show_block_days, r.qualification_required, "
            + "r.authorisation_expiry_days, r.waitlist_offer_minutes, r.version";

    /** The key of a rules row. */
    @MappedEntity("booking_rules")
    record Key(@Id UUID instrumentId, long version) {
    }

    /**
     * An instrument's stored rules and the tenant's time zone; every rule column is null when the
     * instrument has no row (the defaults apply).
     */
    @Introspected
    record Stored(@Nullable String timeZone, @Nullable UUID instrumentId, @Nullable String weeklyHours,
                  @Nullable String closures, @Nullable Integer minSlotMinutes, @Nullable Integer maxSlotMinutes,
                  @Nullable Integer horizonDays, @Nullable Integer minNoticeMinutes, @Nullable Integer bufferMinutes,
                  @Nullable Integer maxFutureBookings, @Nullable String allowedRateGroups,
                  @Nullable String approvalPolicy, @Nullable Integer cancellationDeadlineHours,
                  @Nullable Integer noShowThreshold, @Nullable Integer noShowBlockDays,
                  @Nullable Boolean qualificationRequired, @Nullable Integer authorisationExpiryDays,
                  @Nullable Integer waitlistOfferMinutes, @Nullable Long version) {
    }

    /** The time zone of the bound tenant (empty with no tenant bound). */
    @Query("select time_zone from tenant where id = app_tenant()")
    Optional<String> tenantZone();

    /** The instrument's rules in the bound tenant with the tenant's time zone, in one statement. */
    @Query("select " + TIME_ZONE + " as time_zone, " + RULE_COLUMNS
            + " from (select 1) one left join booking_rules r on r.instrument_id = :instrumentId")
    Stored stored(UUID instrumentId);

    /**
     * Writes the instrument's rules (the transaction's tenant) unless a row with another version
     * than {@code expectedVersion} is there; the count written (0: a concurrent write won).
     * {@code allowedRateGroups}: comma-separated codes, null for every rate group.
     */
    @Query("insert into booking_rules (tenant_id, instrument_id, weekly_hours, closures, min_slot_minutes, "
            + "max_slot_minutes, horizon_days, min_notice_minutes, buffer_minutes, max_future_bookings, "
            + "allowed_rate_groups, approval_policy, cancellation_deadline_hours, no_show_threshold, no_show_block_days, "
            + "qualification_required, authorisation_expiry_days, waitlist_offer_minutes, version, updated_at) values "
            + "(app_tenant(), :instrumentId, cast(:weeklyHours as jsonb), cast(:closures as jsonb), :minSlotMinutes, "
            + ":maxSlotMinutes, :horizonDays, :minNoticeMinutes, :bufferMinutes, :maxFutureBookings, "
            + "string_to_array(cast(:allowedRateGroups as text), ','), :approvalPolicy, :cancellationDeadlineHours, "
            + ":noShowThreshold, :noShowBlockDays, :qualificationRequired, :authorisationExpiryDays, "
            + ":waitlistOfferMinutes, :version, :now) on conflict (tenant_id, instrument_id) do update set "
            + "weekly_hours = excluded.weekly_hours, closures = excluded.closures, "
            + "min_slot_minutes = excluded.min_slot_minutes, max_slot_minutes = excluded.max_slot_minutes, "
            + "horizon_days = excluded.horizon_days, min_notice_minutes = excluded.min_notice_minutes, "
            + "buffer_minutes = excluded.buffer_minutes, max_future_bookings = excluded.max_future_bookings, "
            + "allowed_rate_groups = excluded.allowed_rate_groups, approval_policy = excluded.approval_policy, "
            + "cancellation_deadline_hours = excluded.cancellation_deadline_hours, "
            + "no_show_threshold = excluded.no_show_threshold, no_show_block_days = excluded.no_show_block_days, "
            + "qualification_required = excluded.qualification_required, "
            + "authorisation_expiry_days = excluded.authorisation_expiry_days, "
            + "waitlist_offer_minutes = excluded.waitlist_offer_minutes, version = excluded.version, "
            + "updated_at = excluded.updated_at where booking_rules.version = :expectedVersion")
    long write(UUID instrumentId, String weeklyHours, String closures, int minSlotMinutes, int maxSlotMinutes,
               int horizonDays, int minNoticeMinutes, int bufferMinutes, int maxFutureBookings,
               @Nullable String allowedRateGroups, String approvalPolicy, int cancellationDeadlineHours,
               int noShowThreshold, int noShowBlockDays, boolean qualificationRequired, int authorisationExpiryDays,
               int waitlistOfferMinutes, long version, Instant now, long expectedVersion);

    /** The rate group codes of the bound tenant. */
    @Query("select code from rate_group order by code")
    List<String> rateGroupCodes();
}
