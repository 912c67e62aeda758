package org.labcommons.core.health;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A health indicator that probes one dependency: {@link #probe} writes what it learnt into the details
 * and says whether the dependency is up; an exception means down, with its message as {@code error}.
 */
public abstract class ProbeHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {
    private final String name;

    protected ProbeHealthIndicator(String name) {
        this.name = name;
    }

    /** Asks the dependency, adds to {@code details}, and answers whether it is up. */
    protected abstract boolean probe(Map<String, Object> details) throws Exception;

    @Override
    protected final Map<String, Object> getHealthInformation() {
        Map<String, Object> details = new LinkedHashMap<>();
        try {
            healthStatus = probe(details) ? HealthStatus.UP : HealthStatus.DOWN;
        } catch (Exception e) {
            healthStatus = HealthStatus.DOWN;
            details.put("error", String.valueOf(e.getMessage()));
        }
        return details;
    }

    @Override
    public String getName() {
        return name;
    }
}
