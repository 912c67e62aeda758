package org.labcommons.iot.interlock;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * One instrument's record of {@code access.grants.v1} as the interlock reads it (the JSON written by the usage
 * module's grant publisher; key {@code {tenantId}/instrument/{instrumentId}}): who may use it when, for the grant
 * window from {@code generatedAt} to {@code validUntil}.
 */
public record InstrumentGrants(UUID tenantId, UUID instrumentId, long version, Instant generatedAt, Instant validUntil,
                               boolean tenantActive, String instrumentStatus, boolean customsSupervised, Policy policy,
                               Set<UUID> authorised, List<BookingGrant> bookings, List<Block> blocks,
                               List<BlockedUser> blockedUsers, List<Override> overrides) {

    /** The instrument's interlock policy (defaults already applied by the publisher). */
    public record Policy(boolean walkUp, String failMode, int earlyGraceMin, int endGraceMin, int warnBeforeMin) {
    }

    /** An approved or checked-in booking; {@code userTenantId} is the booker's home tenant (differs for outside users). */
    public record BookingGrant(UUID bookingId, UUID userId, UUID userTenantId, Instant start, Instant end, String status) {
    }

    /** A time the calendar is closed (maintenance, closure). */
    public record Block(Instant start, Instant end, String reason) {
    }

    /** A person blocked from the instrument (no-shows) until a time. */
    public record BlockedUser(UUID userId, Instant until) {
    }

    /** A staff override: {@code unlock} or {@code lock} now, or {@code extend} the current use until a time. */
    public record Override(UUID id, String action, Instant until, String reason) {
    }
}
