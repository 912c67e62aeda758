package org.labcommons.iot.devices;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.UUID;

/**
 * What an institution admin asks for when creating a device: its kind ({@link DeviceKind#code()}),
 * a name unique in the institution, the instrument it controls or the room it is in (one at least),
 * optionally its Ed25519 public key (base64url, 32 bytes), and whether a claim code should be issued
 * instead of credentials (the controller then claims them itself on first contact).
 */
@Serdeable
public record NewDevice(@Nullable String kind, @Nullable String name, @Nullable UUID instrumentId,
                        @Nullable String room, @Nullable String publicKey, @Nullable Boolean claimCode) {
}
