package org.labcommons.core.booking.web

import jakarta.inject.Inject
import org.labcommons.core.booking.BookingSpec
import org.labcommons.core.web.auth.WebSessions
import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.Browser
import org.openqa.selenium.Cookie
import spock.lang.Shared
import spock.lang.Unroll

import java.time.Duration

/**
 * The catalogue's instrument page in headless Chromium, in Chinese, at a phone's and a desktop's
 * width: "your price" marks the member's group (internal), another institution's person's
 * (external) and none for a visitor (who sees the groups); the next free times lead to the booking
 * calendar at that week with the slot filled in; the internal part (funding flag, internal note)
 * is shown to the instrument's staff and hidden from a researcher. The booking clock stands at
 * 2030-03-04T00:00Z (Monday 08:00 in Shanghai); Monday 08:00-10:00 is booked.
 */
class InstrumentPageBrowserSpec extends BookingSpec {
    @Inject WebSessions sessions
    @Shared UUID nmr
    Browser browser = Browser.get()

    @Override
    void arrangeOnce() {
        nmr = InstrumentPageFixture.publicInstrument(f)
        f.openRules(nmr, [weeklyHours: InstrumentPageFixture.WEEKDAYS])
        assert f.book('admin', nmr, '2030-03-04T08:00:00+08:00', '2030-03-04T10:00:00+08:00').status == 201
    }

    def setup() {
        browser.reset()
    }

    String app(String path) { "http://localhost:${server.port}${path}" }

    String instrumentPage() { app("/t/bk-a-${f.run}/instruments/${nmr}?lang=zh-CN") }

    /** Signs {@code who} of institution {@code key} ('a' or 'b') in by giving the browser a session cookie. */
    void signIn(String who, String key = 'a') {
        def created = sessions.create(SharedDevStack.get().identityProvider().issuer(f.issuerNames[key]),
                "${who}-${f.run}".toString(), who, Duration.ofHours(1))
        browser.open(app('/health'))
        browser.driver().manage().addCookie(new Cookie('LC_SESSION', created.rawId(), '/'))
    }

    void at(String size) {
        size == 'phone' ? browser.phone() : browser.desktop()
    }

    @Unroll
    def "your price: a member, a person of another institution and a visitor each see their own group marked (#size)"() {
        when: 'a member of the owning institution'
        at(size)
        signIn('alice')
        browser.open(instrumentPage())

        then: 'internal, with its amount, and the internal group marked among the prices'
        browser.text('#your-price h2') == '您的价格'
        browser.text('#your-group strong') == '校内'
        browser.text('#your-prices .money') == '¥80.00'
        browser.attribute('#prices .price-group.yours', 'data-rate-group') == 'internal'
        browser.findAll('#prices .price-group.yours').size() == 1
        browser.assertNoHorizontalScroll()
        browser.js("document.getElementById('your-price').scrollIntoView()") == null
        browser.screenshot("your-price-member-${size}")

        when: 'a person of another institution'
        browser.reset()
        at(size)
        signIn('carol', 'b')
        browser.open(instrumentPage())

        then: 'external'
        browser.text('#your-group strong') == '校外'
        browser.text('#your-prices .money') == '¥200.00'
        browser.attribute('#prices .price-group.yours', 'data-rate-group') == 'external'
        browser.js("document.getElementById('your-price').scrollIntoView()") == null
        browser.screenshot("your-price-outsider-${size}")

        when: 'a visitor'
        browser.reset()
        at(size)
        browser.open(instrumentPage())

        then: 'no group is marked; the page says prices depend on the group and lists the groups'
        !browser.exists('#your-group')
        !browser.exists('#prices .price-group.yours')
        browser.text('#price-depends') == '价格取决于您的收费类别：'
        browser.texts('#rate-group-list li') == ['校内', '联盟', '校外']
        browser.exists('#your-price-sign-in')
        browser.js("document.getElementById('your-price').scrollIntoView()") == null
        browser.screenshot("your-price-visitor-${size}")

        where:
        size << ['phone', 'desktop']
    }

    @Unroll
    def "the next free times link to the booking calendar at their week with the slot filled in (#size)"() {
        given:
        at(size)
        signIn('bob')

        when:
        browser.open(instrumentPage())
        browser.js("document.getElementById('next-free').scrollIntoView()")

        then: 'Monday after the booking, then each next weekday'
        browser.text('#next-free h2') == '最近可预约时间'
        browser.findAll('#next-free li').collect { it.getDomAttribute('data-start') } ==
                ['2030-03-04T10:00', '2030-03-05T08:00', '2030-03-06T08:00', '2030-03-07T08:00']
        browser.text('#next-free li:first-child .until') == '空闲至 20:00'
        browser.assertNoHorizontalScroll()
        browser.screenshot("next-free-slots-${size}")

        when: 'the second one is chosen'
        browser.submit('#next-free li:nth-child(2) a')

        then: 'the calendar of that week, the form filled with the slot'
        browser.pathAndQuery().startsWith("/instruments/${nmr}/calendar")
        browser.pathAndQuery().contains('week=2030-03-04')
        browser.find('#f-start').getDomProperty('value') == '2030-03-05T08:00'
        browser.find('#f-end').getDomProperty('value') == '2030-03-05T09:00'
        browser.screenshot("next-free-slot-opens-calendar-${size}")

        where:
        size << ['phone', 'desktop']
    }

    @Unroll
    def "internal flags and notes are shown to the instrument's staff and hidden from a researcher (#size)"() {
        when: 'a researcher of the institution'
        at(size)
        signIn('alice')
        browser.open(instrumentPage())

        then:
        !browser.exists('#internal')
        !browser.exists('[data-flag=fundSubsidised]')
        !browser.pageText().contains('仅供本单位核算')
        browser.exists('#flags [data-flag=customsSupervised]')
        browser.js("document.getElementById('flags').scrollIntoView()") == null
        browser.screenshot("internal-hidden-researcher-${size}")

        when: 'the lab instrument admin'
        browser.reset()
        at(size)
        signIn('staff')
        browser.open(instrumentPage())

        then:
        browser.visible('#internal')
        browser.text('#internal h2') == '内部信息（仅本单位管理人员可见）'
        browser.exists('#internal-flags [data-flag=fundSubsidised]')
        browser.text('#exemption-note') == '仅供本单位核算'
        browser.assertNoHorizontalScroll()
        browser.js("document.getElementById('internal').scrollIntoView()") == null
        browser.screenshot("internal-shown-staff-${size}")

        where:
        size << ['phone', 'desktop']
    }
}
