package org.labcommons.core.usage.booked

import jakarta.inject.Inject
import org.labcommons.core.booking.BookingClock
import org.labcommons.testkit.IsolationProbe
import org.labcommons.testkit.PlatformSpec
import spock.lang.Shared

import java.time.Clock
import java.time.Instant
import java.time.ZoneOffset

/**
 * The usage sessions API (docs/usage.md, "Corrections and attribution"): who sees what, the paged
 * list and its filters, corrections kept beside the measured values, the attribution of an
 * unattributed session and the staff's queue, field errors on bad input, and another tenant's staff
 * answered exactly as for a session that does not exist.
 */
class UsageSessionsApiSpec extends PlatformSpec {
    @Inject BookingClock clock
    @Shared BookedFixture f
    @Shared UUID dev
    @Shared UUID aliceSession, bobSession, unknown, aliceBooking

    def setup() {
        if (f == null) {
            def w = new BookedFixture(ctx)    // shared only once complete: a failed arrangement is tried again
            dev = w.instrument()
            clock.set(Clock.fixed(Instant.parse('2031-01-05T00:00:00Z'), ZoneOffset.UTC))
            try {
                aliceBooking = UUID.fromString(w.book('alice', dev, '2031-01-06T10:00:00+08:00', '2031-01-06T12:00:00+08:00').id as String)
            } finally {
                clock.set(null)
            }
            aliceSession = w.session(w.tenantA, dev, '2031-01-06T01:50:00Z', '2031-01-06T04:20:00Z', w.users.alice, aliceBooking, 'booked')
            bobSession = w.session(w.tenantA, dev, '2031-01-07T01:00:00Z', '2031-01-07T02:00:00Z', w.users.bob, null, 'unbooked', 'A')
            unknown = w.session(w.tenantA, dev, '2031-01-08T01:00:00Z', '2031-01-08T03:00:00Z', null, null, 'unattributed')
            f = w
        }
    }

    def "a user sees only their own sessions, staff every session of their instruments; the list is paged and filtered"() {
        when:
        def mine = f.send('GET', "/api/v1/usage/sessions?instrument=${dev}", 'alice')
        def others = f.send('GET', "/api/v1/usage/sessions/${bobSession}", 'alice')
        def own = f.send('GET', "/api/v1/usage/sessions/${aliceSession}", 'alice')
        def page0 = f.send('GET', "/api/v1/usage/sessions?instrument=${dev}&size=2", 'staff')
        def page1 = f.send('GET', "/api/v1/usage/sessions?instrument=${dev}&size=2&page=1", 'staff')
        def unbooked = f.send('GET', "/api/v1/usage/sessions?instrument=${dev}&link=unbooked", 'staff')
        def window = f.send('GET', "/api/v1/usage/sessions?instrument=${dev}&from=2031-01-07T00:00:00Z&to=2031-01-07T12:00:00Z", 'staff')
        def ofBob = f.send('GET', "/api/v1/usage/sessions?user=${f.users.bob}", 'staff')
        def bad = f.send('GET', '/api/v1/usage/sessions?instrument=nope&size=0&link=maybe&from=yesterday', 'staff')

        then:
        mine.status == 200
        mine.body.items*.id == [aliceSession.toString()]
        mine.body.total == 1
        others.status == 404
        own.status == 200
        own.body.session.link == 'booked'
        own.body.session.bookingId == aliceBooking.toString()
        !own.body.session.corrected
        own.body.evidence.contains('power.on')
        page0.body.total == 3
        page0.body.items*.id == [unknown.toString(), bobSession.toString()]
        page1.body.items*.id == [aliceSession.toString()]
        unbooked.body.items*.id == [bobSession.toString()]
        window.body.items*.id == [bobSession.toString()]
        ofBob.body.items*.id == [bobSession.toString()]
        bad.status == 400
        bad.body.code == 'validation_failed'
        bad.body.errors*.field.toSet() == ['instrument', 'size', 'link', 'from'] as Set
    }

