package org.labcommons.core.booking;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;

/**
 * A place in an instrument's waitlist, a row of {@code booking_waitlist} as {@link WaitlistRows}
 * reads it ({@code id} alone is the repository's id: the RLS policy adds the tenant).
 */
@MappedEntity("booking_waitlist")
public record WaitlistRow(@Id UUID id, UUID instrumentId, UUID userId, Instant startsAt, Instant endsAt, String status,
                          Instant createdAt) {

    /** The entry as the API shows it, with its latest offer (or null), its times in {@code zone}. */
    Waitlist.Entry toEntry(Waitlist.Offer offer, ZoneId zone) {
        return new Waitlist.Entry(id, instrumentId, userId, Booking.at(startsAt, zone), Booking.at(endsAt, zone), status,
                offer, Booking.at(createdAt, zone));
    }
}
