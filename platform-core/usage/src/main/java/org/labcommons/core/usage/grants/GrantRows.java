package org.labcommons.core.usage.grants;

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
 * What an instrument's grant record is read from: the catalogue's instrument (status, customs supervision), the
 * tenant registry's status, booking's bookings and no-show blocks, usage's overrides; and which instruments the
 * refresh republishes. Runs inside the caller's tenant-bound transaction (RLS limits every tenant-owned table to
 * the bound tenant); {@link #tenants()} reads the global registry.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface GrantRows extends GenericRepository<GrantRows.InstrumentFacts, UUID> {

    /** What the record says about the instrument itself. */
    @MappedEntity("instrument")
    record InstrumentFacts(@Id UUID id, String status, boolean customsSupervised) {
    }

    /** The bound tenant's registry status. */
    @Introspected
    record TenantFacts(String status) {
    }

    /** An approved or checked-in booking. */
    @Introspected
    record BookingLine(UUID bookingId, UUID userId, UUID userTenantId, Instant startsAt, Instant endsAt, String status) {
    }

    /** A user blocked from the instrument (no-shows) until {@code until}. */
    @Introspected
    record BlockedLine(UUID userId, Instant until) {
    }

    /** A staff override of the interlock in force. */
    @Introspected
    record OverrideLine(UUID id, String action, @Nullable Instant until, String reason) {
    }

    @Query("select id, status, customs_supervised from instrument where id = :instrumentId")
    Optional<InstrumentFacts> instrument(UUID instrumentId);

    @Query("select status from tenant where id = app_tenant()")
    Optional<TenantFacts> tenant();

    /** Approved and checked-in bookings overlapping [from, to), by start. */
    @Query("select id as booking_id, requester_user_id as user_id, requester_tenant_id as user_tenant_id, starts_at, "
            + "ends_at, status from booking where instrument_id = :instrumentId and status in ('approved', 'checked_in') "
            + "and starts_at < :to and ends_at > :from order by starts_at limit 5000")
    List<BookingLine> bookings(UUID instrumentId, Instant from, Instant to);

    /** Users blocked from the instrument at some moment of [now, to), each with the end of their latest block. */
    @Query("select user_id, max(blocked_until) as until from booking_block where instrument_id = :instrumentId "
            + "and blocked_from < :to and blocked_until > :now group by user_id order by user_id")
    List<BlockedLine> blockedUsers(UUID instrumentId, Instant now, Instant to);

    /** Overrides not revoked and not expired at {@code now}, oldest first. */
    @Query("select id, action, until, reason from interlock_override where instrument_id = :instrumentId "
            + "and revoked_at is null and (until is null or until > :now) order by created_at, id")
    List<OverrideLine> overrides(UUID instrumentId, Instant now);

    /** Instruments whose devices reported since {@code since}. */
    @Query("select distinct instrument_id from device_reading where instrument_id is not null and at > :since")
    List<UUID> reporting(Instant since);

    /** Instruments with an approved or checked-in booking overlapping [from, to). */
    @Query("select distinct instrument_id from booking where status in ('approved', 'checked_in') "
            + "and starts_at < :to and ends_at > :from")
    List<UUID> booked(Instant from, Instant to);

    /** Instruments with a policy row or an override not revoked. */
    @Query("select instrument_id from usage_policy union select instrument_id from interlock_override "
            + "where revoked_at is null")
    List<UUID> configured();

    /** Institutions that are active or suspended (the global registry: no tenant bound needed). */
    @Query("select id from tenant where kind = 'institution' and status in ('active', 'suspended') order by id")
    List<UUID> tenants();
}
