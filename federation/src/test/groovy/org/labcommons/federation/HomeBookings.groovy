package org.labcommons.federation

import org.labcommons.core.booking.BookingClock
import org.labcommons.core.booking.BookingRules

import java.time.Clock
import java.time.Instant
import java.time.ZoneOffset

/**
 * Bookings alice holds at her home institution A, beside those she holds at B
 * ({@link FederationFixture#aliceAndAnnAtB}): an X-ray diffractometer of A's chemistry department
 * (building A楼, room 101, 1,234.50 yuan an hour internal) with {@code h1} (5 March 14:00–15:00,
 * assisted, so requested) and {@code p1} (25 February 10:00–11:00, booked on 20 February, ended
 * by 4 March). Returns the ids with {@code xrd}, the instrument.
 */
class HomeBookings {
    static Map<String, String> ofAlice(FederationFixture f, BookingClock clock, Instant now) {
        Map created = null
        f.world.and {
            within('fed-a') {
                unit('chem', kind: 'department', nameZh: '化学系', nameEn: 'Chemistry')
                created = instrument("XRD ${f.run}", unit: 'chem', nameZh: 'X射线衍射仪',
                        body: [building: 'A楼', room: '101',
                               prices  : [[rateGroup: 'internal', unit: 'hour', amountFen: 123_450L]]])
            }
        }
        UUID xrd = UUID.fromString(created.id as String)
        Map hours = BookingRules.WEEKDAYS.collectEntries { [(it): [[from: '00:00', to: '24:00']]] }
        def r = f.send('PUT', "/api/v1/instruments/${xrd}/booking-rules", 'adminA', [weeklyHours: hours, minSlotMinutes: 30,
                maxSlotMinutes: 600, horizonDays: 60, minNoticeMinutes: 0, bufferMinutes: 0, maxFutureBookings: 50,
                approvalPolicy: 'outside_users', cancellationDeadlineHours: 0, qualificationRequired: false])
        assert r.status == 200: r.body
        Map<String, String> ids = [xrd: xrd.toString()]
        clock.set(Clock.fixed(Instant.parse('2030-02-20T00:00:00Z'), ZoneOffset.UTC))
        def past = f.send('POST', "/api/v1/instruments/${xrd}/bookings", 'alice',
                [start: '2030-02-25T10:00:00+08:00', end: '2030-02-25T11:00:00+08:00'])
        assert past.status == 201: past.body
        ids.p1 = past.body.id
        clock.set(Clock.fixed(now, ZoneOffset.UTC))
        def h1 = f.send('POST', "/api/v1/instruments/${xrd}/bookings", 'alice',
                [start: '2030-03-05T14:00:00+08:00', end: '2030-03-05T15:00:00+08:00', assisted: true])
        assert h1.status == 201: h1.body
        assert h1.body.status == 'requested'
        ids.h1 = h1.body.id
        ids
    }
}
