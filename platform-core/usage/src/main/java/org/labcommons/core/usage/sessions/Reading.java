package org.labcommons.core.usage.sessions;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.Comparator;
import java.util.UUID;

/**
 * One stored device reading as the session builder needs it (a row of {@code device_reading}): a power
 * sample ({@code watts}) or an event; {@code userName} and {@code cardId} are the body's {@code user} and
 * {@code cardId} where the type has them ({@code pc.login}, {@code pc.logout}, {@code card.swipe},
 * {@code session.start}, {@code door.open}).
 *
 * @param at the reading's time on the platform's clock: the bridge's corrected time when it gave one, else the device's
 */
@Introspected
public record Reading(UUID deviceId, UUID eventId, UUID bootId, long seq, String type, Instant at,
                      @Nullable Double watts, @Nullable String userName, @Nullable String cardId, @Nullable String sig) {

    /**
     * The order readings are placed in: time, then the device's sequence (which only grows, across boots too, so a
     * boot run and its seq order the readings of one device), then the event id (replays give the same order).
     */
    public static final Comparator<Reading> ORDER = Comparator.comparing(Reading::at)
            .thenComparing(Reading::deviceId).thenComparingLong(Reading::seq).thenComparing(Reading::eventId);

    /** A power sample ({@code power.sample} with its watts). */
    public boolean isPower() {
        return watts != null && "power.sample".equals(type);
    }
}
