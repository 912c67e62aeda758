package org.labcommons.core.booking;

import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The time the booking rules are judged by (notice, horizon, deadlines, expiry). The system clock;
 * specifications may set another (a fixed or offset clock) to test time-based rules.
 */
@Singleton
public class BookingClock {
    private volatile Clock clock = Clock.systemUTC();

    /** Now, to the microsecond (what PostgreSQL stores). */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** Replaces the clock (tests); {@code null} restores the system clock. */
    public void set(Clock replacement) {
        this.clock = replacement == null ? Clock.systemUTC() : replacement;
    }
}
