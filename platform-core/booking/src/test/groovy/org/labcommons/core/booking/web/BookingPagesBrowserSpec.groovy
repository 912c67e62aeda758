package org.labcommons.core.booking.web

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.core.booking.BookingSpec
import org.labcommons.core.web.auth.WebSessions
import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.Browser
import org.openqa.selenium.Cookie

import java.time.Duration

/**
 * The user's booking pages in headless Chromium: from the instrument's page to its calendar
 * (FullCalendar draws the busy slot, without a name, and the closed hours), a free range chosen in
 * the calendar fills the form, the booking appears in "my bookings" and on the calendar as mine, a
 * taken slot answers with the slot in the way and an offer to wait for it, cancelling; in Chinese
 * on a desktop and in English at a phone's width without sideways scrolling. The booking clock is
 * fixed at 2030-03-04T00:00Z (Monday 08:00 in Shanghai), so the calendar opens on that week.
 */
class BookingPagesBrowserSpec extends BookingSpec {
    @Inject JsonMapper json
    @Inject WebSessions sessions
    Browser browser = Browser.get()

    def setup() {
        browser.reset()
    }

    String app(String path) { "http://localhost:${server.port}${path}" }

    String slugA() { "bk-a-${f.run}".toString() }

    /** Signs {@code who} (of institution A) in by giving the browser a session cookie. */
    void signIn(String who) {
        def created = sessions.create(SharedDevStack.get().identityProvider().issuer(f.issuerNames.a),
                "${who}-${f.run}".toString(), who, Duration.ofHours(1))
        browser.open(app('/health'))
        browser.driver().manage().addCookie(new Cookie('LC_SESSION', created.rawId(), '/'))
    }

    /** An instrument of A open around the clock on weekdays, with the admin's booking on Tuesday 10:00-12:00. */
    UUID instrumentWithBusySlot() {
        def nmr = f.instrument()
        Map weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'].collectEntries { [(it): [[from: '08:00', to: '20:00']]] }
        f.openRules(nmr, [weeklyHours: weekdays])
        assert f.book('admin', nmr, '2030-03-05T10:00:00+08:00', '2030-03-05T12:00:00+08:00').status == 201
        nmr
    }

    void setTimes(String start, String end) {
        browser.js("document.getElementById('f-start').value = arguments[0]; document.getElementById('f-end').value = arguments[1]",
                start, end)
    }

