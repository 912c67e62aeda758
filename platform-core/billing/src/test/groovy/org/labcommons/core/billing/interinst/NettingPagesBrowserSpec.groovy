package org.labcommons.core.billing.interinst

import jakarta.inject.Inject
import org.labcommons.core.audit.AuditEntry
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
import java.time.ZoneOffset

import static org.labcommons.testkit.TenantWorld.CONSORTIUM_ADMIN
import static org.labcommons.testkit.TenantWorld.FINANCE

/**
 * A finance office confirms a netting in headless Chromium, in Chinese on a phone: B's finance has confirmed already;
 * A's finance signs in through A's identity provider, opens 机构间轧差结算, sees A pay B 70.00 yuan (A owed B 120.00,
 * B owed A 50.00), confirms its side, and the pair shows settled while both ledgers hold the clearing.
 */
class NettingPagesBrowserSpec extends PlatformSpec {
    @Inject Ledger ledger
    @Inject LedgerClock clock
    @Inject Netting netting

    @Shared TenantWorld world
    @Shared TenantId a, b
    Browser browser = Browser.get()

    def setup() {
        if (world == null) {
            world = TenantWorld.build(ctx) {
                consortium('nb-lc') {
                    person('nb-operator', CONSORTIUM_ADMIN)
                    institution('nb-a', nameZh: '甲大学', nameEn: 'A University') { person('nb-financeA', FINANCE) }
                    institution('nb-b', nameZh: '乙大学', nameEn: 'B University') { person('nb-financeB', FINANCE) }
                }
            }
            a = new TenantId(world.tenant('nb-a').id)
            b = new TenantId(world.tenant('nb-b').id)
            try {
                clock.set(Clock.fixed(Instant.parse('2033-03-10T02:00:00Z'), ZoneOffset.UTC))
                owe(a, b, 12_000, 'ab')
                owe(b, a, 5_000, 'ba')
                clock.set(Clock.fixed(Instant.parse('2033-04-10T02:00:00Z'), ZoneOffset.UTC))
                netting.start(new TenantId(world.tenant('nb-lc').id), '2033-03', world.person('nb-operator').userId, AuditEntry.Actor.SYSTEM)
            } finally {
                clock.set(null)
            }
        }
        browser.reset()
    }

    void owe(TenantId debtor, TenantId creditor, long fen, String key) {
        [[debtor, "2202.tenant.${creditor}", 'liability'], [debtor, '1122.person.nb', 'asset'],
         [creditor, "1122.tenant.${debtor}", 'asset'], [creditor, '6001.lab.nb', 'revenue']].each { t, code, kind ->
            ledger.ensureAccount(t as TenantId, new NewAccount(code as String, kind as String, code as String, code as String, null, null))
        }
        ledger.post(debtor, new NewTransaction("p-$key", 'interinst', null, null, null, 'spec',
                [new Line('1122.person.nb', fen), new Line("2202.tenant.${creditor}".toString(), -fen)]))
        ledger.post(creditor, new NewTransaction("r-$key", 'charge', null, null, null, 'spec',
                [new Line("1122.tenant.${debtor}".toString(), fen), new Line('6001.lab.nb', -fen)]))
    }

    def "A's finance office confirms the netting on a phone, in Chinese; both ledgers are cleared"() {
        given: "B's finance confirmed its side through the API"
        def run = world.api().get('/api/v1/netting-runs', world.token('nb-financeB')).body.items[0]
        def pair = world.api().get("/api/v1/netting-runs/${run.id}", world.token('nb-financeB')).body.pairs[0].pair
        assert world.api().post("/api/v1/netting-runs/${run.id}/pairs/${pair.pairKey}/confirm", world.token('nb-financeB'), [:]).status == 200

        when:
        browser.phone()
        browser.signIn(baseUrl, world.tenant('nb-a').issuerId, world.person('nb-financeA').subject, '/admin/netting?lang=zh-CN')
        browser.waitUntil('the pair is shown') { browser.exists('article.pair[data-status="proposed"]') }

        then:
        browser.text('h1') == '机构间轧差结算'
        browser.text('article.pair .settlement') == '结算：甲大学 → 乙大学 70.00 元'
        browser.text('article.pair .status') == '待确认'
        browser.assertNoHorizontalScroll()
        browser.screenshot('netting-confirm-zh-phone')

        when:
        browser.submit('article.pair .confirm-form button')
        browser.waitUntil('the pair is settled') { browser.exists('article.pair[data-status="settled"]') }

        then:
        browser.text('article.pair .status') == '已清算'
        !browser.exists('article.pair .confirm-form')
        ledger.balance(a, '1002.bank') == -7_000
        ledger.balance(b, '1002.bank') == 7_000
        ledger.balance(a, "2202.tenant.${b}") == 0
        ledger.balance(b, "1122.tenant.${a}") == 0
    }
}
