package org.labcommons.core.booking;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

/**
 * A machine-time booking. Times are shown in the owning tenant's zone, with their offset;
 * {@code blockedUntil} is the end plus the buffer kept free from other users; {@code noShowOverturnedAt}
 * is set when staff overturned a no-show of this booking (it is {@code approved} again).
 */
@Serdeable
public record Booking(UUID id, UUID instrumentId, String status, OffsetDateTime start, OffsetDateTime end,
                      OffsetDateTime blockedUntil, UUID requesterUserId, UUID requesterTenantId,
                      @Nullable String accountCode, String rateGroup, boolean assisted, @Nullable String purpose,
                      @Nullable UUID seriesId, @Nullable Integer seriesIndex, @Nullable UUID decidedBy,
                      @Nullable OffsetDateTime decidedAt, @Nullable String decisionNote,
                      @Nullable OffsetDateTime cancelledAt, @Nullable OffsetDateTime checkedInAt,
                      @Nullable OffsetDateTime noShowAt, @Nullable UUID waitlistOfferId, long version,
                      OffsetDateTime createdAt, @Nullable OffsetDateTime noShowOverturnedAt) {

    /** Statuses that hold the slot (the exclusion constraints cover exactly these). */
    public static final List<String> ACTIVE = List.of("requested", "approved", "checked_in");

    public boolean active() {
        return ACTIVE.contains(status);
    }

    public Instant startInstant() {
        return start.toInstant();
    }

    public Instant endInstant() {
        return end.toInstant();
    }

    static OffsetDateTime at(Instant instant, ZoneId zone) {
        return instant == null ? null : instant.atZone(zone).toOffsetDateTime();
    }
}
