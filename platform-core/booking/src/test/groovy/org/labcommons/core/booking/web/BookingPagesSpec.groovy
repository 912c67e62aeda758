package org.labcommons.core.booking.web

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.core.booking.BookingMessagesSpec
import org.labcommons.core.booking.BookingSpec
import org.labcommons.core.web.auth.WebSessions
import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.IsolationProbe
import org.labcommons.testkit.PageForms
import spock.lang.Shared

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.ZoneOffset

/**
 * The user's booking pages over plain HTTP (the browser specification drives the same pages in
 * Chromium): the form's own validation and the service's refusals next to their fields in both
 * languages, the training hint, a person of another institution booking there (stored in the
 * instrument's institution, as an outside user needing approval), the calendar's events without
 * names, notifications with the unread count in the navigation, the calendar feed link, and
 * isolation: another institution's instruments, bookings, waitlist entries, feeds and notices
 * answer exactly as ids that do not exist. The booking clock is fixed at 2030-03-04T00:00Z
 * (Monday 08:00 in Shanghai).
 */
class BookingPagesSpec extends BookingSpec {
    static final String FORM = PageForms.FORM

    @Inject JsonMapper json
    @Inject WebSessions sessions
    @Shared Map<String, Map> web = [:]
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()

    @Override
    void arrangeOnce() {
        ['alice': 'a', 'bob': 'a', 'carol': 'b', 'adminB': 'b'].each { name, key ->
            def created = sessions.create(SharedDevStack.get().identityProvider().issuer(f.issuerNames[key]),
                    "${name}-${f.run}".toString(), name, Duration.ofHours(2))
            web[name] = [cookie: "LC_SESSION=${created.rawId()}".toString(), csrf: created.session().csrfToken()]
        }
    }

    String app(String path) { "http://localhost:${server.port}${path}" }

    String slugA() { "bk-a-${f.run}".toString() }

    HttpResponse<String> get(String path, String who) { PageForms.get(http, app(path), web[who]) }

    HttpResponse<String> post(String path, String who, Map<String, Object> fields) {
        PageForms.post(http, app(path), web[who], fields)
    }

    /** The text of the element with this id (first match, tags stripped). */
    static String byId(String html, String id) { PageForms.byId(html, id) }

    def "the form's own checks and the booking rules' refusals appear next to their fields, in Chinese and English"() {
        given: 'an instrument with the default rules: weekdays 08:00-20:00, an hour of notice, authorisation required'
        def nmr = f.instrument()

        when: 'no start, a repeat count out of range'
        def r = post("/instruments/${nmr}/calendar?lang=en", 'alice', [start: '', end: '2030-03-05T12:00', repeat: '99'])

        then:
        r.statusCode() == 400
        byId(r.body(), 'error-start') == 'enter a date and time'
        byId(r.body(), 'error-repeat') == 'a whole number from 1 to 52'
        byId(r.body(), 'error-end') == null
        r.body().contains('value="2030-03-05T12:00"')

        when: 'on a Sunday, too soon, and without authorisation (in Chinese)'
        r = post("/instruments/${nmr}/calendar?lang=zh-CN", 'alice', [start: '2030-03-04T08:30', end: '2030-03-04T09:30',
                                                                      accountCode: 'NSFC-1', purpose: '测试'])
        def sunday = post("/instruments/${nmr}/calendar?lang=en", 'alice', [start: '2030-03-10T10:00', end: '2030-03-10T11:00'])

        then: 'the notice is too short, the user is not authorised, the training is explained; what was typed stays'
        r.statusCode() == 422
        byId(r.body(), 'error-start') == '须至少提前 60 分钟预约'
        byId(r.body(), 'error-requester') != null
        byId(r.body(), 'training-hint').contains('培训')
        byId(r.body(), 'authorisation').contains('尚未授权')
        r.body().contains('value="NSFC-1"')
        sunday.statusCode() == 422
        byId(sunday.body(), 'error-start') == 'the instrument cannot be booked at this time'
        byId(sunday.body(), 'error-requester').contains('not authorised')
        f.count('select count(*) from booking where instrument_id = ?', nmr) == 0
    }

