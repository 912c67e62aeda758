package org.labcommons.federation.web

import jakarta.inject.Inject
import org.labcommons.core.booking.BookingClock
import org.labcommons.core.web.auth.WebSessions
import org.labcommons.federation.FederationFixture
import org.labcommons.federation.HomeBookings
import org.labcommons.testkit.Browser
import org.labcommons.testkit.PlatformSpec
import org.openqa.selenium.Cookie
import spock.lang.Shared

import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.ZoneOffset

/**
 * "我的预约" as one list in headless Chromium, in Chinese, at a phone's and a desktop's width:
 * alice's bookings at her home A and at B together, not yet ended first (soonest first) and the
 * ended below one divider, each with where it is, the time, the status, the estimated cost in yuan
 * with thousands separators and the assisted flag; cancelling asks once (the button opens a
 * confirm form; one more click cancels); with nothing coming up the page says so in one line and
 * shows no empty sections. The booking clock is fixed at 2030-03-04T00:00Z.
 */
class MyBookingsBrowserSpec extends PlatformSpec {
    static final Instant NOW = Instant.parse('2030-03-04T00:00:00Z')

    @Inject BookingClock clock
    @Inject WebSessions sessions
    @Shared FederationFixture f
    @Shared Map<String, String> ids
    Browser browser = Browser.get()

    def setup() {
        clock.set(Clock.fixed(NOW, ZoneOffset.UTC))
        if (f == null) {
            f = new FederationFixture(ctx)
            ids = f.aliceAndAnnAtB()
            ids.putAll(HomeBookings.ofAlice(f, clock, NOW))
        }
        browser.reset()
    }

    def cleanup() {
        clock.set(null)
    }

    String app(String path) { "http://localhost:${server.port}${path}" }

    void signIn(String who, String size) {
        browser.reset()
        def created = sessions.create(f.world.tenant('fed-a').issuer, "${who}-${f.run}".toString(), who, Duration.ofHours(1))
        browser.open(app('/health'))
        browser.driver().manage().addCookie(new Cookie('LC_SESSION', created.rawId(), '/'))
        size == 'phone' ? browser.phone() : browser.desktop()
    }

    String row(String id) { "#my-list li.booking[data-booking='${id}']" }

    def "one list across institutions, upcoming first, with where, cost and assisted; cancelling asks once (#size)"() {
        given: 'a booking of her own at A to cancel, later than the others'
        def c = f.send('POST', "/api/v1/instruments/${ids.xrd}/bookings", 'alice',
                [start: "2030-03-${day}T10:00:00+08:00".toString(), end: "2030-03-${day}T11:00:00+08:00".toString()])
        assert c.status == 201: c.body
        String cancel = c.body.id
        signIn('alice', size)

        when:
        browser.open(app('/my/bookings?lang=zh-CN'))
        List<String> order = browser.findAll('#my-list li.booking')*.getDomAttribute('data-booking')

        then: 'home and B in one order: not ended first, soonest first; the ended after one divider'
        browser.text('h1') == '我的预约'
        order.take(4) == [ids.a1, ids.h1, ids.a2, ids.a3]
        order.contains(cancel)
        order.last() == ids.p1
        browser.findAll('#my-list li.past-divider').size() == 1
        browser.text('#my-list li.past-divider') == '已结束'
        browser.attribute(row(ids.p1), 'data-when') == 'past'
        !browser.exists('#no-upcoming')
        !browser.exists('#upcoming') && !browser.exists('#past') && !browser.exists('#elsewhere')
        !browser.exists('#waitlist')

        and: 'each row: where, when, status, estimated cost, assisted'
        browser.text("${row(ids.a1)} .name") == '核磁共振波谱仪'
        browser.text("${row(ids.a1)} .where") == '联邦b大学 · 实验室'
        browser.text("${row(ids.a1)} .when") == '2030-03-05 09:00 – 10:00'
        browser.text("${row(ids.a1)} .status") == '已批准'
        browser.text("${row(ids.a1)} .cost") == '预估费用: ¥300.00'
        !browser.exists("${row(ids.a1)} .assisted")
        browser.text("${row(ids.h1)} .name") == 'X射线衍射仪'
        browser.text("${row(ids.h1)} .where") == '联邦a大学 · 化学系 · A楼 101'
        browser.text("${row(ids.h1)} .when") == '2030-03-05 14:00 – 15:00'
        browser.text("${row(ids.h1)} .status") == '待审批'
        browser.text("${row(ids.h1)} .cost") == '预估费用: ¥1,234.50'
        browser.text("${row(ids.h1)} .assisted") == '协助上机'
        browser.text("${row(ids.a2)} .cost") == '预估费用: ¥600.00'
        size == 'phone' ? browser.viewportWidth() == 390 : browser.viewportWidth() > 1200
        browser.assertNoHorizontalScroll()
        browser.screenshot("my-bookings-one-list-zh-${size}")

        when: 'she presses cancel on her booking'
        browser.click("${row(cancel)} summary.ask-cancel")

        then: 'it asks once, naming the booking; nothing is cancelled yet'
        browser.visible("${row(cancel)} button.cancel")
        browser.text("${row(cancel)} .cancel-confirm p") == "确定取消 X射线衍射仪（2030-03-${day} 10:00）的预约吗？".toString()
        f.send('GET', "/api/v1/bookings/${cancel}", 'alice').body.status == 'approved'
        browser.assertNoHorizontalScroll()
        browser.screenshot("my-bookings-cancel-asks-once-zh-${size}")

        when: 'she confirms'
        browser.submit("${row(cancel)} button.cancel")

        then: 'cancelled with that one confirmation'
        browser.text('#done') == '预约已取消。'
        browser.attribute(row(cancel), 'data-status') == 'cancelled'
        browser.text("${row(cancel)} .status") == '已取消'
        !browser.exists("${row(cancel)} summary.ask-cancel")
        f.send('GET', "/api/v1/bookings/${cancel}", 'alice').body.status == 'cancelled'
        browser.screenshot("my-bookings-cancelled-zh-${size}")

        where:
        size      | day
        'phone'   | '20'
        'desktop' | '21'
    }

    def "with nothing coming up, one line says so and no empty section sits on top (#size)"() {
        given: 'seven weeks later every booking has ended'
        clock.set(Clock.fixed(Instant.parse('2030-04-20T00:00:00Z'), ZoneOffset.UTC))
        signIn('alice', size)

        when:
        browser.open(app('/my/bookings?lang=zh-CN'))

        then:
        browser.findAll('#no-upcoming').size() == 1
        browser.text('#no-upcoming') == '暂无即将进行的预约。'
        !browser.pageText().contains('暂无。')
        browser.findAll('#my-list li.booking')*.getDomAttribute('data-when').toSet() == ['past'] as Set
        def known = [ids.a3, ids.a2, ids.h1, ids.a1, ids.p1]
        browser.findAll('#my-list li.booking')*.getDomAttribute('data-booking').findAll { it in known } == known
        browser.assertNoHorizontalScroll()
        browser.screenshot("my-bookings-nothing-upcoming-zh-${size}")

        where:
        size << ['phone', 'desktop']
    }
}
