package org.labcommons.core.usage.booked;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.OffsetDateTime;
import java.util.UUID;

/** Request bodies of the usage sessions API; checked by {@link UsageSessions} (field errors, problem+json). */
public final class SessionInputs {
    private SessionInputs() {
    }

    /**
     * A staff correction: the session's start and end and the reason are required; {@code userId} and
     * {@code bookingId} left out keep the session's current person and booking.
     */
    @Serdeable
    public record Correction(@Nullable OffsetDateTime start, @Nullable OffsetDateTime end, @Nullable UUID userId,
                             @Nullable UUID bookingId, @Nullable String reason) {
    }

    /** An unattributed session assigned to a person (required) and optionally one of their bookings. */
    @Serdeable
    public record Attribution(@Nullable UUID userId, @Nullable UUID bookingId, @Nullable String reason) {
    }
}