    def "a person of another institution books there as an outside user: stored in that institution, awaiting approval"() {
        given:
        def nmr = f.instrument()
        f.openRules(nmr)

        when: 'carol (institution B, user role in A) opens the calendar of A'
        def page = get("/instruments/${nmr}/calendar?tenant=${slugA()}&lang=en", 'carol')

        then: 'she books as an outside user, and the booking will need approval'
        page.statusCode() == 200
        byId(page.body(), 'rate-group') == 'external'
        byId(page.body(), 'approval').startsWith('Your booking is a request')
        page.body().contains("name=\"tenant\" value=\"${slugA()}\"")

        when:
        def r = post("/instruments/${nmr}/calendar", 'carol', [tenant: slugA(), start: '2030-03-05T14:00', end: '2030-03-05T15:00',
                                                               accountCode: 'B-42'])

        then:
        r.statusCode() == 303
        r.headers().firstValue('Location').get().startsWith("/my/bookings?tenant=${slugA()}&done=requested&booking=")
        f.count("select count(*) from booking where instrument_id = ? and requester_user_id = ? and status = 'requested' " +
                "and rate_group = 'external' and account_code = 'B-42' and requester_tenant_id = ?", nmr, f.users.carol, f.tenantB.value()) == 1

        when: 'her bookings there, and at home'
        def there = get("/my/bookings?tenant=${slugA()}&lang=en", 'carol')
        def home = get('/my/bookings?lang=en', 'carol')

        then:
        there.body().contains('data-status="requested"')
        byId(there.body(), 'mine-scope').startsWith('Bookings at Booking a')
        !home.body().contains('data-status="requested"')

        when: 'someone of B without a role in A'
        def refused = get("/instruments/${nmr}/calendar?tenant=${slugA()}&lang=en", 'adminB')

        then: 'the institution-only instrument is not there for them'
        refused.statusCode() == 404
    }

    def "a person of another institution with no role there books a consortium instrument from home: the same pages, stored there, in their feed at home"() {
        given:
        def nmr = f.instrument('consortium')
        f.openRules(nmr)
        def held = f.book('alice', nmr, '2030-03-05T10:00:00+08:00', '2030-03-05T11:00:00+08:00')
        assert held.status == 201

        when: 'adminB (no role in A) opens the calendar of A'
        def page = get("/instruments/${nmr}/calendar?tenant=${slugA()}&lang=en", 'adminB')
        def events = http.send(HttpRequest.newBuilder(URI.create(app("/instruments/${nmr}/calendar/events?tenant=${slugA()}&start=2030-03-05T00:00:00&end=2030-03-06T00:00:00")))
                .header('Cookie', web.adminB.cookie as String).GET().build(), HttpResponse.BodyHandlers.ofString())

        then: 'the booking form is there, as an outside user whose booking is a request; the busy slot has no name'
        page.statusCode() == 200
        byId(page.body(), 'rate-group') == 'external'
        byId(page.body(), 'approval').startsWith('Your booking is a request')
        events.statusCode() == 200
        events.body().contains('"kind":"booking"')
        !events.body().contains('alice')

        when: 'a taken slot, then a free one'
        def taken = post("/instruments/${nmr}/calendar", 'adminB', [tenant: slugA(), start: '2030-03-05T10:30', end: '2030-03-05T11:30'])
        def r = post("/instruments/${nmr}/calendar", 'adminB', [tenant: slugA(), start: '2030-03-05T14:00', end: '2030-03-05T15:00',
                                                                accountCode: 'B-77', assisted: 'on'])

        then: 'the conflict names the slot in the way; the booking is stored in A, from B, awaiting approval'
        taken.statusCode() == 409
        taken.body().contains('2030-03-05 10:00')
        r.statusCode() == 303
        r.headers().firstValue('Location').get().startsWith("/my/bookings?tenant=${slugA()}&done=requested&booking=")
        f.count("select count(*) from booking where instrument_id = ? and requester_user_id = ? and status = 'requested' " +
                "and account_code = 'B-77' and requester_tenant_id = ?", nmr, f.users.adminB, f.tenantB.value()) == 1

        when: 'their bookings there, and a cancellation from the page'
        def there = get("/my/bookings?tenant=${slugA()}&lang=en", 'adminB')
        String id = (r.headers().firstValue('Location').get() =~ /booking=([0-9a-f-]{36})/)[0][1]
        def cancelled = post("/my/bookings/${id}/cancel", 'adminB', [tenant: slugA()])
        def aliceTries = post("/my/bookings/${held.body.id}/cancel", 'adminB', [tenant: slugA()])

        then: 'listed there without the feed section (feeds live at home); cancelled; nobody else reached'
        there.statusCode() == 200
        there.body().contains('data-status="requested"')
        !there.body().contains('id="feeds"')
        cancelled.statusCode() == 303
        f.count("select count(*) from booking where id = ?::uuid and status = 'cancelled'", id) == 1
        aliceTries.statusCode() == 404
        f.count("select count(*) from booking where id = ?::uuid and status = 'approved'", held.body.id) == 1

        expect: 'a tenant-only instrument stays out of reach'
        get("/instruments/${f.instrument('tenant')}/calendar?tenant=${slugA()}&lang=en", 'adminB').statusCode() == 404
    }

