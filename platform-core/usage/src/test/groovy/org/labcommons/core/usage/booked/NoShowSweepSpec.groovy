package org.labcommons.core.usage.booked

import jakarta.inject.Inject
import org.labcommons.core.booking.BookingClock
import org.labcommons.testkit.PlatformSpec
import spock.lang.Shared

import java.time.Clock
import java.time.Instant
import java.time.OffsetDateTime
import java.time.ZoneOffset

/**
 * Booked against used (docs/usage.md): the no-show sweep marks a booking only where a device of its
 * instrument reported during it and no session was measured; a second sweep changes nothing; another
 * tenant's readings and bookings play no part; staff overturn it for good. Grade C sessions from a staff
 * record and from a checked-in booking, once each, not where a device reported; a later record supersedes
 * the booking's session.
 */
class NoShowSweepSpec extends PlatformSpec {
    @Inject BookingClock clock
    @Inject NoShowSweep sweep
    @Shared BookedFixture f

    def setup() {
        at('2030-03-04T08:00:00+08:00')
        if (f == null) {
            f = new BookedFixture(ctx)
        }
    }

    def cleanup() {
        clock.set(null)
    }

    void at(String instant) {
        clock.set(Clock.fixed(OffsetDateTime.parse(instant).toInstant(), ZoneOffset.UTC))
    }

    def "a booking with no usage measured while the device reported becomes a no-show, once; others stay; staff overturn it for good"() {
        given: 'an instrument with a reporting device, one without, and B reading on A-s instrument id'
        UUID dev = f.instrument()
        UUID quiet = f.instrument()
        UUID devB = f.instrument(f.tenantB, f.labB)
        def missed = f.book('alice', dev, '2030-03-04T10:00:00+08:00', '2030-03-04T11:00:00+08:00')
        def used = f.book('bob', dev, '2030-03-04T12:00:00+08:00', '2030-03-04T13:00:00+08:00')
        def noDevice = f.book('alice', quiet, '2030-03-04T10:00:00+08:00', '2030-03-04T11:00:00+08:00')
        def tooRecent = f.book('bob', dev, '2030-03-04T14:00:00+08:00', '2030-03-04T15:00:00+08:00')
        def missedInB = f.book('adminB', devB, '2030-03-04T10:00:00+08:00', '2030-03-04T11:00:00+08:00')
        f.reading(f.tenantA, dev, '2030-03-04T02:30:00Z')      // during missed
        f.reading(f.tenantA, dev, '2030-03-04T04:30:00Z')      // during used
        f.reading(f.tenantA, dev, '2030-03-04T06:30:00Z')      // during tooRecent
        f.reading(f.tenantB, quiet, '2030-03-04T02:30:00Z')    // B's row naming A's instrument: RLS keeps it out of A
        f.reading(f.tenantB, devB, '2030-03-04T02:30:00Z')
        f.session(f.tenantA, dev, '2030-03-04T04:05:00Z', '2030-03-04T04:55:00Z', f.users.bob,
                UUID.fromString(used.id as String), 'booked')

        when: 'the sweep runs at 15:20, 20 minutes after the last booking ended, twice'
        at('2030-03-04T15:20:00+08:00')
        def first = sweep.sweep(f.tenantA)
        def second = sweep.sweep(f.tenantA)

        then: 'one no-show, one event, one audit entry (the scheduled sweep may have run meanwhile: states and counts of events are what count)'
        first.noShows() <= 1
        second.noShows() == 0
        f.status(missed.id) == 'no_show'
        f.events(missed.id).count { it.type == 'booking.no_show' } == 1
        f.status(used.id) == 'approved'
        f.status(noDevice.id) == 'approved'
        f.status(tooRecent.id) == 'approved'
        f.tenants.inTenant(f.tenantB) { c ->
            def ps = c.prepareStatement('select status from booking where id = ?')
            ps.setObject(1, UUID.fromString(missedInB.id as String))
            def rs = ps.executeQuery(); rs.next(); rs.getString(1)
        } == 'approved'
        f.events(missed.id).last().type == 'booking.no_show'
        f.events(missed.id).last().payload.reason == 'no_usage_measured'
        f.count("select count(*) from audit_event where action = 'booking.no_show' and target_id = ? and actor_subject = 'system'",
                missed.id as String) == 1

        when: 'the recent one is due later, B is swept on its own; staff overturn the no-show and the sweep runs again'
        at('2030-03-04T15:40:00+08:00')
        def later = sweep.sweep(f.tenantA)
        def inB = sweep.sweep(f.tenantB)
        def overturned = f.send('POST', "/api/v1/bookings/${missed.id}/no-show/overturn", 'staff', [reason: 'the meter was off'])
        def afterOverturn = sweep.sweep(f.tenantA)

        then:
        later.noShows() <= 1
        f.status(tooRecent.id) == 'no_show'
        inB.noShows() <= 1
        f.events(missedInB.id).count { it.type == 'booking.no_show' } == 1
        overturned.status == 200
        afterOverturn.noShows() == 0
        f.status(missed.id) == 'approved'
    }

