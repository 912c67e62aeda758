package org.labcommons.core.events;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.labcommons.core.tenancy.TenantTransactions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The transactional outbox: {@link #append} writes an event in the caller's tenant-bound
 * transaction, so the event commits with the state change it describes and a rolled-back change
 * emits nothing. {@link OutboxRelay} later publishes committed events to Kafka.
 */
@Singleton
public record Outbox(JsonMapper json) {
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
     *
     * <p>One statement ({@link OutboxRows#append}): the row takes its tenant from the transaction's {@code app.tenant_id}
     * itself (so an event can only ever be written for the bound tenant; the table's
     * {@code tenant_isolation} policy checks the same on insert), and with no tenant bound it
     * inserts nothing and this throws {@link IllegalStateException}. The envelope's payload is the
     * payload as the relay will read it back from the stored JSON, parsed only when first read
     * (callers on the request path do not read it).
     */
    public EventEnvelope append(Connection connection, Event event) throws SQLException {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String payload;
        try {
            payload = json.writeValueAsString(event.payload());
        } catch (IOException e) {
            throw new UncheckedIOException("event payload is not serialisable", e);
        }
        UUID tenant = OutboxRows.append(connection, id, event.type(), event.topic(), event.schemaVersion(),
                event.aggregateType(), event.aggregateId(), event.aggregateVersion(), now, payload);
        if (tenant == null) {
            throw new IllegalStateException("no tenant is bound to this transaction; append inside TenantTransactions.inTenant");
        }
        return new EventEnvelope(id, event.type(), event.schemaVersion(), tenant, event.aggregateType(),
                event.aggregateId(), event.aggregateVersion(), now, new StoredPayload(json, payload));
    }

    /**
     * The payload as a map, parsed from its stored JSON on first use (an unmodifiable view of what
     * {@link OutboxRelay} reads back and publishes), so an append whose envelope is not looked at
     * does not parse its own JSON again.
     */
    private static final class StoredPayload extends AbstractMap<String, Object> {
        private final JsonMapper json;
        private final String text;
        private volatile Map<String, Object> parsed;

        StoredPayload(JsonMapper json, String text) {
            this.json = json;
            this.text = text;
        }

        private Map<String, Object> parsed() {
            Map<String, Object> p = parsed;
            if (p == null) {
                try {
                    Map<String, Object> read = json.readValue(text, OutboxRelay.PAYLOAD);
                    p = Collections.unmodifiableMap(read == null ? Map.of() : read);
                } catch (IOException e) {
                    throw new UncheckedIOException("stored event payload is not readable", e);
                }
                parsed = p;
            }
            return p;
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return parsed().entrySet();
        }

        @Override
        public Object get(Object key) {
            return parsed().get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return parsed().containsKey(key);
        }

        @Override
        public int size() {
            return parsed().size();
        }
    }
}
