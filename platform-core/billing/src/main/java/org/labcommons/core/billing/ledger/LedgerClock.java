package org.labcommons.core.billing.ledger;

import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The time the ledger posts at (and so the period a posting goes into). The system clock; specifications may set
 * another (a fixed or offset clock) to walk through months.
 */
@Singleton
public class LedgerClock {
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
