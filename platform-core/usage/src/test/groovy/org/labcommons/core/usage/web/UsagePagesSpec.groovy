package org.labcommons.core.usage.web

import jakarta.inject.Inject
import org.labcommons.core.booking.BookingClock
import org.labcommons.testkit.PageForms
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import java.net.http.HttpClient
import java.net.http.HttpResponse
import java.time.Clock
import java.time.ZoneOffset

/**
 * The usage pages over plain HTTP (UsagePagesBrowserSpec drives them in Chromium), on the data of
 * {@link UsagePagesFixture} with the clock at Monday 2030-03-04 10:00 in Shanghai: the live status on the
 * catalogue's instrument page and beside the booking calendar, the lab dashboard, an instrument's day
 * (times in the institution's zone, persons for staff only), the unattributed queue and its
 * attribution, the person's own history; who may see which, and 404 for another institution's instrument.
 */
class UsagePagesSpec extends PlatformSpec {
    @Inject BookingClock clock
    @Shared UsagePagesFixture f
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()

    def setup() {
        clock.set(Clock.fixed(UsagePagesFixture.NOW, ZoneOffset.UTC))
        if (f == null) {
            f = new UsagePagesFixture(ctx)
        }
    }

    def cleanup() {
        clock.set(null)
    }

    HttpResponse<String> get(String who, String path) {
        PageForms.get(http, baseUrl + path, f.web[who])
    }

    String page(String who, String path) {
        def r = get(who, path)
        assert r.statusCode() == 200: "${r.statusCode()} ${r.body()?.take(400)}"
        r.body()
    }

    static String state(String html, String id) {
        def m = html =~ /id="${id}"[^>]*data-state="([a-z_]+)"|data-state="([a-z_]+)"[^>]*id="${id}"/
        m.find() ? (m.group(1) ?: m.group(2)) : null
    }

    def "the instrument page shows the live status: in use since when, by whom only to its staff, offline, nothing where nothing reports"() {
        given:
        String slug = f.world.tenant('us-a').slug

        when:
        String staff = page('staff', "/t/${slug}/instruments/${f.instruments.nmr}?lang=en")
        String alice = page('alice', "/t/${slug}/instruments/${f.instruments.nmr}?lang=zh-CN")
        String xrd = page('staff', "/t/${slug}/instruments/${f.instruments.xrd}?lang=en")
        String other = page('staff', "/t/${slug}/instruments/${f.instruments.other}?lang=en")

        then: 'in use since 09:50 Shanghai time (01:50Z), by Bob: the staff see the name, a member does not'
        state(staff, 'live-status') == 'in_use'
        staff.contains('since 2030-03-04 09:50')
        PageForms.byId(staff, 'live-status', 'section').contains('Bob Li')
        staff.contains('last seen 2030-03-04 09:58 (Asia/Shanghai)')
        staff.contains("href=\"/instruments/${f.instruments.nmr}/usage\"")
        state(alice, 'live-status') == 'in_use'
        alice.contains('自 2030-03-04 09:50 起')
        !PageForms.byId(alice, 'live-status', 'section').contains('Bob Li')

        and: 'the XRD last reported 30 minutes ago: offline; nothing reports for the thermal analyser'
        state(xrd, 'live-status') == 'offline'
        xrd.contains('last seen 2030-03-04 09:30')
        !other.contains('id="live-status"')
    }

    def "the booking calendar carries the live status badge"() {
        when:
        String html = page('staff', "/instruments/${f.instruments.nmr}/calendar?lang=en")

        then:
        state(html, 'live-badge') == 'in_use'
        PageForms.byId(html, 'live-badge', 'p').contains('Bob Li')
    }

