package org.labcommons.core.booking.web

import jakarta.inject.Inject
import org.labcommons.core.booking.BookingSpec
import org.labcommons.core.web.auth.WebSessions
import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.Browser
import org.openqa.selenium.Cookie
import org.openqa.selenium.Keys

import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.ZoneOffset

/**
 * The booking calendar as a researcher meets it, in Chinese at a phone's and a desktop's width: it opens on the first
 * week with free time and greys the time already over; a refused submit comes back on the chosen week with the time
 * still chosen; a person not trained on the instrument finds the assisted session chosen and is not refused; a time is
 * chosen with the keyboard or two taps; and every word of the calendar is Chinese.
 */
class BookingCalendarBrowserSpec extends BookingSpec {
    @Inject WebSessions sessions
    Browser browser = Browser.get()

    /** Friday 2030-03-08 18:00 in Shanghai. */
    static final Instant FRIDAY_EVENING = Instant.parse('2030-03-08T10:00:00Z')

    def setup() {
        browser.reset()
    }

    String app(String path) { "http://localhost:${server.port}${path}" }

    void signIn(String who, String size) {
        def created = sessions.create(SharedDevStack.get().identityProvider().issuer(f.issuerNames.a),
                "${who}-${f.run}".toString(), who, Duration.ofHours(1))
        browser.open(app('/health'))
        browser.driver().manage().addCookie(new Cookie('LC_SESSION', created.rawId(), '/'))
        size == 'phone' ? browser.phone() : browser.desktop()
    }

    /** An instrument of A open 08:00-20:00 on weekdays. */
    UUID weekdaysInstrument(Map overrides = [:]) {
        def nmr = f.instrument()
        Map weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'].collectEntries { [(it): [[from: '08:00', to: '20:00']]] }
        f.openRules(nmr, [weeklyHours: weekdays] + overrides)
        nmr
    }

    void openCalendar(UUID nmr, String query = '') {
        browser.open(app("/instruments/${nmr}/calendar?lang=zh-CN${query}"))
        browser.waitUntil('the calendar drew its events') { browser.exists('#calendar .fc-bg-event[data-kind=hours]') }
    }

    /** Brings the element into view for a screenshot. */
    void scrollTo(String id) {
        browser.js("document.getElementById(arguments[0]).scrollIntoView({ block: 'center' })", id)
    }

    String weekField() {
        browser.attribute('#booking-form input[name=week]', 'value')
    }

    String value(String css) {
        browser.find(css).getDomProperty('value')
    }

    def "the calendar opens on the first week with free time, and greys the time already over (#size)"() {
        given: 'Friday 18:00; the rest of the week (18:00-20:00) is booked, the weekend closed'
        clock.set(Clock.fixed(FRIDAY_EVENING, ZoneOffset.UTC))
        def nmr = weekdaysInstrument()
        assert f.book('admin', nmr, '2030-03-08T18:00:00+08:00', '2030-03-08T20:00:00+08:00').status == 201
        signIn('alice', size)

        when:
        openCalendar(nmr)

        then: 'the next week, not this one'
        weekField() == '2030-03-11'
        browser.attribute('#calendar', 'data-view-start') == '2030-03-11'
        browser.exists("#calendar .fc-timegrid-col[data-date='2030-03-11']")
        browser.text('#week-list summary').contains('2030-03-11')
        !browser.exists('#calendar .fc-bg-event[data-kind=past]')
        browser.assertNoHorizontalScroll()
        browser.screenshot("calendar-opens-on-free-week-${size}")

        when: 'the week that is nearly over'
        openCalendar(nmr, '&week=2030-03-04')

        then: 'its days so far are greyed as past'
        browser.findAll('#calendar .fc-bg-event[data-kind=past]').size() >= 3
        browser.attribute('#calendar .fc-bg-event[data-kind=past]', 'title') == '已过去'
        browser.text('#legend').contains('已过去')

        when: 'a past slot is tapped'
        browser.tapCalendarSlot('2030-03-06', '10:00:00')

        then: 'it is not chosen, and the page says why'
        value('#f-start') == ''
        browser.text('#calendar-status').contains('已经过去，不能预约')
        browser.screenshot("calendar-past-greyed-${size}")

        where:
        size << ['phone', 'desktop']
    }

    def "a refused submit comes back on the chosen week, with the time still chosen and the error shown (#size)"() {
        given: 'slots of at least an hour'
        def nmr = weekdaysInstrument([minSlotMinutes: 60])
        signIn('bob', size)
        openCalendar(nmr)

        when: 'the calendar is moved on to the next week and half an hour chosen there'
        browser.js("var c = document.getElementById('calendar').lcCalendar; c.gotoDate('2030-03-13'); " +
                "c.select('2030-03-13T09:00:00Z', '2030-03-13T09:30:00Z')")
        browser.submit('#book-submit')

        then: 'refused, on the week of the chosen time'
        browser.text('#error-end') == '预约时长不能少于 60 分钟'
        weekField() == '2030-03-11'
        browser.text('#week-list summary').contains('2030-03-11')
        browser.waitUntil('the chosen week is drawn') { browser.exists("#calendar .fc-timegrid-col[data-date='2030-03-13']") }
        value('#f-start') == '2030-03-13T09:00'
        value('#f-end') == '2030-03-13T09:30'
        browser.visible('#calendar .fc-highlight')
        scrollTo('calendar')
        browser.screenshot("calendar-refused-keeps-week-${size}")

        where:
        size << ['phone', 'desktop']
    }

