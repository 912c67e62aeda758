package org.labcommons.core.events;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What every event on Kafka carries as its value (JSON), whatever its topic: see docs/events.md.
 *
 * @param eventId          unique per event; consumers de-duplicate on it
 * @param type             dotted lower case, e.g. {@code catalog.instrument.created}
 * @param schemaVersion    version of {@code payload}'s schema for this type (starts at 1)
 * @param tenantId         the tenant whose state changed (also in the {@code tenant-id} header)
 * @param aggregateType    kind of the changed thing, e.g. {@code instrument}
 * @param aggregateId      its id; the Kafka record key, so one aggregate's events stay in order
 * @param aggregateVersion its version after the change
 * @param occurredAt       when the change was made
 * @param payload          the type-specific body
 */
@Serdeable
public record EventEnvelope(UUID eventId, String type, int schemaVersion, UUID tenantId, String aggregateType,
                            String aggregateId, long aggregateVersion, Instant occurredAt, Map<String, Object> payload) {
    public EventEnvelope {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(aggregateType, "aggregateType");
        Objects.requireNonNull(aggregateId, "aggregateId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        payload = payload == null ? Map.of() : payload;
    }
}