    def "the calendar's events carry no names; mine are marked; closed hours and maintenance are there"() {
        given:
        def nmr = f.instrument()
        f.openRules(nmr, [weeklyHours: [monday: [[from: '08:00', to: '20:00']], tuesday: [[from: '08:00', to: '20:00']]]])
        assert f.book('bob', nmr, '2030-03-05T10:00:00+08:00', '2030-03-05T12:00:00+08:00').status == 201
        assert f.book('alice', nmr, '2030-03-05T13:00:00+08:00', '2030-03-05T14:00:00+08:00').status == 201
        assert f.send('POST', "/api/v1/instruments/${nmr}/maintenance", 'staff',
                [start: '2030-03-05T16:00:00+08:00', end: '2030-03-05T18:00:00+08:00', reason: 'He refill']).status == 201

        when:
        def r = http.send(HttpRequest.newBuilder(URI.create(app("/instruments/${nmr}/calendar/events?start=2030-03-04T00:00:00Z&end=2030-03-11T00:00:00Z&lang=en")))
                .header('Cookie', web.alice.cookie as String).GET().build(), HttpResponse.BodyHandlers.ofString())
        List<Map> events = json.readValue(r.body(), io.micronaut.core.type.Argument.listOf(Map))

        then:
        r.statusCode() == 200
        events.find { it.kind == 'booking' }.subMap(['start', 'end', 'title', 'mine']) ==
                [start: '2030-03-05T10:00:00', end: '2030-03-05T12:00:00', title: 'Booked', mine: false]
        events.find { it.kind == 'mine' }.subMap(['start', 'end', 'mine']) == [start: '2030-03-05T13:00:00', end: '2030-03-05T14:00:00', mine: true]
        events.find { it.kind == 'maintenance' }.start == '2030-03-05T16:00:00'
        events.findAll { it.kind == 'hours' }.find { it.start == '2030-03-05T20:00:00' }.end == '2030-03-06T00:00:00'
        events.findAll { it.kind == 'hours' }.find { it.start == '2030-03-06T00:00:00' }.end == '2030-03-07T00:00:00'
        !r.body().contains('bob') && !r.body().contains(f.users.bob.toString())
        events.count { it.kind == 'booking' } == 1
    }