    def "the lab dashboard: the staff's instruments now, today's hours and the next booking; others may not open it"() {
        when:
        String html = page('staff', '/lab/usage?lang=en')

        then: 'the lab\'s two instruments, not the other lab\'s'
        html.contains("id=\"instrument-${f.instruments.nmr}\"")
        html.contains("id=\"instrument-${f.instruments.xrd}\"")
        !html.contains("id=\"instrument-${f.instruments.other}\"")
        state(html, "instrument-${f.instruments.nmr}") == 'in_use'
        state(html, "instrument-${f.instruments.xrd}") == 'offline'

        and: 'NMR: 60 minutes of Alice plus 10 of Bob so far today; the next booking is Bob\'s at 14:00; XRD: nothing'
        def nmr = (html =~ /(?s)id="instrument-${f.instruments.nmr}".*?<\/li>/)[0] as String
        nmr.contains('class="today">1:10<')
        nmr.contains('2030-03-04 14:00–16:00 · Bob Li')
        nmr.contains("href=\"/instruments/${f.instruments.nmr}/usage\"")
        def xrd = (html =~ /(?s)id="instrument-${f.instruments.xrd}".*?<\/li>/)[0] as String
        xrd.contains('class="today">0:00<')

        and: 'the queue is linked with its count'
        html.contains('Unattributed sessions (3)')

        expect: 'a member without a managing role gets the forbidden page'
        get('alice', '/lab/usage').statusCode() == 403
    }

    def "an instrument's day: times in the institution's zone, the chart's data, persons for staff and each their own"() {
        when:
        String html = page('staff', "/instruments/${f.instruments.nmr}/usage?day=2030-03-04&lang=en")
        Map chart = ctx.getBean(io.micronaut.json.JsonMapper).readValue((html =~ /(?s)<script type="application\/json" id="usage-chart-data">(.*?)<\/script>/)[0][1] as String, Map)

        then: 'two sessions and one booking of the day, in Shanghai time'
        html.contains('2030-03-04 08:30–09:30')
        html.contains('2030-03-04 09:50–…')
        html.contains('2030-03-04 08:00–09:30')
        html.contains('2030-03-04 14:00–16:00')
        html.contains('Alice Zhang')
        html.contains('Bob Li')
        (html =~ /<tr data-session=/).count == 2
        (html =~ /<tr data-booking=/).count == 2

        and: 'the chart: the day from 00:00 to 24:00 local time (as UTC milliseconds), 60 samples, the bands'
        chart.from == java.time.LocalDateTime.parse('2030-03-04T00:00').toInstant(ZoneOffset.UTC).toEpochMilli()
        chart.to == java.time.LocalDateTime.parse('2030-03-05T00:00').toInstant(ZoneOffset.UTC).toEpochMilli()
        chart.power.size() == 60
        chart.sessions.size() == 2
        chart.bookings.size() == 2
        chart.sessions[0][0] == java.time.LocalDateTime.parse('2030-03-04T08:30').toInstant(ZoneOffset.UTC).toEpochMilli()
        chart.sessions[1][1] == java.time.LocalDateTime.parse('2030-03-04T10:00').toInstant(ZoneOffset.UTC).toEpochMilli()

        when: 'Alice, a member: her own name, not Bob\'s'
        String alice = page('alice', "/instruments/${f.instruments.nmr}/usage?day=2030-03-04&lang=en")

        then:
        alice.contains('Alice Zhang')
        !alice.contains('Bob Li')
        alice.contains('(not shown)')

        when: 'no day: today in Shanghai; the day before has the three unattributed sessions'
        String today = page('staff', "/instruments/${f.instruments.nmr}/usage?lang=zh-CN")
        String before = page('staff', "/instruments/${f.instruments.nmr}/usage?day=2030-03-03&lang=zh-CN")

        then:
        today.contains('id="day">2030-03-04<')
        today.contains('时间为 Asia/Shanghai 时区')
        (before =~ /data-link="unattributed"/).count == 3
    }

