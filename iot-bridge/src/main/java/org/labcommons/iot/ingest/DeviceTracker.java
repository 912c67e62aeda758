package org.labcommons.iot.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the bridge remembers per device to flag anomalies, in memory and bounded: the highest sequence
 * number seen, the last {@code duplicate-window} event ids, and the clock offset of its last live message.
 * One tracker per lane, used only by that lane's thread (a device always goes through the same lane).
 * The least recently seen devices are forgotten beyond {@code max-devices}; a forgotten device starts
 * afresh (no gap is reported against what was forgotten).
 * <ul>
 *   <li>{@code duplicate}: the event id is among the device's recent ones (the record is still forwarded: a
 *       consumer de-duplicates on (tenant, device, eventId));</li>
 *   <li>{@code gap}: the sequence number is more than one above the highest seen (the missing ones may still
 *       come: a replay, or out-of-order delivery; a lower one is not an anomaly);</li>
 *   <li>{@code clock_skew}: received − device time of a live message beyond {@code skew-anomaly}.
 *       {@code historical} messages (replayed from the device's buffer) are not measured: their offset is the
 *       device's last live one, if known.</li>
 * </ul>
 */
final class DeviceTracker {
    /** The verdict for one message. */
    record Observation(List<String> anomalies, Long skewMs, Instant correctedTime, long gapMissing) {
    }

    private static final class Track {
        final long[] ids;
        int next;
        int size;
        long maxSeq = Long.MIN_VALUE;
        Long offsetMs;

        Track(int window) {
            ids = new long[window * 2];
        }

        boolean seen(UUID id) {
            long hi = id.getMostSignificantBits();
            long lo = id.getLeastSignificantBits();
            for (int i = 0; i < size; i++) {
                if (ids[2 * i] == hi && ids[2 * i + 1] == lo) {
                    return true;
                }
            }
            return false;
        }

        void remember(UUID id) {
            ids[2 * next] = id.getMostSignificantBits();
            ids[2 * next + 1] = id.getLeastSignificantBits();
            next = (next + 1) % (ids.length / 2);
            size = Math.min(size + 1, ids.length / 2);
        }
    }

    private final int window;
    private final long correctMs;
    private final long anomalyMs;
    private final Map<UUID, Track> tracks;

    DeviceTracker(int maxDevices, int window, Duration skewCorrect, Duration skewAnomaly) {
        this.window = window;
        this.correctMs = skewCorrect.toMillis();
        this.anomalyMs = skewAnomaly.toMillis();
        this.tracks = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, Track> eldest) {
                return size() > maxDevices;
            }
        };
    }

    Observation observe(UUID deviceId, UUID eventId, long seq, Instant deviceTime, boolean historical, Instant receivedAt) {
        Track t = tracks.computeIfAbsent(deviceId, id -> new Track(window));
        List<String> anomalies = new ArrayList<>(2);
        long missing = 0;
        if (t.seen(eventId)) {
            anomalies.add("duplicate");
        } else {
            t.remember(eventId);
            if (t.maxSeq != Long.MIN_VALUE && seq > t.maxSeq + 1) {
                missing = seq - t.maxSeq - 1;
                anomalies.add("gap");
            }
            t.maxSeq = Math.max(t.maxSeq, seq);
        }
        Long skew = null;
        if (!historical && deviceTime != null) {
            skew = receivedAt.toEpochMilli() - deviceTime.toEpochMilli();
            t.offsetMs = skew;
            if (Math.abs(skew) > anomalyMs) {
                anomalies.add("clock_skew");
            }
        } else if (historical) {
            skew = t.offsetMs;
        }
        Instant corrected = skew != null && deviceTime != null && Math.abs(skew) > correctMs
                ? deviceTime.plusMillis(skew) : null;
        return new Observation(List.copyOf(anomalies), skew, corrected, missing);
    }

    int size() {
        return tracks.size();
    }
}