    def "my bookings: move, accept a waitlist offer, check in, and a cancellation after the deadline refused on the page"() {
        given:
        def nmr = f.instrument()
        f.openRules(nmr)
        def mine = f.book('alice', nmr, '2030-03-06T10:00:00+08:00', '2030-03-06T11:00:00+08:00')
        def bobs = f.book('bob', nmr, '2030-03-07T10:00:00+08:00', '2030-03-07T11:00:00+08:00')
        UUID id = UUID.fromString(mine.body.id as String)

        when: 'moved to noon'
        def moved = post("/my/bookings/${id}/reschedule", 'alice', [start: '2030-03-06T12:00', end: '2030-03-06T13:00'])

        then:
        moved.statusCode() == 303
        moved.headers().firstValue('Location').get() == '/my/bookings?done=moved'
        f.count("select count(*) from booking where id = ? and starts_at = timestamptz '2030-03-06T04:00:00Z' and version = 2", id) == 1

        when: 'alice waits for the slot of bob from the page, bob cancels, alice accepts the offer'
        def wait = post("/instruments/${nmr}/waitlist", 'alice', [start: '2030-03-07T10:00', end: '2030-03-07T11:00'])
        assert f.send('POST', "/api/v1/bookings/${bobs.body.id}/cancel", 'bob', [:]).status == 200
        def page = get('/my/bookings?lang=en', 'alice')
        String offerId = (page.body() =~ /\/my\/waitlist\/offers\/([0-9a-f-]+)\/accept/)[0][1]
        def accepted = post("/my/waitlist/offers/${offerId}/accept", 'alice', [:])

        then:
        wait.statusCode() == 303
        page.body().contains('is free and held for you until 2030-03-04 10:00')
        accepted.headers().firstValue('Location').get() == '/my/bookings?done=accepted'
        f.count("select count(*) from booking where instrument_id = ? and requester_user_id = ? and status = 'approved' " +
                "and starts_at = timestamptz '2030-03-07T02:00:00Z'", nmr, f.users.alice) == 1

        when: 'ten minutes before the moved booking: check-in is offered and done'
        clock.set(Clock.fixed(Instant.parse('2030-03-06T03:50:00Z'), ZoneOffset.UTC))
        def before = get('/my/bookings?lang=en', 'alice')
        def checkedIn = post("/my/bookings/${id}/check-in", 'alice', [:])

        then:
        before.body() =~ /action="\/my\/bookings\/${id}\/check-in"/
        checkedIn.headers().firstValue('Location').get() == '/my/bookings?done=checked_in'
        f.count("select count(*) from booking where id = ? and status = 'checked_in'", id) == 1

        when: 'the accepted booking starts in 22 hours: too late to cancel'
        String thursday = f.send('GET', '/api/v1/bookings?from=2030-03-07T00:00:00Z', 'alice').body.items.find { it.status == 'approved' }.id
        def late = post("/my/bookings/${thursday}/cancel?lang=en", 'alice', [:])

        then:
        late.statusCode() == 422
        late.body().contains('the cancellation deadline (24 hours before the start) has passed')
        late.body().contains("data-booking=\"${thursday}\"")
        f.count("select count(*) from booking where id = ? and status = 'approved'", UUID.fromString(thursday)) == 1
    }

    def "a weekly repeat books the weeks that are free and reports the skipped ones"() {
        given: 'the second Thursday is taken'
        def nmr = f.instrument()
        f.openRules(nmr)
        assert f.book('bob', nmr, '2030-03-14T09:00:00+08:00', '2030-03-14T10:00:00+08:00').status == 201

        when:
        def r = post("/instruments/${nmr}/calendar", 'alice', [start: '2030-03-07T09:00', end: '2030-03-07T10:00', repeat: '3'])
        def page = get(r.headers().firstValue('Location').get() + '&lang=en', 'alice')

        then:
        r.statusCode() == 303
        r.headers().firstValue('Location').get() == '/my/bookings?done=series&created=2&skipped=1'
        byId(page.body(), 'done') == '2 weekly bookings made, 1 weeks skipped (taken or not allowed).'
        f.count("select count(*) from booking where instrument_id = ? and requester_user_id = ? and series_id is not null", nmr, f.users.alice) == 2
    }

    def "every message the booking pages build from a value is in both bundles"() {
        given:
        def keys = []
        ['requested', 'approved', 'checked_in', 'rejected', 'cancelled', 'no_show'].each { keys << "booking.status.${it}" }
        (MyBookingsPages.DONE + ['feed_created', 'feed_rotated']).each { keys << "booking.page.done.${it}" }
        ['valid', 'expired', 'revoked', 'none', 'not_required'].each { keys << "booking.page.authorisation.${it}" }
        ['booking', 'maintenance'].each { keys << "booking.page.kind.${it}" }
        org.labcommons.core.booking.BookingRules.WEEKDAYS.each { keys << "booking.page.day.${it}" }
        ['language', 'read'].each { keys << "notification.page.done.${it}" }
        def written = new File('src/main/resources/views/booking').listFiles().findAll { it.isFile() }.collectMany { (it.text =~ /t\['([a-zA-Z0-9_.\-]+)'\]/).collect { m -> m[1] } }
        keys.addAll(written)
        keys = keys*.toString()

        expect:
        BookingMessagesSpec.bundles.covers(keys, 100)
        BookingMessagesSpec.bundles.differ(keys.findAll { it.startsWith('booking.page') })
    }

