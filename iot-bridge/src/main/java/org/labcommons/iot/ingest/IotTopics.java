package org.labcommons.iot.ingest;

import org.labcommons.core.events.KernelTopics;

import java.util.List;
import java.util.Optional;

/**
 * The Kafka topics the bridge writes (docs/events.md). The bridge creates them at start with
 * {@code labcommons.iot.ingest.partitions} partitions (they are not outbox topics: the outbox relay does
 * not create them).
 */
public final class IotTopics {
    /** Power samples: everything from {@code up/telemetry}. */
    public static final String TELEMETRY = KernelTopics.IOT_TELEMETRY;
    /** Everything else a device says: {@code up/event}, {@code up/state}, {@code up/cmd/res}, {@code up/auth/req}. */
    public static final String EVENTS = KernelTopics.IOT_EVENTS;
    /** Messages the bridge refused, with the reason ({@link DeadLetterReason}). */
    public static final String DEADLETTER = "iot.deadletter.v1";

    /** The uplink channels of LC-IC/1. */
    public static final List<String> CHANNELS = List.of("state", "telemetry", "event", "auth/req", "cmd/res");

    private IotTopics() {
    }

    public static List<String> all() {
        return List.of(TELEMETRY, EVENTS, DEADLETTER);
    }

    /** The topic a valid message of an uplink {@code channel} goes to; empty for a channel LC-IC/1 does not have. */
    public static Optional<String> forChannel(String channel) {
        if ("telemetry".equals(channel)) {
            return Optional.of(TELEMETRY);
        }
        return CHANNELS.contains(channel) ? Optional.of(EVENTS) : Optional.empty();
    }

    /** Whether a message of {@code channel} must be signed ({@code up/event}, {@code up/state}); others are verified when signed. */
    public static boolean signatureRequired(String channel) {
        return "event".equals(channel) || "state".equals(channel);
    }
}