    def "staff correct a session with a reason: the measured values stay beside it, audited, an event; bad input names its fields"() {
        when:
        def empty = f.send('POST', "/api/v1/usage/sessions/${aliceSession}/corrections", 'staff', [:])
        def backwards = f.send('POST', "/api/v1/usage/sessions/${aliceSession}/corrections", 'staff',
                [start: '2031-01-06T04:00:00Z', end: '2031-01-06T03:00:00Z', reason: 'x'])
        def foreignBooking = f.send('POST', "/api/v1/usage/sessions/${aliceSession}/corrections", 'staff',
                [start: '2031-01-06T02:00:00Z', end: '2031-01-06T04:00:00Z', bookingId: UUID.randomUUID(), reason: 'x'])
        def byAlice = f.send('POST', "/api/v1/usage/sessions/${aliceSession}/corrections", 'alice',
                [start: '2031-01-06T02:00:00Z', end: '2031-01-06T04:00:00Z', reason: 'I left at noon'])
        def ok = f.send('POST', "/api/v1/usage/sessions/${aliceSession}/corrections", 'staff',
                [start: '2031-01-06T01:55:00Z', end: '2031-01-06T04:05:00Z', reason: 'the pump ran on after she left'])

        then:
        empty.status == 400
        empty.body.errors*.field.toSet() == ['start', 'end', 'reason'] as Set
        backwards.status == 400
        backwards.body.errors*.field == ['end']
        foreignBooking.status == 400
        foreignBooking.body.errors*.field == ['bookingId']
        byAlice.status == 403
        ok.status == 200
        ok.body.session.start == '2031-01-06T01:55:00Z'
        ok.body.session.end == '2031-01-06T04:05:00Z'
        ok.body.session.minutes == 130
        ok.body.session.corrected
        ok.body.session.bookingId == aliceBooking.toString()
        ok.body.session.earlyMinutes == 5
        ok.body.session.overtimeMinutes == 5
        ok.body.session.measured.start == '2031-01-06T01:50:00Z'
        ok.body.session.measured.end == '2031-01-06T04:20:00Z'
        ok.body.corrections*.reason == ['the pump ran on after she left']
        f.count('select count(*) from usage_session where id = ? and started_at = ?', aliceSession,
                java.sql.Timestamp.from(java.time.Instant.parse('2031-01-06T01:50:00Z'))) == 1
        f.count("select count(*) from audit_event where action = 'usage_session.corrected' and target_id = ? " +
                "and details->>'reason' = 'the pump ran on after she left'", aliceSession.toString()) == 1
        f.events(aliceSession)*.type == ['usage.session.corrected']
        f.events(aliceSession)[0].payload.minutes == 130
        f.events(aliceSession)[0].payload.link == 'booked'
    }

    def "staff attribute an unattributed session to a person; it leaves the queue; a user has no queue"() {
        when:
        def queue = f.send('GET', "/api/v1/usage/unattributed?instrument=${dev}", 'staff')
        def noQueue = f.send('GET', '/api/v1/usage/unattributed', 'alice')
        def nobody = f.send('POST', "/api/v1/usage/sessions/${unknown}/attribution", 'staff', [reason: 'x'])
        def stranger = f.send('POST', "/api/v1/usage/sessions/${unknown}/attribution", 'staff', [userId: UUID.randomUUID()])
        def notHers = f.send('POST', "/api/v1/usage/sessions/${unknown}/attribution", 'staff',
                [userId: f.users.bob, bookingId: aliceBooking])
        def ok = f.send('POST', "/api/v1/usage/sessions/${unknown}/attribution", 'staff',
                [userId: f.users.bob, reason: 'bob signed the paper log'])
        def twice = f.send('POST', "/api/v1/usage/sessions/${unknown}/attribution", 'staff', [userId: f.users.alice])
        def after = f.send('GET', "/api/v1/usage/unattributed?instrument=${dev}", 'staff')
        def bobSees = f.send('GET', "/api/v1/usage/sessions/${unknown}", 'bob')

        then:
        queue.body.items*.id == [unknown.toString()]
        noQueue.status == 403
        nobody.status == 400
        nobody.body.errors*.field == ['userId']
        stranger.status == 400
        stranger.body.errors*.field == ['userId']
        notHers.status == 400
        notHers.body.errors*.field == ['bookingId']
        ok.status == 200
        ok.body.session.userId == f.users.bob.toString()
        ok.body.session.link == 'unbooked'
        ok.body.session.measured.link == 'unattributed'
        twice.status == 409
        (after.body.items ?: []) == []   // an empty list is left out of the JSON, as everywhere in the API
        after.body.total == 0
        bobSees.status == 200
        f.count("select count(*) from audit_event where action = 'usage_session.attributed' and target_id = ?",
                unknown.toString()) == 1
        f.events(unknown)*.type == ['usage.session.changed']
    }

    def "another tenant's staff get exactly what a missing session answers, and A's sessions stay as they are"() {
        given:
        def snapshot = { f.count('select count(*) + coalesce(sum(version), 0) from usage_session where instrument_id = ?', dev) +
                1000 * f.count('select count(*) from usage_session_correction c join usage_session s on s.id = c.session_id ' +
                        'where s.instrument_id = ?', dev) }

        when:
        def report = IsolationProbe.against(f.api.base, ['Authorization': "Bearer ${f.tokens.staffB}".toString()])
                .probe('GET', '/api/v1/usage/sessions/{id}')
                .probe('POST', '/api/v1/usage/sessions/{id}/corrections',
                        '{"start":"2031-01-06T02:00:00Z","end":"2031-01-06T03:00:00Z","reason":"taken over"}')
                .probe('POST', '/api/v1/usage/sessions/{id}/attribution', "{\"userId\":\"${f.users.staffB}\"}")
                .listing('GET', '/api/v1/usage/sessions?instrument={id}')
                .listing('GET', '/api/v1/usage/unattributed')
                .run([bobSession.toString(), aliceSession.toString()], snapshot)

        then:
        report.probesMade() > 0
        report.leaks() == []
        !report.dataOfOwnerChanged()
    }
}
