package org.labcommons.iot.devices;

import java.util.UUID;

/**
 * What the broker and the bridge need about a device, looked up across tenants through the
 * reviewed {@code device_credential} function (V31): whose it is, what it is, its secret's slow
 * hash ({@link DeviceSecrets#matches}), its Ed25519 public key (32 raw bytes, or null before one is
 * registered) and whether it is revoked.
 */
public record DeviceCredential(UUID deviceId, UUID tenantId, DeviceKind kind, String secretHash,
                               byte[] publicKey, boolean revoked) {
}
