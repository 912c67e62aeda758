package org.labcommons.core.billing.subsidies

import org.labcommons.testkit.Browser
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import java.time.LocalDate
import java.time.ZoneId

import static org.labcommons.testkit.TenantWorld.*

/**
 * The bureau issues an innovation voucher in headless Chromium, in Chinese on a phone: it registers an enterprise
 * (a malformed tax id is shown under its field first), creates a batch with its caps and issues a voucher, which the
 * list then shows with its balance; signed out, the enterprise looks the voucher up by number and tax id.
 */
class VoucherPagesBrowserSpec extends PlatformSpec {
    @Shared TenantWorld world
    Browser browser = Browser.get()

    def setup() {
        if (world == null) {
            world = TenantWorld.build(ctx) {
                consortium('vb-bureau') { person('vb-bureau-admin', CONSORTIUM_ADMIN) }
            }
        }
        browser.reset()
    }

    def "the bureau registers an enterprise, creates a batch and issues a voucher; the enterprise sees its balance"() {
        given:
        String body = '91330100' + (1..9).collect { TaxIds.CHARSET[new Random().nextInt(TaxIds.CHARSET.length())] }.join()
        String tax = body + TaxIds.check(body)
        String today = LocalDate.now(ZoneId.of('Asia/Shanghai')).toString()
        String nextYear = LocalDate.now(ZoneId.of('Asia/Shanghai')).plusYears(1).toString()

        when: 'a malformed tax id is refused under its field'
        browser.phone()
        browser.signIn(baseUrl, world.tenant('vb-bureau').issuerId, world.person('vb-bureau-admin').subject, '/bureau/vouchers?lang=zh-CN')
        browser.type('#enterpriseName', '杭州浏览器科技有限公司')
        browser.type('#taxId', body + 'I')
        browser.submit('#register-enterprise')
        browser.waitUntil('the tax id is refused') { browser.exists('#error-taxId') }

        then:
        browser.text('#error-taxId').contains('统一社会信用代码')

        when: 'the enterprise, a batch and a voucher'
        browser.type('#enterpriseName', '杭州浏览器科技有限公司')
        browser.type('#taxId', tax)
        browser.submit('#register-enterprise')
        browser.waitUntil('the enterprise is listed') { browser.exists("#enterprises li[data-tax-id='${tax}']") }
        browser.type('#batchName', '2026 年第一批')
        browser.submit('#create-batch')
        browser.waitUntil('the batch is listed') { browser.pageText().contains('2026 年第一批') }
        browser.type('#faceValueFen', '5000000')
        browser.js("document.getElementById('validFrom').value = arguments[0]", today)
        browser.js("document.getElementById('validTo').value = arguments[0]", nextYear)
        browser.submit('#issue-voucher')
        browser.waitUntil('the voucher is listed') { browser.exists('#vouchers tr[data-voucher]') }
        browser.assertNoHorizontalScroll()
        browser.screenshot('vouchers-bureau-zh-phone')
        String number = browser.attribute('#vouchers tr[data-voucher]', 'data-voucher')

        then:
        browser.text('h1') == '科技创新券'
        browser.text('#vouchers tr[data-voucher] .balance') == '¥50,000.00'
        number ==~ /KJCXQ-\d{4}-[2-9A-HJ-NP-Z]{8}/

        when: 'signed out, the enterprise looks its voucher up'
        browser.reset()
        browser.open("${baseUrl}/vouchers/balance?lang=zh-CN")
        browser.type('#number', number)
        browser.type('#taxId', tax)
        browser.submit('#look-up')
        browser.waitUntil('the voucher is shown') { browser.exists('#voucher-found') }

        then:
        browser.text('#voucher-balance') == '¥50,000.00'
        browser.pageText().contains('杭州浏览器科技有限公司')
    }
}
