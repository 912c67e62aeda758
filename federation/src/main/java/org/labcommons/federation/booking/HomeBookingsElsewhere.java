package org.labcommons.federation.booking;

import jakarta.inject.Singleton;
import org.labcommons.core.booking.BookingsElsewhere;
import org.labcommons.core.security.AuthenticatedUser;

import java.time.Instant;

/**
 * platform-core's {@link BookingsElsewhere} port: the "my bookings" page's section of bookings held
 * at other institutions, read from the home's linked records ({@code outside_booking}) of the
 * caller's <em>home</em> tenant and only the caller's own rows.
 */
@Singleton
public record HomeBookingsElsewhere(OutsideBookingRecords records) implements BookingsElsewhere {
    @Override
    public Listing of(AuthenticatedUser person, Instant now, int offset, int limit) {
        return records.upcomingFirst(person.homeTenant(), person.userId(), now, offset, limit);
    }
}
