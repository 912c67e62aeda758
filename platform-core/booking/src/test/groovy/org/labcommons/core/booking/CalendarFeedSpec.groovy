package org.labcommons.core.booking

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource
import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import net.fortuna.ical4j.data.CalendarBuilder
import net.fortuna.ical4j.model.Calendar
import net.fortuna.ical4j.model.component.VEvent
import org.labcommons.core.security.Role
import org.labcommons.testkit.IsolationProbe
import spock.lang.Shared

import javax.sql.DataSource
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse

/**
 * iCalendar feeds of bookings: created, rotated and revoked through the API, served without a
 * bearer token at /ical/{token}.ics, parsed back with ical4j; instrument feeds show names only
 * to the instrument's staff; unknown, revoked and forged tokens, and the feeds of an owner who left
 * the tenant, all answer the same 404; and the
 * feed and notification endpoints keep institution B out of A's data (IsolationProbe).
 */
class CalendarFeedSpec extends BookingSpec {
    @Inject DataSource dataSource
    @Inject JsonMapper json
    @Shared HttpClient http = HttpClient.newHttpClient()

    @Override
    Map<String, String> ownProperties() {
        ['labcommons.booking.notifications.relay-enabled': 'false',
         'labcommons.booking.notifications.reminder-enabled': 'false']
    }

    @Override
    void arrangeOnce() {
        DelegatingDataSource.unwrapDataSource(dataSource).connection.withCloseable { c ->
            def ps = c.prepareStatement('update user_account set display_name = ? where id = ?')
            ps.setString(1, "Alice Wang ${f.run}".toString()); ps.setObject(2, f.users.alice); ps.executeUpdate()
        }
    }