    String param(String name) {
        (browser.url() =~ /[?&]${name}=([^&#]+)/)[0][1]
    }

    def "from the instrument page a user books a free slot on the calendar, meets a taken one, waits for it and cancels (Chinese)"() {
        given:
        def nmr = instrumentWithBusySlot()
        signIn('alice')

        when: 'the instrument page has a book button'
        browser.open(app("/t/${slugA()}/instruments/${nmr}?lang=zh-CN"))

        then:
        browser.text('#book-button') == '预约'

        when:
        browser.submit('#book-button')

        then: 'the calendar opens on the current week; FullCalendar draws the busy slot without a name, and the closed hours'
        browser.pathAndQuery().startsWith("/instruments/${nmr}/calendar")
        browser.text('#calendar-title') == '预约 · 核磁'
        browser.find('#calendar .fc-timegrid')
        browser.find('#calendar .fc-event[data-kind=booking]').getAttribute('data-start') == '2030-03-05T10:00'
        browser.findAll('#calendar .fc-event[data-kind=booking]').size() == 1
        browser.attribute('#calendar .fc-event[data-kind=booking]', 'title') == '已预约'
        !browser.text('#calendar').contains('admin')
        browser.findAll('#calendar .fc-bg-event[data-kind=hours]').size() >= 7
        browser.text('#busy-list').contains('2030-03-05 10:00')
        browser.text('#rate-group') == '校内'
        browser.text('#authorisation') == '本仪器无需授权'
        browser.screenshot('booking-calendar-zh')

        when: 'a free range chosen in the calendar fills the form'
        browser.js("document.getElementById('calendar').lcCalendar.select('2030-03-06T09:00:00Z', '2030-03-06T11:00:00Z')")

        then:
        browser.find('#f-start').getDomProperty('value') == '2030-03-06T09:00'
        browser.find('#f-end').getDomProperty('value') == '2030-03-06T11:00'

        when: 'booked'
        browser.type('#f-accountCode', 'NSFC-21973001')
        browser.type('#f-purpose', '核磁氢谱')
        browser.submit('#book-submit')
        String id = param('booking')

        then: 'it is in my bookings, approved at once'
        browser.pathAndQuery().startsWith('/my/bookings?done=approved')
        browser.text('#done') == '预约成功，该时段已为您保留。'
        browser.attribute("#my-list [data-booking='${id}']", 'data-status') == 'approved'
        browser.text("#my-list [data-booking='${id}'] .when") == '2030-03-06 09:00 – 11:00'
        browser.text("#my-list [data-booking='${id}'] .status") == '已批准'
        browser.text("#my-list [data-booking='${id}']").contains('NSFC-21973001')

        when: 'back on the calendar, it is mine'
        browser.open(app("/instruments/${nmr}/calendar"))

        then:
        browser.find('#calendar .fc-event[data-kind=mine]').getAttribute('data-start') == '2030-03-06T09:00'

        when: 'the taken time'
        setTimes('2030-03-05T11:00', '2030-03-05T12:30')
        browser.submit('#book-submit')

        then: 'a clear conflict with the slot in the way, and the offer to wait'
        browser.text('#conflict strong') == '该时段已被占用'
        browser.text('#conflict-detail') == '与已有预约（2030-03-05 10:00至2030-03-05 12:00）冲突。'
        browser.attribute('#f-start', 'value') == '2030-03-05T11:00'
        browser.screenshot('booking-conflict-zh')

        when:
        browser.submit('#join-waitlist')

        then:
        browser.text('#done') == '您已加入该时段的候补。'
        browser.attribute('#waitlist [data-entry]', 'data-status') == 'waiting'
        browser.text('#waitlist [data-entry] .when') == '2030-03-05 11:00 – 12:30'

        when: 'the booking is cancelled (asked once)'
        browser.click("#my-list [data-booking='${id}'] summary.ask-cancel")
        browser.submit("#my-list [data-booking='${id}'] button.cancel")

        then:
        browser.text('#done') == '预约已取消。'
        browser.attribute("#my-list [data-booking='${id}']", 'data-status') == 'cancelled'
        !browser.exists("#my-list [data-booking='${id}'] summary.ask-cancel")
        f.count("select count(*) from booking where id = ? and status = 'cancelled'", UUID.fromString(id)) == 1

        and: 'the notice of it is counted in the navigation'
        browser.openNav().text('#nav a[href="/notifications"] .nav-badge') == '1'
    }

    def "in English at a phone's width: the calendar, the conflict, booking and my bookings fit without sideways scrolling"() {
        given:
        def nmr = instrumentWithBusySlot()
        signIn('bob')
        browser.phone()

        when:
        browser.open(app("/instruments/${nmr}/calendar?lang=en"))

        then: 'FullCalendar shows three days on a phone, with the busy slot'
        browser.viewportWidth() == 390
        browser.text('#calendar-title') == 'Book · NMR'
        browser.find('#calendar .fc-event[data-kind=booking]').getAttribute('title') == 'Booked'
        browser.findAll('#calendar .fc-col-header-cell').size() == 3
        browser.text('#zone-note').contains('Asia/Shanghai')
        browser.assertNoHorizontalScroll()
        browser.screenshot('booking-calendar-phone-en')

        when: 'a taken time'
        setTimes('2030-03-05T10:30', '2030-03-05T11:30')
        browser.submit('#book-submit')

        then:
        browser.text('#conflict strong') == 'This time is already taken'
        browser.text('#conflict-detail') == 'It overlaps a booking from 2030-03-05 10:00 to 2030-03-05 12:00.'
        browser.visible('#join-waitlist')
        browser.assertNoHorizontalScroll()

        when: 'a free time'
        setTimes('2030-03-05T15:00', '2030-03-05T16:00')
        browser.submit('#book-submit')
        String id = param('booking')

        then:
        browser.text('#done') == 'Booked. The time is yours.'
        browser.text("#my-list [data-booking='${id}'] .status") == 'Approved'
        browser.visible("#my-list [data-booking='${id}'] summary.ask-cancel")
        browser.assertNoHorizontalScroll()
        browser.screenshot('my-bookings-phone-en')

        when:
        browser.click("#my-list [data-booking='${id}'] summary.ask-cancel")
        browser.submit("#my-list [data-booking='${id}'] button.cancel")

        then:
        browser.text('#done') == 'The booking is cancelled.'
        browser.attribute("#my-list [data-booking='${id}']", 'data-status') == 'cancelled'

        when: 'the notifications'
        browser.open(app('/notifications'))

        then:
        browser.text('h1') == 'Notifications'
        browser.text('#notification-list .notice-title') == 'Booking cancelled: NMR'
        browser.assertNoHorizontalScroll()

        when:
        browser.submit('#notification-list button.mark-read')

        then:
        browser.text('#unread-count') == '0 unread'
        !browser.exists('#nav .nav-badge')
    }
}
