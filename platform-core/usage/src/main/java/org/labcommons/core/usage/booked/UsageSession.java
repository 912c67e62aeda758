package org.labcommons.core.usage.booked;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import org.labcommons.core.booking.UsageRecords;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A usage session as the API shows it (docs/usage.md): the effective values (after the latest
 * staff correction or attribution, if any) at the top level, and the values as measured in
 * {@code measured} whenever a correction changed them. Times are ISO-8601 UTC.
 */
@Serdeable
public record UsageSession(UUID id, UUID instrumentId, String source, String status, Instant start,
                           @Nullable Instant end, long minutes, @Nullable UUID userId, @Nullable String identifiedBy,
                           @Nullable UUID bookingId, String link, int earlyMinutes, int overtimeMinutes, String grade,
                           @Nullable BigDecimal energyWh, @Nullable BigDecimal peakWatts, @Nullable UUID supersededBy,
                           long version, boolean corrected, @Nullable Measured measured) {

    /** The values as measured (or made from a booking or record), kept beside a correction. */
    @Serdeable
    public record Measured(Instant start, @Nullable Instant end, @Nullable UUID userId, @Nullable UUID bookingId,
                           String link, int earlyMinutes, int overtimeMinutes) {
    }

    /** A staff correction or attribution. */
    @Serdeable
    public record Correction(UUID id, Instant start, Instant end, @Nullable UUID userId, @Nullable UUID bookingId,
                             String reason, UUID correctedBy, Instant correctedAt) {
    }

    /**
     * One session with what it came from: its evidence (the events that opened, closed or identified it,
     * as JSON text), its corrections (oldest first) and the staff's usage records of its booking, kept
     * beside a measured session.
     */
    @Serdeable
    public record Detail(UsageSession session, String evidence, List<Correction> corrections,
                         List<UsageRecords.UsageRecord> records) {
    }

    /** The session of a view row: early start and overtime against its effective booking. */
    static UsageSession of(BookedRows.SessionView v) {
        boolean corrected = v.correctedAt() != null;
        int early = v.earlyMinutes();
        int overtime = v.overtimeMinutes();
        if (corrected) {
            early = v.bookingStart() == null ? 0 : minutesBetween(v.effStart(), v.bookingStart());
            overtime = v.bookingEnd() == null || v.effEnd() == null ? 0 : minutesBetween(v.bookingEnd(), v.effEnd());
        }
        Measured measured = corrected ? new Measured(v.startedAt(), v.endedAt(), v.userId(), v.bookingId(), v.link(),
                v.earlyMinutes(), v.overtimeMinutes()) : null;
        long minutes = v.effEnd() == null ? 0 : Duration.between(v.effStart(), v.effEnd()).toMinutes();
        return new UsageSession(v.id(), v.instrumentId(), v.source(), v.status(), v.effStart(), v.effEnd(), minutes,
                v.effUserId(), corrected ? "staff" : v.identifiedBy(), v.effBookingId(), v.effLink(), early, overtime,
                v.grade(), v.energyWh(), v.peakWatts(), v.supersededBy(), v.version(), corrected, measured);
    }

    /** Whole minutes from {@code a} to {@code b}, none when b is not after a. */
    static int minutesBetween(Instant a, Instant b) {
        return b.isAfter(a) ? (int) Duration.between(a, b).toMinutes() : 0;
    }
}
