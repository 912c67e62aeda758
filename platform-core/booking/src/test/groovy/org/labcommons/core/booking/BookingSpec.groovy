package org.labcommons.core.booking

import jakarta.inject.Inject
import org.labcommons.testkit.PlatformSpec
import spock.lang.Shared

import java.time.Clock
import java.time.Instant
import java.time.ZoneOffset

/**
 * The base of the booking specifications: the platform ({@link PlatformSpec}), the two institutions
 * of {@link BookingFixture} made once per specification, and the booking clock fixed at {@link #NOW}
 * for every feature (and set free after it) unless {@link #fixedAt()} says otherwise. A specification
 * arranges more of its shared data in {@link #arrangeOnce()}, which runs once, right after the
 * fixture is made.
 */
abstract class BookingSpec extends PlatformSpec {
    /** The booking clock of every feature unless it moves it: 2030-03-04T00:00Z (08:00 in Shanghai). */
    static final Instant NOW = Instant.parse('2030-03-04T00:00:00Z')

    @Inject BookingClock clock
    @Shared BookingFixture f

    /** More shared data of the specification, arranged once (the clock is at {@link #fixedAt()}). */
    void arrangeOnce() {
    }

    /** Where the booking clock stands at the start of each feature: {@link #NOW}; null leaves it at the real time. */
    Instant fixedAt() {
        NOW
    }

    def setup() {
        Instant at = fixedAt()
        if (at != null) {
            clock.set(Clock.fixed(at, ZoneOffset.UTC))
        }
        if (f == null) {
            f = new BookingFixture(ctx)
            arrangeOnce()
        }
    }

    def cleanup() {
        clock.set(null)
    }
}
