package org.labcommons.core.usage.sessions;

import io.micronaut.core.annotation.Introspected;

import java.time.Instant;
import java.util.UUID;

/** A booking of the instrument a session may link to (approved, checked in or marked no-show): whose, and when. */
@Introspected
public record BookingSlot(UUID bookingId, UUID userId, Instant startsAt, Instant endsAt) {
}
