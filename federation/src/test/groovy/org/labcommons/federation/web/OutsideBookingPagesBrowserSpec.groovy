package org.labcommons.federation.web

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.core.booking.BookingClock
import org.labcommons.core.web.auth.WebSessions
import org.labcommons.federation.FederationFixture
import org.labcommons.testkit.Browser
import org.labcommons.testkit.PlatformSpec
import org.openqa.selenium.Cookie
import spock.lang.Shared

import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.ZoneOffset

/**
 * The pages of bookings held at other institutions in headless Chromium, in Chinese at a phone's
 * width without sideways scrolling: A's user finds her bookings at B in her own "my bookings" and
 * follows one to B's page; A's finance filters the members' bookings elsewhere, reads the totals,
 * closes an account code and opens it again. The booking clock is fixed at 2030-03-04T00:00Z.
 */
class OutsideBookingPagesBrowserSpec extends PlatformSpec {
    static final Instant NOW = Instant.parse('2030-03-04T00:00:00Z')

    @Inject JsonMapper json
    @Inject BookingClock clock
    @Inject WebSessions sessions
    @Shared FederationFixture f
    @Shared Map<String, String> ids = [:]
    Browser browser = Browser.get()

    def setup() {
        clock.set(Clock.fixed(NOW, ZoneOffset.UTC))
        if (f == null) {
            f = new FederationFixture(ctx)
            def nmr = f.instrumentOfB([consortium: 30_000L, external: 45_000L])
            ids.a1 = f.book('alice', nmr, '2030-03-05T09:00:00+08:00', '2030-03-05T10:00:00+08:00', [accountCode: 'ACC-1']).body.id
            ids.a2 = f.book('alice', nmr, '2030-03-06T09:00:00+08:00', '2030-03-06T11:00:00+08:00').body.id
            ids.n1 = f.book('ann', nmr, '2030-03-08T09:00:00+08:00', '2030-03-08T10:00:00+08:00').body.id
            assert f.send('POST', "/api/v1/bookings/${ids.a1}/approve", 'staffB').status == 200
            FederationFixture.eventually {
                f.row(f.tenant.a, ids.a1)?.status == 'approved' && f.row(f.tenant.a, ids.a2) != null && f.row(f.tenant.a, ids.n1) != null
            }
        }
        browser.reset()
    }

    def cleanup() {
        clock.set(null)
    }

    String app(String path) { "http://localhost:${server.port}${path}" }

    /** Signs {@code who} (of A) in by giving the browser a session cookie, on a phone. */
    void signIn(String who) {
        browser.reset()
        def created = sessions.create(f.world.tenant("fed-a").issuer,
                "${who}-${f.run}".toString(), who, Duration.ofHours(1))
        browser.open(app('/health'))
        browser.driver().manage().addCookie(new Cookie('LC_SESSION', created.rawId(), '/'))
        browser.phone()
    }

    def "on a phone, in Chinese: a user follows her booking elsewhere to its institution; finance filters, totals and closes a code"() {
        given:
        signIn('alice')

        when: 'her own "my bookings"'
        browser.open(app('/my/bookings?lang=zh-CN'))

        then: 'her two bookings at B in her one list, soonest first, with institution, time, status and cost'
        browser.findAll("#my-list li.booking[data-elsewhere='true']")*.getDomAttribute('data-booking') == [ids.a1, ids.a2]
        browser.text("#my-list [data-booking='${ids.a1}'] .where") == '联邦b大学 · 实验室'
        browser.text("#my-list [data-booking='${ids.a1}'] .when") == '2030-03-05 09:00 – 10:00'
        browser.text("#my-list [data-booking='${ids.a1}'] .status") == '已批准'
        browser.text("#my-list [data-booking='${ids.a2}'] .status") == '待审批'
        browser.text("#my-list [data-booking='${ids.a2}'] .cost") == '预估费用: ¥600.00'
        !browser.pageText().contains(ids.n1)
        browser.viewportWidth() == 390
        browser.assertNoHorizontalScroll()
        browser.screenshot('outside-my-bookings-zh-phone')

        when: 'she opens the first one there'
        browser.submit("#my-list [data-booking='${ids.a1}'] .open-elsewhere")

        then: "B's page of her bookings, with that booking"
        browser.pathAndQuery() == "/my/bookings?tenant=fed-b-${f.run}".toString()
        browser.exists("#booking-${ids.a1}")
        browser.assertNoHorizontalScroll()

        when: "A's finance opens the members' bookings elsewhere"
        signIn('financeA')
        browser.open(app('/my/bookings?lang=zh-CN'))
        browser.followNav('/admin/outside-bookings')

        then: 'all three, and what they are estimated to cost'
        browser.text('#outside-bookings h1') == '本单位成员的校外预约'
        browser.findAll('.outside-booking').size() == 3
        browser.text('#totals').startsWith('共 3 条预约，预估费用合计 ¥1,200.00')
        browser.assertNoHorizontalScroll()
        browser.screenshot('outside-finance-zh-phone')

        when: 'only the approved ones'
        browser.js("document.getElementById('status').value = 'approved'")
        browser.submit('#apply-filters')

        then:
        browser.pathAndQuery().contains('status=approved')
        browser.findAll('.outside-booking')*.getDomAttribute('data-booking') == [ids.a1]
        browser.text('#totals').startsWith('共 1 条预约，预估费用合计 ¥300.00')

        when: 'an end date before the start'
        browser.js("document.getElementById('from').value = '2030-03-10'; document.getElementById('to').value = '2030-03-01'")
        browser.submit('#apply-filters')

        then: 'the message is under the field'
        browser.text('#error-to') == '结束时间须晚于开始时间'
        browser.assertNoHorizontalScroll()

        when: 'closing an account code'
        browser.type('#block-code', 'ACC-1')
        browser.type('#block-reason', '课题结题')
        browser.submit('#block-submit')

        then:
        browser.text('#done') == '经费账号已关闭。'
        browser.text("#blocks [data-code='ACC-1'] .reason") == '课题结题'
        browser.assertNoHorizontalScroll()

        when: 'and opening it again'
        browser.submit("#blocks [data-code='ACC-1'] .unblock")

        then:
        browser.text('#done') == '经费账号已重新开放。'
        !browser.exists("#blocks [data-code='ACC-1']")
        browser.text('#no-blocks') == '没有已关闭的经费账号。'
    }
}
