package org.labcommons.core.events;

import jakarta.inject.Singleton;

import java.util.List;

/**
 * The kernel's topics: tenant lifecycle, written by tenant administration and read by search and federation.
 * It also names the topics two modules share that cannot see each other's classes (iot-bridge and usage, which
 * depend on the kernel only and on booking respectively): their writers create them (they are not outbox topics,
 * so {@link #topics()} leaves them out and the relay does not create them).
 */
@Singleton
public class KernelTopics implements EventTopics {
    /** A member suspended or reactivated (docs/events.md). */
    public static final String TENANT_LIFECYCLE = "tenant.lifecycle.v1";
    /** Power samples from controllers, written by the IoT bridge (key device id; not envelopes: docs/events.md). */
    public static final String IOT_TELEMETRY = "iot.telemetry.v1";
    /** Everything else controllers say (events, state, command results, access requests), written by the IoT bridge. */
    public static final String IOT_EVENTS = "iot.events.v1";
    /** Compacted: who may use which instrument when, per instrument; written by usage, read by the bridge's interlock view. */
    public static final String ACCESS_GRANTS = "access.grants.v1";
    /** Every access decision the bridge made, written by the bridge, kept by usage. */
    public static final String ACCESS_DECISIONS = "access.decisions.v1";

    @Override
    public List<String> topics() {
        return List.of(TENANT_LIFECYCLE);
    }
}
