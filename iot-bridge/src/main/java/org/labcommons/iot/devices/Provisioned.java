package org.labcommons.iot.devices;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * A device with what it is given once and never again: its secret and its config file (JSON, see
 * {@link DeviceConfig}), or, for a device created with a claim code, that code (the controller
 * claims its secret with it). The secret and the code are stored only as hashes.
 */
@Serdeable
public record Provisioned(Device device, @Nullable String secret, @Nullable String config, @Nullable String claimCode) {
}
