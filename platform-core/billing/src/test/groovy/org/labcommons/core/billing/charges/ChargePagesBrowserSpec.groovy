package org.labcommons.core.billing.charges

import org.labcommons.core.usage.UsageTopics
import org.labcommons.testkit.Browser
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import java.time.Duration
import java.time.Instant

import static org.labcommons.testkit.TenantWorld.*

/**
 * The review journey in headless Chromium, in Chinese: the lab manager finds two pending charges in the review queue
 * (desktop), is told a waiver needs a reason, adjusts one to a new total with a reason and approves both at once; the
 * user sees the approved charge with its items on /my/charges (phone) and disputes it; the manager rejects the
 * dispute with a note.
 */
class ChargePagesBrowserSpec extends PlatformSpec {
    @Shared TenantWorld world
    @Shared ChargeFixture fx
    @Shared String nmr
    @Shared UUID user
    Browser browser = Browser.get()

    def setup() {
        if (world == null) {
            world = TenantWorld.build(ctx) {
                institution('chb-donghu') {
                    rateGroup('internal')
                    unit('chb-lab')
                    person('chb-manager', INSTRUMENT_ADMIN, unit: 'chb-lab')
                    person('chb-user', USER)
                    instrument('NMR charges', nameZh: '计费核磁谱仪', unit: 'chb-lab')
                }
            }
            fx = new ChargeFixture(ctx, world.tenant('chb-donghu').id)
            nmr = world.instrument('NMR charges').id
            user = world.person('chb-user').userId as UUID
            fx.card(nmr)
        }
        browser.reset()
    }

    void signIn(String who, String returnTo) {
        browser.signIn(baseUrl, world.tenant('chb-donghu').issuerId, world.person(who).subject, returnTo)
    }

    String charge(int minutes) {
        UUID session = UUID.randomUUID()
        Instant start = Instant.now().minus(Duration.ofDays(1))
        fx.deliver(UsageTopics.USAGE_SESSION, fx.envelope('usage.session.closed', 'usage_session', session.toString(), 1,
                fx.sessionPayload(session, nmr, start, start.plus(Duration.ofMinutes(minutes)), [userId: user.toString()])))
        fx.charges(session)[0].id.toString()
    }

    def "pending -> adjusted and approved in the queue -> disputed by the user -> rejected with a note, in Chinese"() {
        given:
        String a = charge(60)
        String b = charge(30)
        String card = "#charges article[data-charge=\"${a}\"]"

        when: 'the manager opens the queue and tries to waive without a reason'
        browser.desktop()
        signIn('chb-manager', '/admin/charges?lang=zh-CN')
        browser.submit("${card} .step-waive button")
        browser.waitUntil('the problem is shown') { browser.exists("${card} .step-waive .field-error") }

        then:
        browser.text('h1') == '费用审核'
        browser.exists("#charges article[data-charge=\"${b}\"]")

        when: 'the manager adjusts A to a new total with a reason, then approves both at once'
        browser.type("${card} input[name=\"newTotalFen\"]", '10000')
        browser.type("${card} .step-adjust input[name=\"reason\"]", '含 10 分钟校准')
        browser.submit("${card} .step-adjust button")
        browser.waitUntil('the adjustment is listed') { browser.exists("${card} tr.item[data-kind=\"adjustment\"]") }
        browser.screenshot('charges-review-zh-desktop')
        browser.js("document.querySelectorAll('#charges input[type=checkbox]').forEach(function (b) { b.checked = true; })")
        browser.submit('#approve-ticked')
        browser.waitUntil('the queue is empty') { browser.exists('#charges-empty') }

        then:
        api.get("/api/v1/charges/${a}", world.token('chb-manager')).body.with { it.status == 'approved' && it.amountFen == 10_000 && it.postedFen == 10_000 }
        api.get("/api/v1/charges/${b}", world.token('chb-manager')).body.status == 'approved'

        when: 'the user disputes A on a phone'
        browser.reset()
        browser.phone()
        signIn('chb-user', '/my/charges?lang=zh-CN')
        browser.type("${card} input[name=\"reason\"]", '我只用了 50 分钟')
        browser.assertNoHorizontalScroll()
        browser.screenshot('charges-mine-zh-phone')
        browser.submit("${card} .step-dispute button")
        browser.waitUntil('the dispute is shown') { browser.exists("${card} .dispute[data-dispute-status=\"open\"]") }

        then:
        browser.text('h1') == '我的费用'
        browser.text("${card} .amount") == '10000'

        when: 'the manager rejects the dispute with a note'
        browser.reset()
        browser.desktop()
        signIn('chb-manager', '/admin/charges?lang=zh-CN')
        browser.js("document.querySelector('#disputes select[name=resolution]').value = 'rejected'")
        browser.type('#disputes input[name="note"]', '记录显示使用了 60 分钟')
        browser.submit('#disputes .step-resolve button')
        browser.waitUntil('no dispute is open') { browser.exists('#disputes-empty') }

        then:
        api.get("/api/v1/charges/${a}", world.token('chb-user')).body.with {
            it.status == 'approved' && it.disputes*.status == ['rejected'] && it.disputes[0].note == '记录显示使用了 60 分钟'
        }
    }
}