    def "grade C sessions: from a staff record and from a checked-in booking with nothing recorded, once each; not where a device reported"() {
        given:
        UUID quiet = f.instrument()
        UUID dev = f.instrument()
        def recorded = f.book('alice', quiet, '2030-03-04T10:00:00+08:00', '2030-03-04T11:00:00+08:00')
        def checkedIn = f.book('bob', quiet, '2030-03-04T12:00:00+08:00', '2030-03-04T13:00:00+08:00')
        def measured = f.book('alice', dev, '2030-03-04T12:00:00+08:00', '2030-03-04T13:00:00+08:00')
        f.reading(f.tenantA, dev, '2030-03-04T04:20:00Z')
        at('2030-03-04T10:05:00+08:00')
        assert f.send('POST', "/api/v1/bookings/${recorded.id}/check-in", 'alice').status == 200
        at('2030-03-04T12:10:00+08:00')
        assert f.send('POST', "/api/v1/bookings/${checkedIn.id}/check-in", 'bob').status == 200
        assert f.send('POST', "/api/v1/bookings/${measured.id}/check-in", 'alice').status == 200

        when: 'staff record alice-s use (with 10 minutes of overtime) and the device instrument-s use'
        at('2030-03-04T12:30:00+08:00')
        def record = f.send('POST', "/api/v1/bookings/${recorded.id}/usage", 'staff',
                [start: '2030-03-04T10:05:00+08:00', end: '2030-03-04T11:10:00+08:00'])
        def deviceRecord = f.send('POST', "/api/v1/bookings/${measured.id}/usage", 'staff',
                [start: '2030-03-04T12:00:00+08:00', end: '2030-03-04T13:00:00+08:00'])
        UUID fromRecord = ManualSessions.sessionId(f.tenantA, quiet, 'staff', UUID.fromString(record.body.id as String))

        then: 'the record-s session, closed, grade C, booked, with its overtime and an event; none for the measured instrument'
        record.status == 201
        deviceRecord.status == 201
        def s = f.send('GET', "/api/v1/usage/sessions/${fromRecord}", 'staff').body
        s.session.source == 'staff'
        s.session.grade == 'C'
        s.session.link == 'booked'
        s.session.status == 'closed'
        s.session.userId == f.users.alice.toString()
        s.session.bookingId == recorded.id
        s.session.overtimeMinutes == 10
        s.session.minutes == 65
        s.records*.id == [record.body.id]
        f.events(fromRecord)*.type == ['usage.session.closed']
        f.events(fromRecord)[0].topic == 'usage.session.v1'
        f.events(fromRecord)[0].payload.grade == 'C'
        f.count('select count(*) from usage_session where booking_id = ?', UUID.fromString(measured.id as String)) == 0

        when: 'the sweep runs after the bookings ended, twice'
        at('2030-03-04T13:40:00+08:00')
        def first = sweep.sweep(f.tenantA)
        def second = sweep.sweep(f.tenantA)
        UUID fromBooking = ManualSessions.sessionId(f.tenantA, quiet, 'booking', UUID.fromString(checkedIn.id as String))

        then: 'bob-s checked-in booking made one, from his check-in to its end; the recorded and the measured ones none'
        first.sessions() <= 1
        second.sessions() == 0
        f.count('select count(*) from usage_session where booking_id = ?', UUID.fromString(checkedIn.id as String)) == 1
        def b = f.send('GET', "/api/v1/usage/sessions/${fromBooking}", 'bob')
        b.status == 200
        b.body.session.source == 'booking'
        b.body.session.start == '2030-03-04T04:10:00Z'
        b.body.session.end == '2030-03-04T05:00:00Z'
        f.count('select count(*) from usage_session where booking_id = ?', UUID.fromString(recorded.id as String)) == 1
        f.count('select count(*) from usage_session where booking_id = ?', UUID.fromString(measured.id as String)) == 0

        when: 'staff record bob-s use later'
        def late = f.send('POST', "/api/v1/bookings/${checkedIn.id}/usage", 'staff',
                [start: '2030-03-04T12:10:00+08:00', end: '2030-03-04T12:50:00+08:00'])

        then: 'the record-s session supersedes the booking-s'
        late.status == 201
        def old = f.send('GET', "/api/v1/usage/sessions/${fromBooking}", 'staff').body.session
        old.status == 'superseded'
        old.supersededBy == ManualSessions.sessionId(f.tenantA, quiet, 'staff', UUID.fromString(late.body.id as String)).toString()
        f.events(fromBooking)*.type == ['usage.session.closed', 'usage.session.superseded']
    }
}
