package org.labcommons.core.billing.rates

import org.labcommons.testkit.Browser
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import java.time.LocalDate
import java.time.ZoneId

import static org.labcommons.testkit.TenantWorld.*

/**
 * A fee standard's journey in headless Chromium, in Chinese, each person signed in through the institution's
 * identity provider: the lab manager drafts a card in the rate-card editor and submits it (phone), the department's
 * head approves it in the department's queue (desktop), the institution admin approves it for the fee committee and
 * files it with the price authority's reference (phone); the editor then shows it in effect and the catalogue's
 * published price follows it.
 */
class FeeStandardPagesBrowserSpec extends PlatformSpec {
    @Shared TenantWorld world
    @Shared UUID nmr
    Browser browser = Browser.get()

    def setup() {
        if (world == null) {
            world = TenantWorld.build(ctx) {
                institution('feeb-donghu') {
                    rateGroup('internal')
                    rateGroup('external')
                    unit('feeb-chem')
                    person('feeb-committee', INSTITUTION_ADMIN)
                    person('feeb-manager', INSTRUMENT_ADMIN, unit: 'feeb-chem')
                    person('feeb-head', PLATFORM_ADMIN, unit: 'feeb-chem')
                    instrument('NMR browser fees', nameZh: '浏览器核磁谱仪', unit: 'feeb-chem')
                }
            }
            nmr = UUID.fromString(world.instrument('NMR browser fees').id as String)
        }
        browser.reset()
    }

    void signIn(String who, String returnTo) {
        browser.signIn(baseUrl, world.tenant('feeb-donghu').issuerId, world.person(who).subject, returnTo)
    }

    def "draft -> department approval -> committee approval -> filed, in Chinese on a phone and a desktop"() {
        given:
        String editor = "/admin/fee-standards/instruments/${nmr}?lang=zh-CN"
        String today = LocalDate.now(ZoneId.of('Asia/Shanghai')).toString()

        when: 'the lab manager drafts a card on a phone and submits it'
        browser.phone()
        signIn('feeb-manager', editor)
        browser.js("document.getElementById('rateGroup').value = 'external'")
        browser.type('#priceFen', '20000')
        browser.type('#minimumFen', '5000')
        browser.type('#rounding', '30')
        browser.js("document.getElementById('effectiveFrom').value = arguments[0]", today)
        browser.submit('#save-draft')
        browser.waitUntil('the draft is listed') { browser.exists('#fee-cards tr[data-status="draft"]') }
        browser.assertNoHorizontalScroll()
        browser.screenshot('fee-editor-draft-zh-phone')
        browser.submit('#fee-cards tr[data-status="draft"] button.step-submit')
        browser.waitUntil('the card is submitted') { browser.exists('#fee-cards tr[data-status="submitted"]') }

        then:
        browser.text('h1') == '收费标准：浏览器核磁谱仪'
        browser.text('#fee-cards tr[data-status="submitted"] .badge') == '待院系审批'

        when: "the department's head approves it in the department's queue on a desktop"
        browser.reset()
        browser.desktop()
        signIn('feeb-head', '/admin/fee-standards/department?lang=zh-CN')
        browser.screenshot('fee-queue-department-zh-desktop')
        browser.submit('#queue article[data-status="submitted"] .step-approve-department button')
        browser.waitUntil('the queue is empty') { browser.exists('#queue-empty') }

        then:
        browser.text('h1') == '收费标准：院系审批'

        when: 'the institution admin approves it for the fee committee and files it, on a phone'
        browser.reset()
        browser.phone()
        signIn('feeb-committee', '/admin/fee-standards/committee?lang=zh-CN')
        browser.submit('#queue article[data-status="department_approved"] .step-approve-committee button')
        browser.waitUntil('it waits for filing') { browser.exists('#queue article[data-status="committee_approved"]') }
        browser.type('#queue article[data-status="committee_approved"] input[name="filingRef"]', '鄂价费备〔2026〕21号')
        browser.assertNoHorizontalScroll()
        browser.screenshot('fee-queue-committee-zh-phone')
        browser.submit('#queue article[data-status="committee_approved"] .step-file button')
        browser.waitUntil('the queue is empty') { browser.exists('#queue-empty') }
        browser.open(baseUrl + editor)

        then: 'the editor shows the card in effect, and the catalogue publishes its price'
        browser.text('#fee-cards tr[data-status="filed"] .badge') == '现行'
        browser.pageText().contains('鄂价费备〔2026〕21号')
        api.get("/api/v1/instruments/${nmr}", world.token('feeb-committee')).body.prices
                .findAll { it.rateGroup == 'external' && it.serviceId == null }*.amountFen == [20_000]
    }
}
