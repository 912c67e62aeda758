package org.labcommons.core.usage.grants;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.labcommons.core.booking.BookingTopics;
import org.labcommons.core.catalog.CatalogueTopics;
import org.labcommons.core.events.EventEnvelope;
import org.labcommons.core.events.KernelTopics;
import org.labcommons.core.events.PoisonEventException;
import org.labcommons.core.events.ReliableConsumer;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.tenancy.TenantId;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * What makes the grant publisher republish (group {@code usage.grants}): every event of {@code booking.v1} that
 * names an instrument (bookings, {@code qualification.granted}/{@code revoked}, usage records) republishes that
 * instrument; {@code catalog.instrument.v1} the instrument it is about (status, customs supervision); a
 * {@code tenant.lifecycle.v1} event the tenant's record and its instruments (active or not). The offset is committed
 * after Kafka acknowledged the new records ({@link ReliableConsumer}); a record that is not an envelope goes to
 * {@code <topic>.dlq}.
 */
@Singleton
@RequiresRole(PlatformRole.CORE)
@Requires(property = "labcommons.usage.grants.enabled", notEquals = "false")
public class GrantTriggers extends ReliableConsumer {
    private final GrantPublisher publisher;
    private final JsonMapper json;

    public GrantTriggers(GrantPublisher publisher, JsonMapper json, GrantSettings settings,
                         @Value("${labcommons.kafka.bootstrap}") String bootstrap) {
        super("usage-grants", settings.getGroup(),
                List.of(BookingTopics.BOOKING, KernelTopics.TENANT_LIFECYCLE, CatalogueTopics.INSTRUMENT), bootstrap,
                settings.policy());
        this.publisher = publisher;
        this.json = json;
    }

    @Override
    protected void handle(ConsumerRecord<String, String> record) {
        EventEnvelope event = envelope(record);
        TenantId tenant = new TenantId(event.tenantId());
        switch (record.topic()) {
            case KernelTopics.TENANT_LIFECYCLE -> {
                Object member = event.payload().get("tenantId");
                TenantId changed = member == null ? tenant : new TenantId(UUID.fromString(member.toString()));
                publisher.tenant(changed);
                for (UUID instrument : publisher.instrumentsToRefresh(changed)) {
                    publisher.republish(changed, instrument);
                }
            }
            case CatalogueTopics.INSTRUMENT -> {
                if ("instrument".equals(event.aggregateType())) {
                    publisher.republish(tenant, UUID.fromString(event.aggregateId()));
                }
            }
            default -> {
                Object instrument = event.payload().get("instrumentId");
                if (instrument != null) {
                    publisher.republish(tenant, UUID.fromString(instrument.toString()));
                }
            }
        }
    }

    private EventEnvelope envelope(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            throw new PoisonEventException("record has no value");
        }
        try {
            return json.readValue(record.value().getBytes(StandardCharsets.UTF_8), EventEnvelope.class);
        } catch (IOException | RuntimeException e) {
            throw new PoisonEventException("not an event envelope: " + e.getMessage(), e);
        }
    }
}
