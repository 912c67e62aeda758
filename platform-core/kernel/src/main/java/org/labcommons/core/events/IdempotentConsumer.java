package org.labcommons.core.events;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Runs an event handler at most once per (tenant, consumer, event id). The tenant comes from the
 * envelope and must match the record's {@code tenant-id} header; the handler runs in a
 * transaction bound to that tenant, in which the event is also recorded in {@code processed_event},
 * so the handler's writes and the record commit together. A redelivered record is skipped.
 * Read with {@code isolation.level=read_committed} (the default for micronaut-kafka consumers
 * here, see application.yml).
 */
@Singleton
public record IdempotentConsumer(TenantTransactions tenants, ProcessedEventRows processed, JsonMapper json) {
    private static final Logger LOG = LoggerFactory.getLogger(IdempotentConsumer.class);

    /** What happened to a record. */
    public enum Outcome {
        /** the handler ran and its transaction committed */
        HANDLED,
        /** this consumer had already processed the event; the handler did not run */
        DUPLICATE,
        /** the record is malformed or its tenant header does not match its envelope; not run */
        REJECTED
    }

    /** A handler's work, done with the tenant-bound connection of the transaction. */
    @FunctionalInterface
    public interface Handler {
        void handle(Connection tenantBoundConnection, EventEnvelope event) throws SQLException;
    }

    /**
     * Processes {@code record} (value: the envelope JSON as a String or bytes) for the consumer
     * named {@code consumer} (lower case, e.g. {@code search.instrument-projector}). A handler
     * exception rolls the transaction back and propagates, so the record can be retried.
     */
    public Outcome process(String consumer, ConsumerRecord<?, ?> record, Handler handler) {
        EventEnvelope event;
        try {
            event = json.readValue(valueBytes(record.value()), EventEnvelope.class);
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: record {}-{}@{} is not an event envelope; skipped ({})", consumer, record.topic(),
                    record.partition(), record.offset(), e.toString());
            return Outcome.REJECTED;
        }
        String headerTenant = EventHeaders.get(record.headers(), EventHeaders.TENANT_ID);
        if (headerTenant == null || !headerTenant.equals(event.tenantId().toString())) {
            LOG.warn("{}: record {}-{}@{} (event {}) has tenant-id header {} but envelope tenant {}; refused",
                    consumer, record.topic(), record.partition(), record.offset(), event.eventId(), headerTenant,
                    event.tenantId());
            return Outcome.REJECTED;
        }
        return tenants.inTenant(new TenantId(event.tenantId()), c -> {
            if (processed.recordFirst(consumer, event.eventId()) == 0) {
                return Outcome.DUPLICATE;
            }
            handler.handle(c, event);
            return Outcome.HANDLED;
        });
    }

    private static byte[] valueBytes(Object value) {
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        if (value instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        throw new IllegalArgumentException("record value is " + (value == null ? "null" : value.getClass().getName()));
    }
}
