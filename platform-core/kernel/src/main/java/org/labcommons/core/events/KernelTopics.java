package org.labcommons.core.events;

import jakarta.inject.Singleton;

import java.util.List;

/** The kernel's topics: tenant lifecycle, written by tenant administration and read by search and federation. */
@Singleton
public class KernelTopics implements EventTopics {
    /** A member suspended or reactivated (docs/events.md). */
    public static final String TENANT_LIFECYCLE = "tenant.lifecycle.v1";

    @Override
    public List<String> topics() {
        return List.of(TENANT_LIFECYCLE);
    }
}
