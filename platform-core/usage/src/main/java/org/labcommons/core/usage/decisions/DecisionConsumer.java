package org.labcommons.core.usage.decisions;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.labcommons.core.events.KernelTopics;
import org.labcommons.core.events.OutboxSettings;
import org.labcommons.core.events.PoisonEventException;
import org.labcommons.core.events.ReliableConsumer;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.tenancy.TenantId;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Keeps the interlock's decisions: consumes {@code access.decisions.v1} (group {@value #GROUP}; JSON of the issue 16
 * contract, written by the IoT bridge) and stores each in {@code access_decision} in the decision's tenant, once
 * (on conflict do nothing: a redelivery or a second answer to the same request changes nothing). Offsets are
 * committed after the transaction ({@link ReliableConsumer}): while PostgreSQL is down the records wait in Kafka and
 * arrive when it is back. A record that is not a decision goes to {@code access.decisions.v1.dlq}. Topic settings
 * (partitions, replication, backoff) are the outbox's.
 */
@Singleton
@RequiresRole(PlatformRole.CORE)
public class DecisionConsumer extends ReliableConsumer {
    public static final String GROUP = "usage.decisions";
    private static final Argument<Map<String, Object>> MAP = Argument.mapOf(String.class, Object.class);

    private final AccessDecisions decisions;
    private final JsonMapper json;

    public DecisionConsumer(AccessDecisions decisions, JsonMapper json, OutboxSettings outbox,
                            @Value("${labcommons.kafka.bootstrap}") String bootstrap) {
        super("usage-decisions", GROUP, List.of(KernelTopics.ACCESS_DECISIONS), bootstrap,
                new Policy(5, outbox.getMaxBackoff(), outbox.getPartitions(), outbox.getReplicationFactor()));
        this.decisions = decisions;
        this.json = json;
    }

    @Override
    protected void handle(ConsumerRecord<String, String> record) {
        DecisionRows.Row row = parse(json, record.value());
        decisions.record(new TenantId(row.tenantId()), row);
    }

    /** The decision in a record's value; anything else is poison. */
    static DecisionRows.Row parse(JsonMapper json, String value) {
        if (value == null) {
            throw new PoisonEventException("record has no value");
        }
        try {
            Map<String, Object> m = json.readValue(value.getBytes(StandardCharsets.UTF_8), MAP);
            return new DecisionRows.Row(uuid(m, "requestId", true), uuid(m, "tenantId", true), uuid(m, "deviceId", true),
                    uuid(m, "instrumentId", false), text(m, "method"), text(m, "purpose"), uuid(m, "userId", false),
                    text(m, "decision"), m.get("reason") == null ? null : m.get("reason").toString(),
                    uuid(m, "bookingId", false), uuid(m, "sessionId", false), Instant.parse(text(m, "decidedAt")),
                    m.get("viewVersion") instanceof Number n ? n.longValue() : null);
        } catch (IOException | RuntimeException e) {
            if (e instanceof PoisonEventException p) {
                throw p;
            }
            throw new PoisonEventException("not an access decision: " + e.getMessage(), e);
        }
    }

    private static UUID uuid(Map<String, Object> m, String field, boolean required) {
        Object o = m.get(field);
        if (o == null) {
            if (required) {
                throw new PoisonEventException(field + " is missing");
            }
            return null;
        }
        return UUID.fromString(o.toString());
    }

    private static String text(Map<String, Object> m, String field) {
        Object o = m.get(field);
        if (o == null) {
            throw new PoisonEventException(field + " is missing");
        }
        return o.toString();
    }
}
