package org.labcommons.core.usage.sessions;

import io.micronaut.core.annotation.Nullable;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A usage session as {@link SessionBuilder} derives it from an instrument's readings (source {@code device}).
 * {@code end} is null while the session is {@code open} (power still on, not yet off for {@code off-after}).
 */
public record BuiltSession(UUID id, UUID instrumentId, String status, Instant start, @Nullable Instant end,
                           @Nullable UUID userId, @Nullable String identifiedBy, @Nullable UUID bookingId, String link,
                           int earlyMinutes, int overtimeMinutes, String grade, BigDecimal energyWh, BigDecimal peakWatts,
                           List<Evidence> evidence) {
    public static final String OPEN = "open";
    public static final String CLOSED = "closed";
    public static final String SUPERSEDED = "superseded";
    public static final String SOURCE = "device";

    /** Whole minutes from start to end (0 while open). */
    public long minutes() {
        return end == null ? 0 : java.time.Duration.between(start, end).toMinutes();
    }

    /** The evidence as stored (JSON objects). */
    public List<Map<String, Object>> evidenceMaps() {
        return evidence.stream().map(Evidence::toMap).toList();
    }
}
