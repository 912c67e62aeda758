package org.labcommons.core.events;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.labcommons.core.tenancy.TenantTransactions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

/**
 * The transactional outbox: {@link #append} writes an event in the caller's tenant-bound
 * transaction, so the event commits with the state change it describes and a rolled-back change
 * emits nothing. {@link OutboxRelay} later publishes committed events to Kafka.
 */
@Singleton
public class Outbox {
    private final JsonMapper json;

    public Outbox(JsonMapper json) {
        this.json = json;
    }

    /**
     * An event to append.
     *
     * @param topic            the versioned Kafka topic, e.g. {@code catalog.instrument.v1}
     * @param type             e.g. {@code catalog.instrument.created}
     * @param schemaVersion    version of the payload's schema
     * @param aggregateType    e.g. {@code instrument}
     * @param aggregateId      the record key on Kafka
     * @param aggregateVersion the aggregate's version after the change
     * @param payload          anything the JSON mapper can write (a map or a {@code @Serdeable} type)
     */
    public record Event(String topic, String type, int schemaVersion, String aggregateType, String aggregateId,
                        long aggregateVersion, Object payload) {
        public Event {
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(aggregateType, "aggregateType");
            Objects.requireNonNull(aggregateId, "aggregateId");
            Objects.requireNonNull(payload, "payload");
        }
    }

    /**
     * Appends {@code event} for the tenant bound to {@code connection}, which must come from
     * {@link TenantTransactions#inTenant}. Returns the envelope the relay will publish.
     */
    public EventEnvelope append(Connection connection, Event event) throws SQLException {
        UUID tenant = boundTenant(connection);
        UUID id = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        try {
            String payload = json.writeValueAsString(event.payload());
            try (PreparedStatement ps = connection.prepareStatement(
                    "insert into outbox_event (tenant_id, event_id, type, topic, schema_version, aggregate_type, "
                            + "aggregate_id, aggregate_version, occurred_at, payload) "
                            + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)")) {
                ps.setObject(1, tenant);
                ps.setObject(2, id);
                ps.setString(3, event.type());
                ps.setString(4, event.topic());
                ps.setInt(5, event.schemaVersion());
                ps.setString(6, event.aggregateType());
                ps.setString(7, event.aggregateId());
                ps.setLong(8, event.aggregateVersion());
                ps.setTimestamp(9, Timestamp.from(now));
                ps.setString(10, payload);
                ps.executeUpdate();
            }
            return new EventEnvelope(id, event.type(), event.schemaVersion(), tenant, event.aggregateType(),
                    event.aggregateId(), event.aggregateVersion(), now, json.readValue(payload, OutboxRelay.PAYLOAD));
        } catch (IOException e) {
            throw new UncheckedIOException("event payload is not serialisable", e);
        }
    }

    private static UUID boundTenant(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("select nullif(current_setting('app.tenant_id', true), '')::uuid");
             ResultSet rs = ps.executeQuery()) {
            UUID tenant = rs.next() ? rs.getObject(1, UUID.class) : null;
            if (tenant == null) {
                throw new IllegalStateException("no tenant is bound to this transaction; append inside TenantTransactions.inTenant");
            }
            return tenant;
        }
    }
}
