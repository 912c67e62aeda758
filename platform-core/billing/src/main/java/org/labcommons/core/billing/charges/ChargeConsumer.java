package org.labcommons.core.billing.charges;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.labcommons.core.booking.BookingTopics;
import org.labcommons.core.events.IdempotentConsumer;
import org.labcommons.core.events.PoisonEventException;
import org.labcommons.core.events.ReliableConsumer;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.usage.UsageTopics;

import java.util.List;

/**
 * Rates charges from events (group {@code billing.charges}): {@code usage.session.v1}, {@code booking.v1},
 * {@code sample.v1}. Each record goes through the kernel's {@link IdempotentConsumer} (once per event id, the
 * handler {@link ChargeRating#handle} in the same tenant transaction as the processed mark); the loop is a
 * {@link ReliableConsumer} (offsets committed after that transaction; transient failures retried; a record that is
 * no envelope, or keeps failing, goes to {@code <topic>.dlq}).
 */
@Singleton
@RequiresRole(PlatformRole.CORE)
@Requires(property = "labcommons.billing.charges.consumer-enabled", notEquals = "false")
public class ChargeConsumer extends ReliableConsumer {
    private final IdempotentConsumer idempotent;
    private final ChargeRating rating;
    private final String group;

    public ChargeConsumer(IdempotentConsumer idempotent, ChargeRating rating, ChargeSettings settings,
                          @Value("${labcommons.kafka.bootstrap}") String bootstrap) {
        super("billing-charges", settings.getGroup(),
                List.of(UsageTopics.USAGE_SESSION, BookingTopics.BOOKING, BookingTopics.SAMPLE), bootstrap,
                settings.policy());
        this.idempotent = idempotent;
        this.rating = rating;
        this.group = settings.getGroup();
    }

    @Override
    protected void handle(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            throw new PoisonEventException("record has no value");
        }
        if (idempotent.process(group, record, rating::handle) == IdempotentConsumer.Outcome.REJECTED) {
            throw new PoisonEventException("not an event envelope of its tenant");
        }
    }
}
