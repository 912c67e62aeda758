package org.labcommons.core.booking;

import jakarta.inject.Singleton;
import org.labcommons.core.i18n.MessageBundle;

/** The booking module's texts (rules, qualifications, bookings, waitlist, calendar feeds, notifications, sample requests, staff pages): {@code i18n/booking*.properties}. */
@Singleton
public class BookingMessages implements MessageBundle {
    @Override
    public String baseName() {
        return "i18n/booking";
    }
}
