package org.labcommons.devstack;

import java.util.Map;

/**
 * One piece of real infrastructure started for development or tests (PostgreSQL, Kafka,
 * Elasticsearch, the MQTT broker, the identity provider).
 *
 * <p>The application never sees an {@code InfraService}: it only sees the configuration
 * properties the service hands out once started (JDBC URL, bootstrap servers, URLs), which are
 * the same properties an operator sets for external services in production.
 */
public interface InfraService extends AutoCloseable {

    /** Short name used in logs and in {@code dev-endpoints.json}, e.g. {@code postgresql}. */
    String name();

    /** Starts the service and blocks until it accepts clients. Called once. */
    void start() throws Exception;

    /** Application properties pointing at the running service (valid after {@link #start()}). */
    Map<String, String> properties();

    /** Human-facing endpoints (name to URL) printed when the dev stack is ready. */
    default Map<String, String> endpoints() {
        return Map.of();
    }

    /** Stops the service and its child processes; must be safe to call more than once. */
    @Override
    void close();
}