    /** GET without any Authorization header, as a calendar client does. */
    HttpResponse<String> fetch(String url) {
        http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString())
    }

    String feedPath(String token) { "http://localhost:${server.port}/ical/${token}.ics" }

    static List<VEvent> events(String body) {
        Calendar cal = new CalendarBuilder().build(new StringReader(body))
        List<VEvent> events = cal.getComponents('VEVENT') as List<VEvent>
        // RFC 5545: exactly one DTSTAMP per event (every feed read in this spec goes through here)
        assert events.every { it.getProperties('DTSTAMP').size() == 1 }
        events
    }

    static String prop(VEvent e, String name) {
        e.getProperty(name).map { it.value }.orElse(null)
    }

    def "my bookings: an RFC 5545 feed a calendar client can read, with stable UIDs, UTC times, status and sequence"() {
        given: 'an instrument that wants approval, and two bookings of alice'
        def nmr = f.instrument()
        f.openRules(nmr, [approvalPolicy: 'always'])
        def first = f.book('alice', nmr, '2030-03-05T10:00:00+08:00', '2030-03-05T11:00:00+08:00').body
        def second = f.book('alice', nmr, '2030-03-06T10:00:00+08:00', '2030-03-06T11:30:00+08:00').body
        assert first.status == 'requested' && second.status == 'requested'

        when: 'alice creates her feed'
        def created = f.send('POST', '/api/v1/calendar-feeds', 'alice', [kind: 'mine'])

        then: 'the token and URL are shown once'
        created.status == 201
        created.body.kind == 'mine'
        created.body.token ==~ /[0-9a-f]{32}[A-Za-z0-9_-]{43}/
        created.body.url.endsWith("/ical/${created.body.token}.ics")
        f.send('GET', '/api/v1/calendar-feeds', 'alice').body.items.collect { [it.id, it.token] } == [[created.body.id, null]]
        f.count('select count(*) from calendar_feed where id = ?::uuid and token_hash = sha256(convert_to(?, \'UTF8\'))',
                created.body.id, created.body.token) == 1

        when: 'a client fetches it without a bearer token'
        def r = fetch(feedPath(created.body.token as String))
        def evs = events(r.body())
        def one = evs.find { prop(it, 'UID') == "booking-${first.id}@labcommons".toString() }

        then:
        r.statusCode() == 200
        r.headers().firstValue('Content-Type').get().startsWith('text/calendar')
        r.body().startsWith('BEGIN:VCALENDAR\r\n')
        r.body().split('\r\n').every { it.getBytes('UTF-8').length <= 75 }
        evs.size() == 2
        prop(one, 'DTSTART') == '20300305T020000Z'
        prop(one, 'DTEND') == '20300305T030000Z'
        prop(one, 'SUMMARY') == '核磁'
        prop(one, 'STATUS') == 'TENTATIVE'
        prop(one, 'SEQUENCE') == '0'
        prop(one, 'LAST-MODIFIED') ==~ /\d{8}T\d{6}Z/

        when: 'staff approve the first and alice cancels the second'
        assert f.send('POST', "/api/v1/bookings/${first.id}/approve", 'staff').status == 200
        assert f.send('POST', "/api/v1/bookings/${second.id}/cancel", 'alice').status == 200
        def again = events(fetch(feedPath(created.body.token as String)).body())
        def approved = again.find { prop(it, 'UID') == "booking-${first.id}@labcommons".toString() }
        def cancelled = again.find { prop(it, 'UID') == "booking-${second.id}@labcommons".toString() }

        then: 'the same UIDs, a higher sequence, and the new status (a cancelled booking stays, CANCELLED)'
        prop(approved, 'STATUS') == 'CONFIRMED'
        prop(approved, 'SEQUENCE') == '1'
        prop(cancelled, 'STATUS') == 'CANCELLED'
        prop(cancelled, 'SEQUENCE') == '1'

        when: 'alice wants English'
        assert f.send('PUT', '/api/v1/notifications/language', 'alice', [language: 'en']).status == 204
        def english = events(fetch(feedPath(created.body.token as String)).body())

        then:
        english.every { prop(it, 'SUMMARY') == 'NMR' }

        cleanup:
        f.send('PUT', '/api/v1/notifications/language', 'alice', [language: 'zh-CN'])
    }

    def "an instrument's feed shows busy blocks; the requester's name only to the instrument's staff"() {
        given:
        def nmr = f.instrument()
        f.openRules(nmr)
        def b = f.book('alice', nmr, '2030-03-05T14:00:00+08:00', '2030-03-05T15:00:00+08:00').body
        def bobFeed = f.send('POST', '/api/v1/calendar-feeds', 'bob', [kind: 'instrument', instrumentId: nmr.toString()]).body
        def staffFeed = f.send('POST', '/api/v1/calendar-feeds', 'staff', [kind: 'instrument', instrumentId: nmr.toString()]).body

        when:
        def bobBody = fetch(feedPath(bobFeed.token as String)).body()
        def staffBody = fetch(feedPath(staffFeed.token as String)).body()
        def forBob = events(bobBody)
        def forStaff = events(staffBody)

        then:
        forBob.size() == 1
        prop(forBob[0], 'UID') == "booking-${b.id}@labcommons".toString()
        prop(forBob[0], 'SUMMARY') == '核磁 · 已预约'
        prop(forBob[0], 'STATUS') == 'CONFIRMED'
        !bobBody.contains('Alice Wang')
        prop(forStaff[0], 'SUMMARY') == "核磁 · Alice Wang ${f.run}".toString()

        and: 'an instrument feed needs an instrument the caller may read'
        f.send('POST', '/api/v1/calendar-feeds', 'bob', [kind: 'instrument', instrumentId: UUID.randomUUID().toString()]).status == 404
        with(f.send('POST', '/api/v1/calendar-feeds', 'bob', [kind: 'instrument'])) {
            status == 400
            body.errors*.field == ['instrumentId']
        }
        with(f.send('POST', '/api/v1/calendar-feeds', 'bob', [kind: 'everything'])) {
            status == 400
            body.errors*.field == ['kind']
            body.errors[0].message == 'must be mine or instrument'
        }
    }

    def "rotate and revoke: the old link stops working; unknown, revoked and forged tokens answer the same 404"() {
        given:
        def feed = f.send('POST', '/api/v1/calendar-feeds', 'bob', [kind: 'mine']).body
        String oldToken = feed.token

        when:
        def rotated = f.send('POST', "/api/v1/calendar-feeds/${feed.id}/rotate", 'bob')

        then:
        rotated.status == 200
        rotated.body.id == feed.id
        rotated.body.token != oldToken
        fetch(feedPath(oldToken)).statusCode() == 404
        fetch(feedPath(rotated.body.token as String)).statusCode() == 200
        f.count("select count(*) from audit_event where target_id = ? and action in ('calendar_feed.created', 'calendar_feed.rotated')", feed.id as String) == 2

        when: 'a second "mine" feed replaces the first'
        def replacing = f.send('POST', '/api/v1/calendar-feeds', 'bob', [kind: 'mine']).body

        then:
        fetch(feedPath(rotated.body.token as String)).statusCode() == 404
        f.send('GET', '/api/v1/calendar-feeds', 'bob').body.items.findAll { it.kind == 'mine' }*.id == [replacing.id]

        when:
        def revoked = f.send('DELETE', "/api/v1/calendar-feeds/${replacing.id}", 'bob')
        def afterRevoke = fetch(feedPath(replacing.token as String))
        def unknown = fetch(feedPath(f.tenantA.toString().replace('-', '') + 'A' * 43))
        def forged = fetch(feedPath(f.tenantB.toString().replace('-', '') + (replacing.token as String).substring(32)))
        def malformed = fetch(feedPath('nonsense'))
        def noSuffix = fetch("http://localhost:${server.port}/ical/${replacing.token}")

        then:
        revoked.status == 204
        f.send('DELETE', "/api/v1/calendar-feeds/${replacing.id}", 'bob').status == 404
        f.send('POST', "/api/v1/calendar-feeds/${replacing.id}/rotate", 'bob').status == 404
        [afterRevoke, unknown, forged, malformed, noSuffix].every { it.statusCode() == 404 }
        [afterRevoke, unknown, forged, malformed, noSuffix].collect { it.body() }.unique().size() == 1

        and: 'another user cannot rotate or revoke bob\'s feed'
        def bobs = f.send('POST', '/api/v1/calendar-feeds', 'bob', [kind: 'mine']).body
        f.send('POST', "/api/v1/calendar-feeds/${bobs.id}/rotate", 'alice').status == 404
        f.send('DELETE', "/api/v1/calendar-feeds/${bobs.id}", 'alice').status == 404
        fetch(feedPath(bobs.token as String)).statusCode() == 200
    }

    def "a feed stops when its owner no longer belongs to the tenant: the feed's own read joins the live membership"() {
        given: 'dave of B, a member of A through the user role there, with a feed of his bookings in A and one of an instrument'
        f.person('dave', 'b')
        f.world.grant('dave', 'bk-a', Role.USER)
        Map<String, String> inA = ['X-LabCommons-Tenant': f.tenantA.toString()]
        def nmr = f.instrument()
        f.openRules(nmr)
        def booking = f.send('POST', "/api/v1/instruments/${nmr}/bookings", 'dave',
                [start: '2030-03-08T10:00:00+08:00', end: '2030-03-08T11:00:00+08:00'], inA)
        assert booking.status == 201: booking.body
        def mine = f.send('POST', '/api/v1/calendar-feeds', 'dave', [kind: 'mine'], inA).body
        def ofInstrument = f.send('POST', '/api/v1/calendar-feeds', 'dave', [kind: 'instrument', instrumentId: nmr.toString()], inA).body
        def alices = f.send('POST', '/api/v1/calendar-feeds', 'alice', [kind: 'mine']).body
        assert events(fetch(feedPath(mine.token as String)).body()).collect { prop(it, 'UID') }
                .contains("booking-${booking.body.id}@labcommons".toString())
        assert fetch(feedPath(ofInstrument.token as String)).statusCode() == 200

        when: "dave is removed from A (his role there, the only tie he has to A, is deleted)"
        f.tenants.inTenant(f.tenantA) { c ->
            def ps = c.prepareStatement('delete from role_assignment where user_id = ?')
            ps.setObject(1, f.users.dave)
            ps.executeUpdate()
        }
        def gone = [fetch(feedPath(mine.token as String)), fetch(feedPath(ofInstrument.token as String))]
        def unknown = fetch(feedPath(f.tenantA.toString().replace('-', '') + 'B' * 43))

        then: 'both feeds answer the 404 of an unknown link, with no booking in it, while the rows are still live (no clean-up ran)'
        gone*.statusCode() == [404, 404]
        gone.every { it.body() == unknown.body() && !it.body().contains('VEVENT') }
        f.count('select count(*) from calendar_feed where user_id = ? and revoked_at is null', f.users.dave) == 2

        and: "a member's feed in the same tenant is unaffected"
        fetch(feedPath(alices.token as String)).statusCode() == 200

        when: 'dave is a member again'
        f.world.grant('dave', 'bk-a', Role.USER)

        then: 'the same read finds his feeds again: membership is read live, when the feed is fetched'
        fetch(feedPath(mine.token as String)).statusCode() == 200
    }

    def "institution B reaches none of A's feeds and notifications: every answer equals the answer for a missing id"() {
        given: "A's feeds, a notification of alice and an instrument"
        def nmr = f.instrument()
        f.openRules(nmr, [approvalPolicy: 'always'])
        def booking = f.book('alice', nmr, '2030-03-07T10:00:00+08:00', '2030-03-07T11:00:00+08:00').body
        f.send('POST', "/api/v1/bookings/${booking.id}/approve", 'staff')
        def notice = f.send('GET', '/api/v1/notifications', 'alice').body.items.find { it.bookingId == booking.id }
        def feed = f.send('POST', '/api/v1/calendar-feeds', 'alice', [kind: 'instrument', instrumentId: nmr.toString()]).body
        assert notice && feed.token
        def snapshotOfA = {
            [f.send('GET', '/api/v1/calendar-feeds', 'alice').body,
             f.send('GET', '/api/v1/notifications', 'alice').body,
             fetch(feedPath(feed.token as String)).statusCode(),
             f.count('select count(*) from calendar_feed where revoked_at is null')]
        }
        def headers = [Authorization: 'Bearer ' + f.tokens.adminB, 'Accept-Language': 'en']
        String base = "http://localhost:${server.port}"

        when:
        def reports = [
                IsolationProbe.against(base, headers)
                        .probe('POST', '/api/v1/calendar-feeds/{id}/rotate')
                        .probe('DELETE', '/api/v1/calendar-feeds/{id}')
                        .probe('POST', '/api/v1/notifications/{id}/read')
                        .run([feed.id as String, notice.id as String], snapshotOfA),
                IsolationProbe.against(base, headers)
                        .probe('POST', '/api/v1/calendar-feeds', '{"kind":"instrument","instrumentId":"{id}"}')
                        .run([nmr.toString()], snapshotOfA)]
        def lists = [f.send('GET', '/api/v1/calendar-feeds', 'adminB'), f.send('GET', '/api/v1/notifications', 'adminB')]

        then:
        reports.every { it.leaks() == [] }
        reports.every { !it.dataOfOwnerChanged() }
        reports.every { r -> r.outcomes().every { it.foreignStatus() == 404 } }
        lists*.status == [200, 200]
        lists.every { (it.body.items ?: []) == [] }     // empty lists are left out of the JSON

        when: 'the same probe run as A tells its own feed from a missing one (the probe can fail)'
        def control = IsolationProbe.against(base, [Authorization: 'Bearer ' + f.tokens.alice])
                .probe('POST', '/api/v1/notifications/{id}/read')
                .run([notice.id as String], { null })

        then:
        control.leaks().size() == 1
    }
}
