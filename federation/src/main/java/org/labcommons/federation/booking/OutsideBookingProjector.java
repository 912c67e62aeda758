package org.labcommons.federation.booking;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.labcommons.core.booking.BookingTopics;
import org.labcommons.core.events.EventEnvelope;
import org.labcommons.core.events.PoisonEventException;
import org.labcommons.core.events.ReliableConsumer;
import org.labcommons.core.events.EventHeaders;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The home side of the cross-institution booking saga (docs/federation.md): consumes
 * {@code booking.v1} (group {@code federation.outside-bookings}) and hands every booking event
 * whose requester's home tenant differs from the owner tenant to {@link OutsideBookingRecords#apply},
 * which writes the linked record in the home tenant (and, when the home refuses, the compensation
 * command) in one transaction bound to the home tenant. Offsets are committed after that
 * transaction; poison records go to {@code booking.v1.dlq}.
 */
@Singleton
@RequiresRole(PlatformRole.FEDERATION)
@Requires(property = "labcommons.federation.consumers-enabled", notEquals = "false")
public class OutsideBookingProjector extends ReliableConsumer {
    private final OutsideBookingRecords outsideBookings;
    private final JsonMapper json;

    public OutsideBookingProjector(OutsideBookingRecords outsideBookings, JsonMapper json, FederationSettings settings,
                                   @Value("${labcommons.kafka.bootstrap}") String bootstrap) {
        super("federation-outside-bookings", settings.getOutsideBookingsGroup(), List.of(BookingTopics.BOOKING), bootstrap,
                settings.policy());
        this.outsideBookings = outsideBookings;
        this.json = json;
    }

    @Override
    protected void handle(ConsumerRecord<String, String> record) {
        EventEnvelope event = envelope(json, record);
        if (!"booking".equals(event.aggregateType()) || !event.type().startsWith("booking.")) {
            return; // waitlist offers and usage records: not mirrored
        }
        outsideBookings.apply(event);
    }

    /** The record's envelope; a record that is not one, or whose tenant header differs, is poison. */
    public static EventEnvelope envelope(JsonMapper json, ConsumerRecord<String, String> record) {
        EventEnvelope event;
        try {
            if (record.value() == null) {
                throw new PoisonEventException("record has no value");
            }
            event = json.readValue(record.value().getBytes(StandardCharsets.UTF_8), EventEnvelope.class);
        } catch (IOException | RuntimeException e) {
            if (e instanceof PoisonEventException p) {
                throw p;
            }
            throw new PoisonEventException("not an event envelope: " + e.getMessage(), e);
        }
        String header = EventHeaders.get(record.headers(), EventHeaders.TENANT_ID);
        if (header == null || !header.equals(event.tenantId().toString())) {
            throw new PoisonEventException("tenant-id header " + header + " differs from the envelope's " + event.tenantId());
        }
        return event;
    }
}
