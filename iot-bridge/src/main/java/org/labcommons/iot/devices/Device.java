package org.labcommons.iot.devices;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * An instrument controller as pages and the API show it: never its secret or any hash.
 *
 * @param publicKey      its Ed25519 public key, base64url without padding, null before one is registered
 * @param claimExpiresAt while its claim code is open (not yet claimed), when that code expires
 * @param online         what its last state said (false once revoked)
 */
@Serdeable
public record Device(UUID id, UUID tenantId, DeviceKind kind, String name, @Nullable UUID instrumentId,
                     @Nullable String room, @Nullable String firmware, @Nullable String publicKey,
                     @Nullable Instant claimExpiresAt, @Nullable Instant createdAt, @Nullable Instant secretRotatedAt,
                     @Nullable Instant revokedAt, @Nullable Instant lastSeenAt, @Nullable String lastBootId,
                     @Nullable Long lastSeq, boolean online, @Nullable String lastEventType,
                     @Nullable Instant lastEventAt, long receivedCount) {

    /** Whether the device is revoked (refused by the broker). */
    public boolean revoked() {
        return revokedAt != null;
    }

    /** Whether it waits for a controller to claim it with its code. */
    public boolean claimPending() {
        return claimExpiresAt != null;
    }

    static String encodeKey(byte[] key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }
}