    def "another institution's instrument is a 404, a bad day a 400"() {
        expect:
        get('staffB', "/instruments/${f.instruments.nmr}/usage").statusCode() == 404
        get('staff', "/instruments/${f.instruments.far}/usage").statusCode() == 404
        get('staff', "/instruments/${UUID.randomUUID()}/usage").statusCode() == 404
        get('staff', "/instruments/not-an-id/usage").statusCode() == 404
        get('staff', "/instruments/${f.instruments.nmr}/usage?day=04.03.2030").statusCode() == 400
    }

    def "the unattributed queue: the lab's sessions newest first; attributing one removes it, with the reason audited"() {
        when:
        String html = page('staff', '/staff/usage/unattributed?lang=en')
        List<String> order = (html =~ /<li class="usage-session[^"]*" id="session-([0-9a-f-]+)"/).collect { it[1] }

        then: 'the three of the NMR, newest first; the other lab\'s is not there'
        order == [f.sessions.u07, f.sessions.u03, f.sessions.u00]*.toString()
        html.contains('2030-03-03 15:00–15:40')

        when: 'a reason is missing'
        def refused = PageForms.post(http, "${baseUrl}/staff/usage/unattributed/${f.sessions.u03}/attribute?lang=en", f.web.staff,
                [person: f.world.person('alice').subject, booking: '', reason: ''])

        then: 'the queue again, the field named, nothing changed'
        refused.statusCode() == 400
        refused.body().contains('id="error-reason"')
        f.count("select count(*) from usage_session where id = ? and link = 'unattributed'", f.sessions.u03) == 1

        when: 'an unknown person'
        def unknown = PageForms.post(http, "${baseUrl}/staff/usage/unattributed/${f.sessions.u03}/attribute?lang=en", f.web.staff,
                [person: 'nobody@nowhere.example', booking: '', reason: 'her card was broken'])

        then:
        unknown.statusCode() == 400
        unknown.body().contains('id="error-person"')

        when: 'attributed to Alice'
        def done = PageForms.post(http, "${baseUrl}/staff/usage/unattributed/${f.sessions.u03}/attribute", f.web.staff,
                [person: f.world.person('alice').subject, booking: '', reason: 'her card was broken'])

        then: 'back to the queue, which no longer holds it'
        done.statusCode() == 303
        done.headers().firstValue('Location').get() == '/staff/usage/unattributed?done=attributed'
        String after = page('staff', '/staff/usage/unattributed?done=attributed&lang=en')
        after.contains('id="done"')
        !after.contains("id=\"session-${f.sessions.u03}\"")
        (after =~ /<li class="usage-session/).count == 2
        // kept beside the measured values: a correction naming Alice, the session's own row as measured
        f.count("select count(*) from usage_session_correction where session_id = ? and user_id = ? and booking_id is null",
                f.sessions.u03, f.users.alice) == 1
        f.count("select count(*) from usage_session where id = ? and link = 'unattributed' and user_id is null", f.sessions.u03) == 1
        PlatformSpec.ownerConnection().withCloseable { c ->
            // the audit log is tenant data: bind A, as the application does
            c.prepareStatement("select set_config('app.tenant_id', ?, false)").with { setString(1, f.tenantA.toString()); executeQuery() }
            def ps = c.prepareStatement("select details->>'reason' from audit_event where action = 'usage_session.attributed' and target_id = ?")
            ps.setString(1, f.sessions.u03.toString())
            def rs = ps.executeQuery()
            rs.next() ? rs.getString(1) : null
        } == 'her card was broken'

        when: 'attributing it again'
        def again = PageForms.post(http, "${baseUrl}/staff/usage/unattributed/${f.sessions.u03}/attribute?lang=en", f.web.staff,
                [person: f.world.person('bob').subject, booking: '', reason: 'twice'])

        then:
        again.statusCode() == 409
        again.body().contains('This session is attributed already')

        expect: 'a member may not open the queue or attribute; another lab\'s session and another institution are out of reach'
        get('alice', '/staff/usage/unattributed').statusCode() == 403
        PageForms.post(http, "${baseUrl}/staff/usage/unattributed/${f.sessions.u07}/attribute", f.web.alice,
                [person: f.world.person('alice').subject, reason: 'mine']).statusCode() == 403
        PageForms.post(http, "${baseUrl}/staff/usage/unattributed/${f.sessions.other}/attribute", f.web.staff,
                [person: f.world.person('alice').subject, reason: 'x']).statusCode() == 403
        PageForms.post(http, "${baseUrl}/staff/usage/unattributed/${f.sessions.u07}/attribute", f.web.staffB,
                [person: f.world.person('alice').subject, reason: 'x']).statusCode() == 404
    }

    def "a booking offered for an unattributed session links it as booked; a booking of another instrument is refused"() {
        given: 'a session beside a booking of Alice the day before'
        UUID b = f.booking(f.instruments.nmr, 'alice', '2030-03-03T05:00:00Z', '2030-03-03T06:00:00Z', 'approved')
        UUID s = f.session(f.instruments.nmr, '2030-03-03T05:10:00Z', '2030-03-03T05:50:00Z', null, 'unattributed', 'B', null)
        UUID elsewhere = f.booking(f.instruments.xrd, 'alice', '2030-03-03T05:00:00Z', '2030-03-03T06:00:00Z', 'approved')

        expect: 'the form offers the booking'
        page('staff', '/staff/usage/unattributed').contains("<option value=\"${b}\"")

        when:
        def wrong = PageForms.post(http, "${baseUrl}/staff/usage/unattributed/${s}/attribute?lang=en", f.web.staff,
                [person: 'alice-x@example.org', booking: elsewhere.toString(), reason: 'forgot to swipe'])
        def right = PageForms.post(http, "${baseUrl}/staff/usage/unattributed/${s}/attribute", f.web.staff,
                [person: 'alice-x@example.org', booking: b.toString(), reason: 'forgot to swipe'])

        then:
        wrong.statusCode() == 400
        wrong.body().contains('id="error-bookingId"')
        right.statusCode() == 303
        f.count("select count(*) from usage_session_correction where session_id = ? and booking_id = ? and user_id = ?",
                s, b, f.users.alice) == 1
        page('staff', '/staff/usage/unattributed').contains("id=\"session-${s}\"") == false
    }

    def "my usage: the person's own sessions, newest first, with minutes, grade and whether booked"() {
        when:
        String alice = page('alice', '/my/usage?lang=en')
        String bob = page('bob', '/my/usage?lang=zh-CN')

        then:
        alice.contains('2030-03-04 08:30–09:30')
        alice.contains('NMR spectrometer')
        alice.contains('>60<')
        alice.contains('>booked<')
        !alice.contains('09:50')
        bob.contains('2030-03-04 09:50–…')
        bob.contains('>10<')
        bob.contains('>无预约<')
        !bob.contains('08:30–09:30')

        and: 'linked from the navigation beside "my bookings"'
        alice.contains('href="/my/usage"')
    }

    def "my usage is paged, newest first"() {
        given: '23 more sessions of a new person'
        f.world.and { within('us-a') { person('dora', TenantWorld.USER) } }
        f.users.dora = f.world.person('dora').userId
        f.signIn('dora', 'us-a')
        (0..<23).each { d ->
            def day = java.time.LocalDate.parse('2030-02-01').plusDays(d)
            f.session(f.instruments.xrd, "${day}T01:00:00Z", "${day}T02:00:00Z", 'dora', 'unbooked', 'A', null)
        }

        when:
        String first = page('dora', '/my/usage?lang=en')
        String second = page('dora', '/my/usage?page=1&lang=en')

        then:
        (first =~ /<tr data-session=/).count == 20
        first.indexOf('2030-02-23 09:00') < first.indexOf('2030-02-22 09:00')
        first.contains('rel="next"')
        (second =~ /<tr data-session=/).count == 3
        second.contains('2030-02-01 09:00–10:00')
    }
}
