package org.labcommons.core.billing.closing

import jakarta.inject.Inject
import org.labcommons.core.billing.ledger.Ledger
import org.labcommons.core.billing.ledger.LedgerClock
import org.labcommons.core.billing.ledger.Line
import org.labcommons.core.billing.ledger.NewAccount
import org.labcommons.core.billing.ledger.NewTransaction
import org.labcommons.core.tenancy.TenantId
import org.labcommons.testkit.Browser
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import java.time.Clock
import java.time.Instant
import java.time.LocalDate
import java.time.ZoneOffset

import static org.labcommons.testkit.TenantWorld.FINANCE

/**
 * The month close journey in headless Chromium, in Chinese, signed in through the institution's identity provider:
 * the finance officer opens the month close page on a phone, sees the pre-check (one payer without a finance code
 * blocks), the code is given, the pre-check passes, the month is closed; the page then shows the finance files with
 * their SHA-256 checksums and the statements (desktop), and the checksums are those of the API.
 */
class MonthClosePagesBrowserSpec extends PlatformSpec {
    @Inject Ledger ledger
    @Inject LedgerClock clock
    @Shared TenantWorld world
    @Shared String payer
    Browser browser = Browser.get()

    def setup() {
        clock.set(Clock.fixed(Instant.parse('2034-02-03T02:00:00Z'), ZoneOffset.UTC))
        if (world == null) {
            world = TenantWorld.build(ctx) {
                institution('closeb-donghu') {
                    person('closeb-finance', FINANCE)
                }
            }
            TenantId tenant = new TenantId(world.tenant('closeb-donghu').id)
            payer = "1122.payer.${UUID.randomUUID()}"
            ledger.ensureAccount(tenant, new NewAccount(payer, 'asset', '课题账户', 'Project', 'payer', null))
            ledger.ensureAccount(tenant, new NewAccount('6001.lab.closeb', 'revenue', '电镜实验室', 'EM lab', null, null))
            clock.set(Clock.fixed(Instant.parse('2034-01-10T02:00:00Z'), ZoneOffset.UTC))
            ledger.post(tenant, new NewTransaction('closeb-1', 'charge', 'charge', 'closeb-1', '透射电镜 2 小时', 'spec',
                    [new Line(payer, 48_000), new Line('6001.lab.closeb', -48_000)]))
            clock.set(Clock.fixed(Instant.parse('2034-02-03T02:00:00Z'), ZoneOffset.UTC))
        }
        browser.reset()
    }

    def cleanup() {
        clock.set(null)
    }

    def "pre-check, close and the files with their checksums, in Chinese on a phone and a desktop"() {
        given:
        TestStatementPayers.INFO.remove(payer)
        String page = '/admin/month-close?period=2034-01&lang=zh-CN'

        when: 'the finance officer opens the month on a phone: a payer without a finance code blocks'
        browser.phone()
        browser.signIn(baseUrl, world.tenant('closeb-donghu').issuerId, world.person('closeb-finance').subject, page)
        browser.waitUntil('the pre-check shows') { browser.exists('#pre-check') }

        then:
        browser.text('h1') == '月结与对账单'
        browser.text('#blockers li[data-code="no_finance_code"] strong') == '付款账户没有财务编号'
        !browser.exists('#close-month')

        when: 'the payer gets its finance code; the pre-check passes and the month is closed'
        TestStatementPayers.INFO[payer] = new PayerInfo('KY-2034-8', '国家重点研发计划课题', 'National key R&D project',
                'FIN-8808', LocalDate.of(2036, 1, 1), 'active', null)
        browser.open(baseUrl + page)
        browser.waitUntil('nothing blocks') { browser.exists('#pre-check-ok') }
        browser.assertNoHorizontalScroll()
        browser.screenshot('month-close-pre-check-zh-phone')
        browser.submit('#close-month')
        browser.waitUntil('the month is closed') { browser.exists('#closed') }

        then:
        browser.text('#deduction-total') == '财务扣款文件共 1 行，合计 480.00 元。'
        browser.text('#statements tr[data-payer] .closing') == '480.00'
        browser.pageText().contains('国家重点研发计划课题')

        when: 'on a desktop, the checksums shown are the API\'s'
        browser.desktop()
        browser.open(baseUrl + page)
        browser.screenshot('month-close-closed-zh-desktop')
        def api = world.api().get('/api/v1/month-closes/2034-01', world.token('closeb-finance')).body

        then:
        browser.text('#files li[data-file="finance-file.csv"] .checksum') == api.files.find { it.name == 'finance-file.csv' }.sha256
        browser.text('#files li[data-file="finance-file.xlsx"] .checksum') == api.files.find { it.name == 'finance-file.xlsx' }.sha256
        browser.exists('#statements a.pdf')
    }
}
