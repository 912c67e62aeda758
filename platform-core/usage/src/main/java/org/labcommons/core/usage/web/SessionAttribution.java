package org.labcommons.core.usage.web;

import io.micronaut.core.annotation.Nullable;
import org.labcommons.core.security.AuthenticatedUser;

import java.util.UUID;

/**
 * Attributes an unattributed usage session (power without identity, outside bookings) to a person and
 * optionally to a booking of the same instrument, with a reason; what the staff queue's form calls.
 * The same operation as {@code POST /api/v1/usage/sessions/{id}/attribution}.
 */
public interface SessionAttribution {
    /** The session after the attribution: its person, booking and link ({@code booked} or {@code unbooked}). */
    record Attributed(UUID sessionId, UUID instrumentId, UUID userId, @Nullable UUID bookingId, String link) {
    }

    /**
     * 404 when the session is not in the staff's acting tenant (or superseded), 403 when they do not manage
     * its instrument, 409 {@code session_already_attributed} when it is attributed already, 400
     * {@code validation_failed} for a blank or over-long reason or a booking of another instrument.
     */
    Attributed attribute(AuthenticatedUser staff, UUID sessionId, UUID userId, @Nullable UUID bookingId, String reason);
}