    def "notifications: the unread count in the navigation, the page in both languages, mark read, the mail language"() {
        given: 'alice booked and cancelled: a cancellation notice'
        def nmr = f.instrument()
        f.openRules(nmr)
        def b = f.book('alice', nmr, '2030-03-07T10:00:00+08:00', '2030-03-07T11:00:00+08:00')
        assert f.send('POST', "/api/v1/bookings/${b.body.id}/cancel", 'alice', [:]).status == 200
        def unread = f.send('GET', '/api/v1/notifications?unread=true', 'alice').body.unread as int

        when:
        def page = get('/notifications?lang=en', 'alice')

        then:
        page.statusCode() == 200
        unread >= 1
        page.body() =~ /href="\/notifications"[^>]*>Notifications<span\s+class="nav-badge">${unread}<\/span>/
        page.body().contains('href="/my/bookings"')
        byId(page.body(), 'unread-count') == "${unread} unread".toString()
        page.body().contains('Booking cancelled: NMR')

        when:
        def zh = get('/notifications?lang=zh-CN', 'alice')

        then:
        zh.body().contains('预约已取消')
        zh.body().contains('我的预约')

        when: 'all read; English mail'
        def read = post('/notifications/read-all', 'alice', [:])
        def lang = post('/notifications/language', 'alice', [language: 'en'])
        def bad = post('/notifications/language?lang=en', 'alice', [language: 'fr'])
        def after = get('/notifications?lang=en', 'alice')

        then:
        read.statusCode() == 303
        lang.statusCode() == 303
        bad.statusCode() == 400
        !after.body().contains('nav-badge')
        byId(after.body(), 'unread-count') == '0 unread'
        after.body() =~ /id="lang-en"\s+checked/
        f.send('GET', '/api/v1/notifications?unread=true', 'alice').body.unread == 0
    }

    def "my calendar feed: created with its link shown once, rotated, revoked"() {
        when:
        def created = post('/my/calendar-feed?lang=en', 'bob', [:])
        String url = (created.body() =~ /id="feed-url"[^>]*value="([^"]+)"/)[0][1]

