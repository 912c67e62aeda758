package org.labcommons.core.reports.ratings

import org.labcommons.core.reports.RatingFixture
import org.labcommons.testkit.Browser
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import static org.labcommons.testkit.TenantWorld.*

/**
 * The rating journey in headless Chromium, in Chinese: the user finds a completed booking on /my/ratings (phone), is
 * told a score is needed, rates it 4 with a comment; the instrument's manager replies on the staff's page (desktop);
 * the catalogue's instrument page shows the aggregate, the comment and the reply, never who rated.
 */
class RatingPagesBrowserSpec extends PlatformSpec {
    @Shared TenantWorld world
    @Shared String nmr
    @Shared UUID booking
    Browser browser = Browser.get()

    def setup() {
        if (world == null) {
            world = TenantWorld.build(ctx) {
                institution('rtb-donghu') {
                    rateGroup('internal')
                    unit('rtb-lab')
                    person('rtb-manager', INSTRUMENT_ADMIN, unit: 'rtb-lab')
                    person('rtb-user', USER)
                    instrument('NMR ratings', nameZh: '评价核磁谱仪', unit: 'rtb-lab')
                }
            }
            nmr = world.instrument('NMR ratings').id
            booking = RatingFixture.booking(world.tenant('rtb-donghu').id, nmr, world.person('rtb-user').userId as UUID)
        }
        browser.reset()
    }

    void signIn(String who, String returnTo) {
        browser.signIn(baseUrl, world.tenant('rtb-donghu').issuerId, world.person(who).subject, returnTo)
    }

    def "a completed booking is rated on /my/ratings, the staff reply, the instrument page shows the aggregate without the rater"() {
        given:
        String card = "#rated-booking-${booking}"

        when: 'the user sends the form without a score'
        browser.phone()
        signIn('rtb-user', '/my/ratings?lang=zh-CN')
        browser.submit("${card} .step-rate button")
        browser.waitUntil('the problem is shown') { browser.exists("${card} .field-error") }

        then:
        browser.text('h1') == '我的评价'
        browser.attribute(card, 'data-rated') == 'false'

        when: 'the user rates it 4 with a comment'
        browser.click("${card} input[name=\"score\"][value=\"4\"]")
        browser.type("${card} textarea[name=\"comment\"]", '数据质量很好，预约流程清楚')
        browser.assertNoHorizontalScroll()
        browser.screenshot('ratings-mine-zh-phone')
        browser.submit("${card} .step-rate button")
        browser.waitUntil('the rating is shown') { browser.exists("${card}[data-rated=\"true\"] .your-score") }

        then:
        browser.text("${card} .your-score") == '4'
        browser.text("${card} .step-rate button") == '修改评价'

        when: 'the manager replies on the staff page'
        browser.reset()
        browser.desktop()
        signIn('rtb-manager', "/staff/instruments/${nmr}/ratings?lang=zh-CN")
        browser.type('#ratings textarea[name="body"]', '感谢反馈，欢迎再来')
        browser.submit('#ratings .step-reply button')
        browser.waitUntil('the reply is listed') { browser.exists('#ratings .reply') }

        then:
        browser.text('h1') == '用户评价'
        browser.text('#ratings .comment') == '数据质量很好，预约流程清楚'
        !browser.pageText().contains('rtb-user')

        when: 'anyone opens the instrument page'
        browser.reset()
        browser.open("${baseUrl}/t/${world.tenant('rtb-donghu').slug}/instruments/${nmr}?lang=zh-CN")
        browser.waitUntil('the panel is shown') { browser.exists('#ratings') }
        browser.screenshot('ratings-panel-zh-desktop')

        then:
        browser.text('#ratings-mean') == '4.0'
        browser.text('#ratings-count') == '1 条评价'
        browser.text('#ratings-distribution tr[data-score="4"] td.num') == '1'
        browser.text('#ratings-comments .comment') == '数据质量很好，预约流程清楚'
        browser.text('#ratings-comments .reply span') == '感谢反馈，欢迎再来'
        !browser.pageText().contains(world.person('rtb-user').subject)
    }
}
