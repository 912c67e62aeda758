package org.labcommons.iot.ingest;

import org.labcommons.iot.devices.DeviceActivity;
import org.labcommons.iot.devices.DeviceDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Coalesces what the bridge saw of each device (last seen, boot id, highest seq, firmware, online, last event
 * type, count) and writes it with {@link DeviceDirectory#recordActivity} every {@code activity-interval}: one
 * row update per active device per interval, however many messages it sent. A failed write (database down)
 * is merged back and written with the next one. Activity is status, not data: it is not part of the
 * no-loss guarantee (the messages themselves are in Kafka).
 */
final class ActivityRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(ActivityRecorder.class);

    private final DeviceDirectory directory;
    private final Map<UUID, DeviceActivity> pending = new ConcurrentHashMap<>();

    ActivityRecorder(DeviceDirectory directory) {
        this.directory = directory;
    }

    /** Notes one valid message of a device. */
    void note(UUID tenantId, UUID deviceId, Instant receivedAt, String bootId, long seq, String firmware,
              Boolean online, String eventType) {
        DeviceActivity one = new DeviceActivity(tenantId, deviceId, receivedAt, bootId, seq, firmware, online, eventType, 1);
        pending.merge(deviceId, one, ActivityRecorder::merge);
    }

    /** Writes what was noted since the last flush; returns how many devices were written. */
    int flush() {
        if (pending.isEmpty()) {
            return 0;
        }
        List<DeviceActivity> batch = new ArrayList<>(pending.size());
        for (UUID id : List.copyOf(pending.keySet())) {
            DeviceActivity a = pending.remove(id);
            if (a != null) {
                batch.add(a);
            }
        }
        try {
            directory.recordActivity(batch);
            return batch.size();
        } catch (RuntimeException e) {
            LOG.warn("device activity not written ({} devices), kept for the next write: {}", batch.size(), e.toString());
            // older (batch) first, so what arrived since stays the newer side of the merge
            batch.forEach(a -> pending.merge(a.deviceId(), a, (newer, older) -> merge(older, newer)));
            return 0;
        }
    }

    int pendingDevices() {
        return pending.size();
    }

    /** {@code a} noted before {@code b}. */
    static DeviceActivity merge(DeviceActivity a, DeviceActivity b) {
        boolean bLater = !b.lastSeenAt().isBefore(a.lastSeenAt());
        DeviceActivity later = bLater ? b : a;
        boolean bHigher = b.lastSeq() >= a.lastSeq();
        return new DeviceActivity(later.tenantId(), later.deviceId(), later.lastSeenAt(),
                bHigher ? b.bootId() : a.bootId(), Math.max(a.lastSeq(), b.lastSeq()),
                b.firmware() != null ? b.firmware() : a.firmware(),
                b.online() != null ? b.online() : a.online(),
                b.lastEventType() != null ? b.lastEventType() : a.lastEventType(),
                a.receivedDelta() + b.receivedDelta());
    }
}
