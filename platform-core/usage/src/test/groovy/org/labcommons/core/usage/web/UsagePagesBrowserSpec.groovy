package org.labcommons.core.usage.web

import jakarta.inject.Inject
import org.labcommons.core.booking.BookingClock
import org.labcommons.testkit.Browser
import org.labcommons.testkit.PlatformSpec
import org.openqa.selenium.Cookie
import spock.lang.Shared
import spock.lang.Unroll

import java.time.Clock
import java.time.ZoneOffset

/**
 * The usage pages in headless Chromium, in Chinese and English at a phone's and a desktop's width, on
 * the data of {@link UsagePagesFixture} (clock at Monday 2030-03-04 10:00 in Shanghai): the day's
 * timeline draws its ECharts chart (a canvas; three series: the power curve of 60 readings, two
 * session bands, two booking bands) above its tables; the lab dashboard; attributing a session in the
 * queue removes it from the queue; the person's own history. No page scrolls sideways.
 */
class UsagePagesBrowserSpec extends PlatformSpec {
    @Inject BookingClock clock
    @Shared UsagePagesFixture f
    Browser browser = Browser.get()

    def setup() {
        clock.set(Clock.fixed(UsagePagesFixture.NOW, ZoneOffset.UTC))
        if (f == null) {
            f = new UsagePagesFixture(ctx)
        }
        browser.reset()
    }

    def cleanup() {
        clock.set(null)
    }

    void signIn(String who, String size) {
        size == 'phone' ? browser.phone() : browser.desktop()
        browser.open("${baseUrl}/health")
        browser.driver().manage().addCookie(new Cookie('LC_SESSION', f.web[who].raw as String, '/'))
    }

    @Unroll
    def "the timeline draws the power curve with sessions and bookings as bands, the tables below (#size, #lang)"() {
        given:
        signIn('staff', size)

        when:
        browser.open("${baseUrl}/instruments/${f.instruments.nmr}/usage?day=2030-03-04&lang=${lang}")
        browser.waitUntil('the chart rendered', { browser.attribute('#usage-chart', 'data-rendered') == 'true' })

        then: 'a canvas, three series: 60 power readings, 2 session bands, 2 booking bands'
        browser.exists('#usage-chart canvas')
        browser.js("return echarts.getInstanceByDom(document.getElementById('usage-chart')).getOption().series.length") == 3
        browser.js("return echarts.getInstanceByDom(document.getElementById('usage-chart')).getOption().series[0].data.length") == 60
        browser.js("return echarts.getInstanceByDom(document.getElementById('usage-chart')).getOption().series[1].markArea.data.length") == 2
        browser.js("return echarts.getInstanceByDom(document.getElementById('usage-chart')).getOption().series[2].markArea.data.length") == 2
        (browser.js("return document.querySelector('#usage-chart canvas').getBoundingClientRect().width") as double) > 300

        and: 'the tables in the institution\'s time, the title in the page\'s language'
        browser.text('#timeline-title').startsWith(title)
        browser.findAll('#sessions tbody tr').size() == 2
        browser.texts('#sessions tbody tr td.date') == ['2030-03-04 08:30–09:30', '2030-03-04 09:50–…']
        browser.findAll('#bookings tbody tr').size() == 2
        browser.assertNoHorizontalScroll()
        browser.screenshot("usage-timeline-${size}-${lang}")

        where:
        size      | lang    | title
        'phone'   | 'zh-CN' | '使用情况'
        'desktop' | 'zh-CN' | '使用情况'
        'phone'   | 'en'    | 'Usage'
        'desktop' | 'en'    | 'Usage'
    }

    @Unroll
    def "the lab dashboard shows the lab's instruments now (#size, #lang)"() {
        given:
        signIn('staff', size)

        when:
        browser.open("${baseUrl}/lab/usage?lang=${lang}")

        then:
        browser.findAll('.usage-instrument').size() == 2
        browser.attribute("#instrument-${f.instruments.nmr}", 'data-state') == 'in_use'
        browser.text("#instrument-${f.instruments.nmr} .live-state") == inUse
        browser.attribute("#instrument-${f.instruments.xrd}", 'data-state') == 'offline'
        browser.assertNoHorizontalScroll()
        browser.screenshot("usage-lab-${size}-${lang}")

        when: 'the timeline link'
        browser.submit("#instrument-${f.instruments.nmr} a.timeline-link")

        then:
        browser.pathAndQuery().startsWith("/instruments/${f.instruments.nmr}/usage")

        where:
        size      | lang    | inUse
        'phone'   | 'zh-CN' | '使用中'
        'desktop' | 'en'    | 'In use'
    }

    @Unroll
    def "attributing a session in the queue removes it from the queue (#size, #lang)"() {
        given:
        signIn('staff', size)
        browser.open("${baseUrl}/staff/usage/unattributed?lang=${lang}")
        int before = browser.findAll('.usage-session').size()
        String first = browser.attribute('.usage-session', 'data-session')
        browser.assertNoHorizontalScroll()

        when:
        browser.type("#person-${first}", f.world.person('bob').subject)
        browser.type("#reason-${first}", reason)
        browser.screenshot("usage-queue-${size}-${lang}")
        browser.submit("#session-${first} button.attribute")

        then:
        browser.text('#done') == done
        browser.findAll('.usage-session').size() == before - 1
        !browser.exists("#session-${first}")
        browser.assertNoHorizontalScroll()
        browser.screenshot("usage-queue-attributed-${size}-${lang}")

        where:
        size      | lang    | reason            | done
        'phone'   | 'zh-CN' | '刷卡器故障'        | '已认定该使用记录。'
        'desktop' | 'en'    | 'card reader down' | 'The session is attributed.'
    }

    @Unroll
    def "my usage lists the person's own sessions and is reached from the navigation (#size, #lang)"() {
        given:
        signIn('alice', size)
        browser.open("${baseUrl}/my/usage?lang=${lang}")
        browser.open("${baseUrl}/")

        when:
        browser.followNav('/my/usage')

        then:
        browser.text('h1') == title
        browser.findAll('#my-sessions tbody tr').size() == 1
        browser.text('#my-sessions tbody td.date') == '2030-03-04 08:30–09:30'
        browser.assertNoHorizontalScroll()
        browser.screenshot("usage-mine-${size}-${lang}")

        where:
        size      | lang    | title
        'phone'   | 'zh-CN' | '我的使用记录'
        'desktop' | 'en'    | 'My usage'
    }

    def "the instrument page and the calendar show the live status at a phone's width"() {
        given:
        signIn('staff', 'phone')

        when:
        browser.open("${baseUrl}/t/${f.world.tenant('us-a').slug}/instruments/${f.instruments.nmr}?lang=zh-CN")

        then:
        browser.attribute('#live-status', 'data-state') == 'in_use'
        browser.text('#live-status .live-state') == '使用中'
        browser.assertNoHorizontalScroll()
        browser.js("document.getElementById('live-status').scrollIntoView()") == null
        browser.screenshot('usage-live-instrument-phone')

        when:
        browser.open("${baseUrl}/instruments/${f.instruments.nmr}/calendar?lang=zh-CN")

        then:
        browser.attribute('#live-badge', 'data-state') == 'in_use'
        browser.assertNoHorizontalScroll()
        browser.screenshot('usage-live-calendar-phone')
    }
}
