package org.labcommons.federation.web

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource
import jakarta.inject.Inject
import org.labcommons.core.booking.notify.NotificationMailRelay
import org.labcommons.core.mail.MailSettings
import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.Browser
import org.labcommons.testkit.PlatformSpec
import org.openqa.selenium.Cookie

import javax.sql.DataSource
import java.time.DayOfWeek
import java.time.Duration
import java.time.LocalDate
import java.time.ZoneId

/**
 * The daily journey of issue 14 in headless Chromium, in Chinese, at a phone's and a desktop's
 * width, against the dev-mode demo data and the real clock: a Xiling researcher signs in through
 * the institution chooser, finds Donghu's 400 MHz NMR in Donghu's public catalogue, sees the price
 * for members of another consortium institution and the next free times, books a slot on the
 * calendar with two taps (accepted on the first submit, waiting for approval); Donghu's NMR staff
 * approve it in their queue, whose card shows the day strip; the researcher, back through the
 * chooser's remembered institution, finds the approval among the notices and in the mail, and the
 * booking approved in "我的预约" with where it is and what it costs.
 */
class DailyJourneyBrowserSpec extends PlatformSpec {
    static final String RUN = UUID.randomUUID().toString().substring(0, 8)
    static final ZoneId SHANGHAI = ZoneId.of('Asia/Shanghai')
    static final String NMR = '400M核磁共振谱仪'

    @Inject DataSource dataSource
    @Inject NotificationMailRelay relay
    @Inject MailSettings mailSettings
    Browser browser = Browser.get()

    @Override
    Map<String, String> ownProperties() {
        ['labcommons.demo.enabled': 'true'] + NO_MAP_TILES
    }

    def setup() {
        mailSettings.enabled = true
        browser.reset()
    }

    String app(String path) { baseUrl + path }

    void resize(String size) {
        size == 'phone' ? browser.phone() : browser.desktop()
    }

    void step(String name, String size) {
        browser.assertNoHorizontalScroll()
        browser.screenshot("journey-${name}-${size}")
    }

    void scrollTo(String id) {
        browser.js("document.getElementById(arguments[0]).scrollIntoView({ block: 'center' })", id)
    }

    /** The dev provider gives no e-mail address; the researcher's account gets one, as a profile would. */
    void giveEmail(String username, String email) {
        DelegatingDataSource.unwrapDataSource(dataSource).connection.withCloseable { c ->
            def ps = c.prepareStatement('update user_account set email = ? where subject = ?')
            ps.setString(1, email); ps.setString(2, username)
            assert ps.executeUpdate() == 1
        }
    }

    /**
     * On the calendar: the first weekday column shown from {@code earliest} on, going to the next
     * weeks (or days, on a phone) with the calendar's own "next" button while none is shown.
     */
    String dayShownFrom(LocalDate earliest) {
        for (int page = 0; page < 6; page++) {
            def day = browser.findAll('#calendar .fc-timegrid-col[data-date]')
                    .collect { LocalDate.parse(it.getDomAttribute('data-date')) }
                    .find { !it.isBefore(earliest) && !(it.dayOfWeek in [DayOfWeek.SATURDAY, DayOfWeek.SUNDAY]) }
            if (day != null) {
                return day.toString()
            }
            String before = browser.attribute('#calendar', 'data-view-start')
            browser.click('#calendar .fc-next-button')
            browser.waitUntil('the calendar moved on') { browser.attribute('#calendar', 'data-view-start') != before }
        }
        throw new AssertionError("the calendar showed no weekday from ${earliest} on")
    }

