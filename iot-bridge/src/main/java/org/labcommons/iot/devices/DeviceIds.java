package org.labcommons.iot.devices;

import java.security.SecureRandom;
import java.util.UUID;

/** Device ids: UUID version 7 (RFC 9562: 48-bit Unix milliseconds, then random bits), lower-case text. */
public final class DeviceIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private DeviceIds() {
    }

    /** A new version-7 UUID for the current time. */
    public static UUID newId() {
        long millis = System.currentTimeMillis();
        long high = (millis << 16) | 0x7000L | (RANDOM.nextInt() & 0x0FFFL);
        long low = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }
}
