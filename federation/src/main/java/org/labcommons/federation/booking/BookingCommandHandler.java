package org.labcommons.federation.booking;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.labcommons.core.booking.BookingService;
import org.labcommons.core.booking.BookingService.HomeCancel;
import org.labcommons.core.booking.BookingTopics;
import org.labcommons.core.events.EventEnvelope;
import org.labcommons.core.events.PoisonEventException;
import org.labcommons.core.events.ReliableConsumer;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.federation.FederationTopics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.UUID;

/**
 * The owner side of the saga's compensation (docs/federation.md): consumes
 * {@code booking.command.v1} (group {@code federation.booking-commands}); a
 * {@code booking.cancel_requested} written by the requester's home tenant cancels the booking in
 * the owner's tenant through {@link BookingService#cancelForHome} (system actor, audited, the
 * requester and the staff notified, {@code booking.cancelled} on {@code booking.v1}). The home is
 * the command's envelope tenant (its outbox row was bound to it), and only a booking whose
 * requester's home is that tenant can be cancelled this way. Redelivery is harmless: a booking
 * that is no longer active is left alone. Poison commands go to {@code booking.command.v1.dlq}.
 */
@Singleton
@RequiresRole(PlatformRole.FEDERATION)
@Requires(property = "labcommons.federation.consumers-enabled", notEquals = "false")
public class BookingCommandHandler extends ReliableConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(BookingCommandHandler.class);
    private final BookingService bookings;
    private final JsonMapper json;

    public BookingCommandHandler(BookingService bookings, JsonMapper json, FederationSettings settings,
                                 @Value("${labcommons.kafka.bootstrap}") String bootstrap) {
        super("federation-booking-commands", settings.getCommandsGroup(), List.of(FederationTopics.BOOKING_COMMAND), bootstrap,
                settings.policy());
        this.bookings = bookings;
        this.json = json;
    }

    @Override
    protected List<String> topicsToCreate() {
        return List.of(FederationTopics.BOOKING_COMMAND, FederationTopics.BOOKING_COMMAND + DLQ_SUFFIX,
                BookingTopics.BOOKING + DLQ_SUFFIX);
    }

    @Override
    protected void handle(ConsumerRecord<String, String> record) {
        EventEnvelope command = OutsideBookingProjector.envelope(json, record);
        if (!OutsideBookingRecords.CANCEL_REQUESTED.equals(command.type())) {
            throw new PoisonEventException("unknown command type " + command.type());
        }
        apply(command);
    }

    /** Applies one cancel request; returns what the owner did. */
    public HomeCancel apply(EventEnvelope command) {
        TenantId home = new TenantId(command.tenantId());
        UUID bookingId;
        TenantId owner;
        try {
            bookingId = UUID.fromString(String.valueOf(command.payload().get("bookingId")));
            owner = new TenantId(UUID.fromString(String.valueOf(command.payload().get("ownerTenantId"))));
        } catch (IllegalArgumentException e) {
            throw new PoisonEventException("command lacks bookingId or ownerTenantId", e);
        }
        if (!bookingId.toString().equals(command.aggregateId())) {
            throw new PoisonEventException("command bookingId differs from its aggregate id");
        }
        Object detail = command.payload().get("detail");
        String reason = OutsideBookingRecords.HOME_REFUSED;
        String note = "home_refused" + (detail instanceof String d && d.matches("[a-z_]{1,40}") ? ": " + d : "");
        HomeCancel outcome = bookings.cancelForHome(owner, home, bookingId, reason, note);
        if (outcome != HomeCancel.CANCELLED) {
            LOG.info("federation: cancel request of booking {} from home {}: {}", bookingId, home, outcome);
        }
        return outcome;
    }
}