    def "a Xiling researcher books Donghu's 400 MHz NMR, Donghu's staff approve it, and the researcher is told and finds it approved (#size)"() {
        given:
        resize(size)
        String researcher = "xiling-journey-${RUN}-${size}"
        String email = "${researcher}@xiling.example"
        LocalDate today = LocalDate.now(SHANGHAI)

        when: '1. the home page, 登录, the chooser: Xiling, its own provider'
        browser.open(app('/?lang=zh-CN'))
        browser.click('#login')
        browser.waitForUrl { it.contains('/login') }
        step('1-chooser', size)
        browser.signInWithChooser(baseUrl, '西岭', researcher, '/?lang=zh-CN')

        then: 'back on the home page, signed in as a Xiling member'
        browser.pathAndQuery() == '/?lang=zh-CN'
        browser.text('#account-link') == "当前用户: ${researcher}"
        step('1-signed-in', size)

        when:
        giveEmail(researcher, email)
        browser.open(app('/account'))

        then:
        browser.text('#account-tenant') == '西岭理工大学'

        when: "2. Donghu's public catalogue"
        browser.open(app('/t/donghu/instruments?lang=zh-CN'))
        def card = browser.findAll('#instrument-list li.instrument').find { it.getDomAttribute('data-asset') == 'DH-2012-0417' }

        then: 'the 400 MHz NMR is listed'
        card != null
        browser.text("#instrument-list li.instrument[data-asset='DH-2012-0417'] a.name") == NMR
        step('2-catalogue', size)

        when: 'its page'
        browser.submit("#instrument-list li.instrument[data-asset='DH-2012-0417'] a.name")

        then: "the price for a member of another consortium institution, and the next free times"
        browser.pathAndQuery().startsWith('/t/donghu/instruments/')
        browser.text('h1').contains(NMR)
        browser.text('#your-price h2') == '您的价格'
        browser.text('#your-price').contains('联盟成员单位用户')
        browser.text('#your-prices .money') == '¥120.00'
        !browser.exists('#your-price-sign-in')
        browser.text('#next-free h2') == '最近可预约时间'
        !browser.findAll('#next-free li').isEmpty()
        browser.assertNoHorizontalScroll()
        scrollTo('your-price')
        browser.screenshot("journey-2-your-price-${size}")
        scrollTo('next-free')
        browser.screenshot("journey-2-next-free-${size}")

        when: '3. 预约: the calendar'
        browser.submit('#book-button')
        browser.waitUntil('the calendar drew its events') { browser.exists('#calendar .fc-bg-event') || browser.exists('#calendar .fc-timegrid-col[data-date]') }
        String viewStart = browser.attribute('#calendar', 'data-view-start')

        then: 'it opens on a week that is not over'
        browser.pathAndQuery().contains('/calendar')
        viewStart != null
        !LocalDate.parse(viewStart).plusDays(6).isBefore(today)
        step('3-calendar-opens', size)

        when: 'two taps: the start slot, then the end slot (phone 10:00-11:00, desktop 14:00-15:00) on the first weekday after tomorrow'
        String day = dayShownFrom(today.plusDays(2))
        String hour = size == 'phone' ? '10' : '14'
        browser.tapCalendarSlot(day, "${hour}:00:00")
        browser.tapCalendarSlot(day, "${hour}:30:00")

        then:
        browser.find('#f-start').getDomProperty('value') == "${day}T${hour}:00"
        browser.find('#f-end').getDomProperty('value') == "${day}T${hour.toInteger() + 1}:00"
        browser.assertNoHorizontalScroll()
        browser.screenshot("journey-3-slot-chosen-${size}")

        when: 'submitted once'
        browser.submit('#book-submit')
        String bookingId = new URI(browser.url()).rawQuery.split('&').find { it.startsWith('booking=') }?.substring(8)

        then: "accepted on the first submit, waiting for approval: Donghu's bookings of the researcher, with this one"
        browser.pathAndQuery().startsWith('/my/bookings?tenant=donghu&done=requested')
        bookingId != null
        browser.attribute('#done', 'data-done') == 'requested'
        browser.text('#done') == '预约申请已提交，等待仪器管理员审批。'
        !browser.exists('.problem')
        browser.exists("#my-list li.booking[data-booking='${bookingId}'][data-status=requested]")
        step('3-booked-waiting', size)

        when: "4. Donghu's NMR staff sign in (their own browser) and open the approval queue"
        Cookie remembered = browser.cookie('LC_INSTITUTION')
        browser.signOut(baseUrl)
        browser.reset()
        resize(size)
        browser.signInWithChooser(baseUrl, '东湖', 'donghu-nmr-staff', '/staff/bookings?lang=zh-CN')
        String queued = "#queue-${bookingId}"

        then: 'the request is there, its card showing the day strip with this request'
        browser.pathAndQuery().startsWith('/staff/bookings')
        browser.exists("#queue li.request${queued}")
        browser.text("${queued} .day-label") == "该仪器 ${day} 当天的预约".toString()
        browser.findAll("${queued} .day-strip-list li")*.getDomAttribute('data-id').contains(bookingId)
        browser.exists("${queued} .day-strip .strip-item.this")
        browser.assertNoHorizontalScroll()
        scrollTo("queue-${bookingId}")
        browser.screenshot("journey-4-approval-card-${size}")

        when: 'approved'
        browser.submit("${queued} form.approve button")

        then:
        browser.text('#done') == '预约已批准。'
        !browser.exists(queued)
        step('4-approved', size)

        when: 'the mail relay runs'
        relay.sendDue()
        def mailed = SharedDevStack.get().mail().await({ it.to().contains(email) && it.subject().startsWith('预约已批准') },
                Duration.ofSeconds(15))

        then: 'the researcher is told by mail'
        mailed != null
        mailed.subject().contains(NMR)
        mailed.text().contains("${day} ${hour}:00".toString())

        when: '5. the researcher, back in their own browser: 登录 continues as a Xiling member'
        browser.signOut(baseUrl)
        browser.reset()
        resize(size)
        browser.open(app('/?lang=zh-CN'))
        browser.driver().manage().addCookie(new Cookie(remembered.name, remembered.value, '/'))
        browser.open(app('/?lang=zh-CN'))
        browser.click('#login')

        then:
        browser.text('#continue') == '以西岭理工大学成员身份继续'
        step('5-chooser-remembers', size)

        when:
        browser.click('#continue')
        browser.waitForUrl { it.startsWith(SharedDevStack.get().identityProvider().issuer('xiling')) }
        browser.type('input[name=username]', researcher)
        browser.click('input[type=submit]')
        browser.waitForUrl { it.startsWith(baseUrl) && !it.contains('/login') }
        String approved = "#notification-list li.notice-item[data-booking='${bookingId}'][data-kind='booking.approved']"
        browser.open(app('/notifications?lang=zh-CN'))
        browser.waitUntil('the approval notice reached the home institution') {
            if (browser.exists(approved)) {
                return true
            }
            browser.open(app('/notifications?lang=zh-CN'))
            false
        }

        then: 'the approval is among the notices at home'
        browser.text("${approved} .notice-title").contains('预约已批准')
        browser.text("${approved} .notice-title").contains(NMR)
        browser.text("${approved} .notice-text").contains("${day} ${hour}:00".toString())
        step('5-notice-approved', size)

        when: '6. 我的预约'
        browser.open(app('/my/bookings?lang=zh-CN'))
        String row = "#my-list li.booking[data-booking='${bookingId}']"

        then: 'the booking in the one list, approved, at Donghu, with where and the cost'
        browser.attribute(row, 'data-status') == 'approved'
        browser.text("${row} .status") == '已批准'
        browser.text("${row} .name").contains(NMR)
        browser.text("${row} .where").contains('东湖大学')
        browser.text("${row} .when").startsWith("${day} ${hour}:00".toString())
        browser.text("${row} .cost").contains('¥120.00')
        scrollTo("booking-${bookingId}")
        step('6-my-bookings-approved', size)

        where:
        size << ['phone', 'desktop']
    }
}
