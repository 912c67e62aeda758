package org.labcommons.core.booking;

import jakarta.inject.Singleton;
import org.labcommons.core.events.EventTopics;

import java.util.List;

/**
 * The booking module's topics (docs/events.md): bookings, waitlist offers and usage records
 * ({@link BookingEvents}), and sample requests ({@code SampleEvents}).
 */
@Singleton
public class BookingTopics implements EventTopics {
    public static final String BOOKING = "booking.v1";
    public static final String SAMPLE = "sample.v1";

    @Override
    public List<String> topics() {
        return List.of(BOOKING, SAMPLE);
    }
}
