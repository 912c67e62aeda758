package org.labcommons.iot.devices;

import java.time.Instant;
import java.util.UUID;

/**
 * One device's status as the bridge saw it since its last write ({@link DeviceDirectory#recordActivity}).
 *
 * @param lastSeenAt    when the bridge last received something from it
 * @param bootId        the boot id of that message
 * @param lastSeq       its sequence number (the stored one only ever grows)
 * @param firmware      the firmware it reported, null for unchanged
 * @param online        online or offline (its state), null for unchanged
 * @param lastEventType the type of its last event, null for none in this batch
 * @param receivedDelta how many messages were received since the last write
 */
public record DeviceActivity(UUID tenantId, UUID deviceId, Instant lastSeenAt, String bootId, long lastSeq,
                             String firmware, Boolean online, String lastEventType, long receivedDelta) {
}
