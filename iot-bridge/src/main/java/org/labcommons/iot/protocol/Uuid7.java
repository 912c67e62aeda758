package org.labcommons.iot.protocol;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits; what {@code eventId} is.
 * The random bits need to be unique, not secret (an event id authorises nothing), so they come from
 * the fast per-thread generator rather than a cryptographic one.
 */
public final class Uuid7 {
    private Uuid7() {
    }

    public static UUID next() {
        return at(Instant.now());
    }

    public static UUID at(Instant time) {
        long millis = time.toEpochMilli();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long randA = random.nextInt(1 << 12);
        long high = (millis << 16) | 0x7000L | randA;
        long low = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(high, low);
    }
}
