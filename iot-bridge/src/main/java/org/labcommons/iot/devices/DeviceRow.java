package org.labcommons.iot.devices;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code devices} (V31). The key is (tenant_id, id); {@code id} alone is the repository's
 * id because the RLS policy adds the tenant to every statement. {@code createdAt} is the database's
 * {@code now()}. Never leaves the store's callers as it is: it holds the secret's hash.
 */
@MappedEntity("devices")
public record DeviceRow(UUID tenantId, @Id UUID id, String kind, String name, @Nullable UUID instrumentId,
                        @Nullable String room, @Nullable String firmware, String secretHash,
                        @Nullable Instant secretRotatedAt, @Nullable byte[] publicKey, @Nullable String claimCodeHash,
                        @Nullable Instant claimExpiresAt, @Nullable @GeneratedValue Instant createdAt,
                        @Nullable UUID createdBy, @Nullable Instant revokedAt, @Nullable UUID revokedBy,
                        @Nullable Instant lastSeenAt, @Nullable String lastBootId, @Nullable Long lastSeq,
                        boolean online, @Nullable String lastEventType, @Nullable Instant lastEventAt,
                        long receivedCount) {

    /** The device as pages and the API show it (no secret, no hashes). */
    public Device toDevice() {
        return new Device(id, tenantId, DeviceKind.of(kind).orElseThrow(), name, instrumentId, room, firmware,
                publicKey == null ? null : Device.encodeKey(publicKey), claimExpiresAt, createdAt, secretRotatedAt,
                revokedAt, lastSeenAt, lastBootId, lastSeq, online && revokedAt == null, lastEventType, lastEventAt,
                receivedCount);
    }
}
