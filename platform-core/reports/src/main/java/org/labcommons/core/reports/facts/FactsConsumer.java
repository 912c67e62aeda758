package org.labcommons.core.reports.facts;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.labcommons.core.billing.BillingTopics;
import org.labcommons.core.booking.BookingTopics;
import org.labcommons.core.events.IdempotentConsumer;
import org.labcommons.core.events.PoisonEventException;
import org.labcommons.core.events.ReliableConsumer;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.usage.UsageTopics;

import java.util.List;

/**
 * Feeds the rollups (group {@code reports.facts}): {@code usage.session.v1}, {@code booking.v1}, {@code sample.v1}
 * and {@code billing.charge.v1}. Each record goes through the kernel's {@link IdempotentConsumer} (once per event id;
 * the handler {@link FactsProjector#handle} runs in the same tenant transaction as the processed mark); the loop is a
 * {@link ReliableConsumer} (offsets committed after that transaction; transient failures retried; a record that is
 * no envelope of its tenant, or keeps failing, goes to {@code <topic>.dlq}), as billing's {@code ChargeConsumer}.
 */
@Singleton
@RequiresRole(PlatformRole.CORE)
@Requires(property = "labcommons.reports.facts.consumer-enabled", notEquals = "false")
public class FactsConsumer extends ReliableConsumer {
    private final IdempotentConsumer idempotent;
    private final FactsProjector projector;
    private final String group;

    public FactsConsumer(IdempotentConsumer idempotent, FactsProjector projector, FactsSettings settings,
                         @Value("${labcommons.kafka.bootstrap}") String bootstrap) {
        super("reports-facts", settings.getGroup(),
                List.of(UsageTopics.USAGE_SESSION, BookingTopics.BOOKING, BookingTopics.SAMPLE, BillingTopics.CHARGE),
                bootstrap, settings.policy());
        this.idempotent = idempotent;
        this.projector = projector;
        this.group = settings.getGroup();
    }

    @Override
    protected void handle(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            throw new PoisonEventException("record has no value");
        }
        if (idempotent.process(group, record, projector::handle) == IdempotentConsumer.Outcome.REJECTED) {
            throw new PoisonEventException("not an event envelope of its tenant");
        }
    }
}