        then:
        created.statusCode() == 200
        url.contains('/ical/') && url.endsWith('.ics')
        http.send(HttpRequest.newBuilder(URI.create(app(URI.create(url).path))).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200

        when:
        def list = get('/my/bookings?lang=en', 'bob')
        String feedId = (list.body() =~ /data-feed="([^"]+)"/)[0][1]
        def rotated = post("/my/calendar-feed/${feedId}/rotate?lang=en", 'bob', [:])
        String url2 = (rotated.body() =~ /id="feed-url"[^>]*value="([^"]+)"/)[0][1]

        then:
        !list.body().contains(url)
        url2 != url
        http.send(HttpRequest.newBuilder(URI.create(app(URI.create(url).path))).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 404

        when:
        def revoked = post("/my/calendar-feed/${feedId}/revoke", 'bob', [:])

        then:
        revoked.statusCode() == 303
        http.send(HttpRequest.newBuilder(URI.create(app(URI.create(url2).path))).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 404
        get('/my/bookings', 'bob').body().contains('id="create-feed"')
    }

    def "isolation: another institution's instruments, bookings, waitlist entries, feeds and notices answer as missing ones"() {
        given: 'alice of A has a booking, a waitlist entry, a feed and a notice'
        def nmr = f.instrument()
        f.openRules(nmr)
        def b = f.book('alice', nmr, '2030-03-08T10:00:00+08:00', '2030-03-08T11:00:00+08:00')
        def bobs = f.book('bob', nmr, '2030-03-08T12:00:00+08:00', '2030-03-08T13:00:00+08:00')
        def w = f.send('POST', "/api/v1/instruments/${nmr}/waitlist", 'alice', [start: '2030-03-08T12:00:00+08:00', end: '2030-03-08T13:00:00+08:00'])
        def feed = f.send('POST', '/api/v1/calendar-feeds', 'alice', [kind: 'mine'])
        assert f.send('POST', "/api/v1/bookings/${bobs.body.id}/cancel", 'bob', [:]).status == 200
        def offer = f.send('GET', '/api/v1/waitlist', 'alice').body.items.find { it.id == w.body.id }.offer
        def notice = f.send('GET', '/api/v1/notifications', 'alice').body.items[0]
        List<String> foreign = [nmr.toString(), b.body.id as String, w.body.id as String, offer.id as String,
                                feed.body.id as String, notice.id as String]
        def snapshotOfA = {
            [f.count("select count(*) from booking where status in ('requested', 'approved')"),
             f.count("select count(*) from booking_waitlist where status in ('waiting', 'offered')"),
             f.count('select count(*) from calendar_feed where revoked_at is null'),
             f.count('select count(*) from notification where read_at is null')]
        }
        String form = "_csrf=${PageForms.enc(web.adminB.csrf as String)}&start=2030-03-08T10%3A00&end=2030-03-08T11%3A00"

        when: 'adminB (institution B, no role in A) tries them all, at home and naming A'
        def report = IsolationProbe.against(app(''), [Cookie: web.adminB.cookie as String, 'Content-Type': FORM,
                                                      Accept: 'text/html', 'Accept-Language': 'en'])
                .probe('POST', '/instruments/{id}/calendar', form)
                .probe('POST', '/instruments/{id}/calendar', form + "&tenant=${slugA()}")
                .probe('POST', '/instruments/{id}/waitlist', form + "&tenant=${slugA()}")
                .probe('POST', '/my/bookings/{id}/cancel', form)
                .probe('POST', '/my/bookings/{id}/cancel', form + "&tenant=${slugA()}")
                .probe('POST', '/my/bookings/{id}/check-in', form)
                .probe('POST', '/my/bookings/{id}/reschedule', form)
                .probe('POST', '/my/waitlist/{id}/withdraw', form)
                .probe('POST', '/my/waitlist/offers/{id}/accept', form)
                .probe('POST', '/my/waitlist/offers/{id}/decline', form + "&tenant=${slugA()}")
                .probe('POST', '/my/calendar-feed/{id}/rotate', form)
                .probe('POST', '/my/calendar-feed/{id}/revoke', form)
                .probe('POST', '/notifications/{id}/read', form)
                .run(foreign, snapshotOfA)
        def reads = IsolationProbe.against(app(''), [Cookie: web.adminB.cookie as String, Accept: 'text/html', 'Accept-Language': 'en'])
                .probe('GET', '/instruments/{id}/calendar')
                .probe('GET', "/instruments/{id}/calendar?tenant=${slugA()}".toString())
                .run(foreign, snapshotOfA)
        def events = IsolationProbe.against(app(''), [Cookie: web.adminB.cookie as String, Accept: 'application/json'])
                .probe('GET', "/instruments/{id}/calendar/events?tenant=${slugA()}".toString())
                .probe('GET', '/instruments/{id}/calendar/events')
                .run(foreign, snapshotOfA)
        println "isolation probe (booking pages): ${report.probesMade() + reads.probesMade() + events.probesMade()} probes, ${report.leaks().size() + reads.leaks().size() + events.leaks().size()} leaks"

        then:
        report.leaks() == []
        reads.leaks() == []
        !report.dataOfOwnerChanged()
        report.outcomes().every { it.foreignStatus() == 404 }
        reads.outcomes().every { it.foreignStatus() == 404 }
        events.leaks() == []
        events.outcomes().every { it.foreignStatus() == 404 }

        when: 'bob, of the same institution, on alice booking'
        def cancel = post("/my/bookings/${b.body.id}/cancel", 'bob', [:])
        def accept = post("/my/waitlist/offers/${offer.id}/accept", 'bob', [:])

        then:
        cancel.statusCode() == 404
        accept.statusCode() == 404
        f.count("select count(*) from booking where id = ? and status = 'approved'", UUID.fromString(b.body.id as String)) == 1
    }
}
