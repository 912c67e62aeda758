package org.labcommons.core.audit

import org.labcommons.core.booking.BookingService

/**
 * A planted wrong-way dependency (a kernel package naming a booking class), used only by
 * ModuleBoundariesSpec to prove that its rules catch one. It lives in the server's test sources, so it is
 * never part of the kernel's jar.
 */
class KernelReachingIntoBooking {
    BookingService bookings
}