    def "a person not trained finds the assisted session chosen, with why, and the first submit is accepted (#size)"() {
        given: 'the instrument needs an authorisation, which alice has not'
        def nmr = weekdaysInstrument([qualificationRequired: true])
        signIn('alice', size)

        when:
        openCalendar(nmr)

        then:
        browser.find('#f-assisted').selected
        browser.text('#assisted-chosen p') == '您尚未通过本仪器的培训，已为您选择由工作人员操作的协助预约。协助预约需仪器管理员审批。'
        browser.attribute('#training-link', 'href').endsWith("/instruments/${nmr}")
        !browser.visible('#assisted-needed')
        scrollTo('assisted-chosen')
        browser.screenshot("calendar-untrained-assisted-chosen-${size}")

        when: 'unticked, the page says before submit that it would be refused'
        browser.click('#f-assisted')

        then:
        browser.visible('#assisted-needed')

        when: 'ticked again, a free time booked'
        browser.click('#f-assisted')
        browser.js("document.getElementById('calendar').lcCalendar.select('2030-03-06T09:00:00Z', '2030-03-06T11:00:00Z')")
        browser.submit('#book-submit')

        then: 'not refused: an assisted request waits for the staff'
        browser.pathAndQuery().startsWith('/my/bookings?done=requested')
        f.count("select count(*) from booking where instrument_id = ? and assisted and status = 'requested'", nmr) == 1
        browser.screenshot("calendar-untrained-booked-${size}")

        where:
        size << ['phone', 'desktop']
    }

    def "a time is chosen with the keyboard: arrows move a visible cursor, Enter sets the start, Space the end (#size)"() {
        given:
        def nmr = weekdaysInstrument()
        signIn('bob', size)
        openCalendar(nmr)
        def calendar = browser.find('#calendar')

        when: 'focused, the cursor starts at the first slot not over (Monday 08:00) and moves two days and an hour'
        calendar.sendKeys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_DOWN, Keys.ARROW_DOWN)

        then:
        browser.js('return document.activeElement.id') == 'calendar'
        browser.attribute('#calendar', 'data-cursor') == '2030-03-06T09:00'
        browser.visible('#calendar .fc-bg-event.lc-cursor')
        browser.text('#calendar-status').startsWith('当前时间段')

        when: 'Enter sets the start'
        calendar.sendKeys(Keys.ENTER)

        then:
        browser.attribute('#calendar', 'data-anchor') == '2030-03-06T09:00'
        browser.text('#calendar-status').startsWith('开始时间')
        browser.screenshot("calendar-keyboard-start-${size}")

        when: 'three slots down, Space sets the end'
        calendar.sendKeys(Keys.ARROW_DOWN, Keys.ARROW_DOWN, Keys.ARROW_DOWN, Keys.SPACE)

        then: 'the form holds 09:00-11:00'
        value('#f-start') == '2030-03-06T09:00'
        value('#f-end') == '2030-03-06T11:00'
        browser.text('#calendar-status').startsWith('已选择')
        browser.screenshot("calendar-keyboard-chosen-${size}")

        where:
        size << ['phone', 'desktop']
    }

    def "a time is chosen with two taps: the start slot, then the end slot (#size)"() {
        given:
        def nmr = weekdaysInstrument()
        signIn('alice', size)
        openCalendar(nmr)

        when:
        browser.tapCalendarSlot('2030-03-06', '13:00:00')

        then:
        browser.attribute('#calendar', 'data-anchor') == '2030-03-06T13:00'
        browser.text('#calendar-status').startsWith('开始时间')
        value('#f-start') == ''
        browser.screenshot("calendar-tap-start-${size}")

        when:
        browser.tapCalendarSlot('2030-03-06', '14:30:00')

        then:
        value('#f-start') == '2030-03-06T13:00'
        value('#f-end') == '2030-03-06T15:00'
        browser.screenshot("calendar-tap-end-${size}")

        where:
        size << ['phone', 'desktop']
    }

    def "every word of the calendar is in the page's language: Chinese day names and hints, no English (#size)"() {
        given:
        def nmr = weekdaysInstrument()
        signIn('bob', size)

        when:
        openCalendar(nmr)
        String words = browser.js('''
            var el = document.getElementById('calendar'), out = [el.innerText];
            el.querySelectorAll('[title],[aria-label]').forEach(function (n) {
              out.push(n.getAttribute('title') || '', n.getAttribute('aria-label') || '');
            });
            return out.join(' | ');''')

        then:
        browser.texts('#calendar .fc-col-header-cell').every { it =~ /周[一二三四五六日]/ }
        !(words =~ /[A-Za-z]{2,}/)
        browser.screenshot("calendar-labels-zh-${size}")

        where:
        size << ['phone', 'desktop']
    }
}
