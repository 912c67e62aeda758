package org.labcommons.server.money

import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import io.micronaut.runtime.server.EmbeddedServer
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import io.micronaut.test.support.TestPropertyProvider
import jakarta.inject.Inject
import org.labcommons.core.billing.ledger.Ledger
import org.labcommons.core.billing.subsidies.Vouchers
import org.labcommons.devstack.SharedDevStack
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Stepwise
import spock.lang.Tag

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.security.MessageDigest
import java.time.YearMonth
import java.util.concurrent.TimeUnit

/**
 * Issue 17's "Done when" on dev mode's demo data ({@link DemoMoney}), played through the API as the demo's people do
 * it in the pages: a Xiling researcher's week of NMR evenings at Donghu becomes charges at the consortium rate,
 * Donghu's NMR staff review them (one adjusted), Xiling's fund pays its share of its researcher's payable at home,
 * the month close produces the statements and the finance file at both universities, the consortium nets what the
 * two owe each other and both finance offices confirm; a testing company's test at Donghu is paid by its innovation
 * voucher. The figures of the journey are printed.
 */
@Tag('integration')
@Tag('module-server')   // server has no test kit: its tier and module tags are spelled out
@MicronautTest(transactional = false)
@Stepwise
class DemoMoneySpec extends Specification implements TestPropertyProvider {

    @Inject EmbeddedServer server
    @Inject io.micronaut.context.ApplicationContext ctx
    @Inject DemoMoney money
    @Inject Ledger ledger
    @Inject Vouchers vouchers

    @Shared DemoMoney.Summary loaded
    @Shared YearMonth period
    @Shared HttpClient http = HttpClient.newHttpClient()
    @Shared Map<String, Object> figures = [:]

    @Override
    Map<String, String> getProperties() {
        SharedDevStack.get().properties() + ['labcommons.demo.enabled': 'true']
    }

    def cleanupSpec() {
        println "demo money figures: ${JsonOutput.prettyPrint(JsonOutput.toJson(figures))}"
    }

    static final Map<String, String> ISSUER = ['bureau-admin': 'consortium', 'xiling-researcher': 'xiling',
                                               'xiling-finance': 'xiling', 'xiling-sem-staff': 'xiling']

    String token(String user) {
        SharedDevStack.get().identityProvider().server().issueToken(ISSUER.getOrDefault(user, 'donghu'), user, 'labcommons').serialize()
    }

    HttpResponse<byte[]> call(String method, String path, String user, Object body = null) {
        def b = HttpRequest.newBuilder(URI.create("http://localhost:${server.port}${path}"))
                .header('Authorization', "Bearer ${token(user)}")
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header('Content-Type', 'application/json').method(method, HttpRequest.BodyPublishers.ofString(JsonOutput.toJson(body)))
        http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray())
    }

    Map json(String method, String path, String user, Object body = null, int expected = 200) {
        def r = call(method, path, user, body)
        String text = new String(r.body(), 'UTF-8')
        assert r.statusCode() == expected: "${method} ${path} as ${user}: ${r.statusCode()} ${text.take(600)}"
        new JsonSlurper().parseText(text) as Map
    }

    /** Polls {@code check} until it answers truthy, at most {@code seconds}; the last answer. */
    static <T> T eventually(int seconds, Closure<T> check) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds)
        T last = check()
        while (!last && System.nanoTime() < deadline) {
            Thread.sleep(500)
            last = check()
        }
        last
    }

    List<Map> charges(String user, String query) {
        Map page = json('GET', "/api/v1/charges?period=${period}&size=200&${query}", user)
        (page.items ?: []) as List<Map>   // an empty list is left out of the JSON
    }

    String projectId(org.labcommons.core.tenancy.TenantId tenant, String code) {
        ctx.getBean(org.labcommons.core.billing.payers.Payers).find(tenant, code).get().id().toString()
    }

    long balance(org.labcommons.core.tenancy.TenantId tenant, String code) {
        ledger.trialBalance(tenant).getOrDefault(code, 0L)
    }

    def "the demo's month of money: cards filed, accounts, funds, a voucher, and last month's week of use recorded"() {
        when:
        loaded = money.load()
        period = loaded.period()

        then:
        loaded.cardsFiled() == 6
        loaded.accountsOpened() == 3
        loaded.bookingsCreated() == 8
        loaded.usageRecorded() == 8

        when: 'loaded again (dev mode started again)'
        def again = money.load()

        then: 'nothing is added'
        again.cardsFiled() == 0 && again.accountsOpened() == 0 && again.bookingsCreated() == 0 && again.usageRecorded() == 0
    }

    def "the Xiling researcher's week at Donghu becomes five charges at the consortium rate, waiting for Donghu's staff"() {
        when:
        List<Map> mine = eventually(60) {
            def c = charges('donghu-nmr-staff', 'status=pending').findAll { it.accountCode == DemoMoney.XILING_PROJECT }
            c.size() == 5 ? c : null
        }

        then: 'the recorded time rounded up to the quarter hour at 120 yuan an hour: four of 2 h, one of 2.75 h'
        mine*.rateGroup.toSet() == ['consortium'] as Set
        mine*.amountFen.sort() == [24_000, 24_000, 24_000, 24_000, 33_000]
    }

    def "Donghu's NMR staff review them: the evening that ran over is adjusted with a reason, the rest approved"() {
        given:
        List<Map> pending = charges('donghu-nmr-staff', 'status=pending')
        Map over = pending.find { it.accountCode == DemoMoney.XILING_PROJECT && it.amountFen == 33_000 }

        when: 'the 45 minutes over the booking at half price: 2 h at 120 and 0.75 h at 60'
        def adjusted = json('POST', "/api/v1/charges/${over.id}/adjust", 'donghu-nmr-staff',
                [newTotalFen: 28_500, reason: '超时部分按半价收取 overtime at half price'])
        def approved = json('POST', '/api/v1/charges/approve', 'donghu-nmr-staff',
                [ids: pending.findAll { it.accountCode == DemoMoney.XILING_PROJECT }*.id])

        then:
        adjusted.amountFen == 28_500
        adjusted.items*.kind == ['rated', 'adjustment']
        charges('donghu-nmr-staff', 'status=pending').every { it.accountCode != DemoMoney.XILING_PROJECT }

        and: 'Donghu is owed the week by Xiling'
        balance(DemoMoney.DONGHU, "1122.tenant.${DemoMoney.XILING.value()}") == 4 * 24_000 + 28_500
        ledger.trialBalance(DemoMoney.DONGHU).values().sum() == 0

        when: 'at home, Xiling owes Donghu the same, charged to the researcher\'s NSFC project'
        Map payables = eventually(60) {
            def p = json('GET', '/api/v1/interinst/payables?size=100', 'xiling-finance')
            p.totalFen == 124_500 ? p : null
        }
        figures.donghuApproved = approved
        figures.xilingOwesDonghuFen = payables?.totalFen

        then:
        payables.totalFen == 124_500
        balance(DemoMoney.XILING, "2202.tenant.${DemoMoney.DONGHU.value()}") == -124_500

        and: "Xiling's open-testing fund pays 20 % of its researcher's fees elsewhere (rounded half up per charge), the project the rest"
        long fund = balance(DemoMoney.XILING, '6601.subsidy.open-testing')
        fund == 4 * 4_800 + 5_700
        balance(DemoMoney.XILING, "1122.payer.${projectId(DemoMoney.XILING, DemoMoney.XILING_PROJECT)}") == 124_500 - fund
        ledger.trialBalance(DemoMoney.XILING).values().sum() == 0
    }

    def "the Donghu student's SEM mornings at Xiling: Xiling's staff approve, Donghu owes Xiling"() {
        when:
        List<Map> sem = eventually(60) {
            def c = charges('xiling-sem-staff', 'status=pending').findAll { it.accountCode == DemoMoney.DONGHU_PROJECT }
            c.size() == 2 ? c : null
        }
        json('POST', '/api/v1/charges/approve', 'xiling-sem-staff', [ids: charges('xiling-sem-staff', 'status=pending')*.id])
        Map payables = eventually(60) {
            def p = json('GET', '/api/v1/interinst/payables?size=100', 'donghu-finance')
            p.totalFen == 90_000 ? p : null
        }

        then: '1.5 h each at 300 yuan'
        sem*.amountFen == [45_000, 45_000]
        payables.totalFen == 90_000
    }

    def "the testing company's test is paid by its innovation voucher: the bureau owes Donghu, the deposit is untouched"() {
        given:
        long bureauOwes = balance(DemoMoney.BUREAU, "2241.voucher.${DemoMoney.DONGHU.value()}")

        when:
        Map test = eventually(60) { charges('donghu-nmr-staff', "status=pending&accountCode=${DemoMoney.CUSTOMER}").find() }
        Map approved = json('POST', "/api/v1/charges/${test.id}/approve", 'donghu-nmr-staff')
        figures.voucherCharge = [amountFen: approved.amountFen, shares: approved.shares]

        then: '1.5 h at the external rate of 200 yuan, all of it within the claim cap of 20,000 yuan'
        approved.rateGroup == 'external'
        approved.amountFen == 30_000
        approved.shares*.kind == ['voucher']
        approved.shares*.amountFen == [30_000]
        balance(DemoMoney.DONGHU, "1122.voucher.${DemoMoney.BUREAU.value()}") >= 30_000
        balance(DemoMoney.BUREAU, "2241.voucher.${DemoMoney.DONGHU.value()}") - bureauOwes == -30_000
        vouchers.vouchers(DemoMoney.BUREAU, null, 0, 200).items().find { it.faceValueFen() == 5_000_000 }.balanceFen() == 5_000_000 - 30_000
    }

    def "the month close at both universities gives the statements and the finance file, the same bytes when asked again"() {
        when: 'Donghu\'s finance closes last month (every charge of it reviewed)'
        def pending = charges('donghu-nmr-staff', 'status=pending')
        if (pending) {
            json('POST', '/api/v1/charges/approve', 'donghu-nmr-staff', [ids: pending*.id])
        }
        Map check = json('POST', '/api/v1/month-closes/pre-check', 'donghu-finance', [period: period.toString()])
        Map donghu = json('POST', '/api/v1/month-closes', 'donghu-finance', [period: period.toString()], 201)
        Map xiling = json('POST', '/api/v1/month-closes', 'xiling-finance', [period: period.toString()], 201)
        def csv = call('GET', "/api/v1/month-closes/${period}/finance-file.csv", 'donghu-finance')
        def csvAgain = call('GET', "/api/v1/month-closes/${period}/finance-file.csv", 'donghu-finance')
        Map xilingClosed = json('GET', "/api/v1/month-closes/${period}", 'xiling-finance')
        String projectCode = xilingClosed.statements.find { it.payerCode?.toString()?.contains('payer') }?.payerCode
        def pdf = call('GET', "/api/v1/month-closes/${period}/statements/${projectCode}.pdf", 'xiling-researcher')
        figures.close = [donghu: donghu.close, xiling: xiling.close, financeFileSha256: csv.headers().firstValue('X-Content-SHA256').orElse(null)]

        then:
        check.closable
        !donghu.replayed
        csv.statusCode() == 200
        csv.body() == csvAgain.body()
        csv.headers().firstValue('X-Content-SHA256').get() == MessageDigest.getInstance('SHA-256').digest(csv.body()).encodeHex().toString()

        and: 'the researcher, PI of the NSFC project, downloads its statement of the month as a PDF'
        projectCode != null
        pdf.statusCode() == 200
        new String(pdf.body(), 0, 5, 'ISO-8859-1') == '%PDF-'
    }

    def "the consortium nets the month: Xiling owes Donghu 1,245 yuan, Donghu owes Xiling 900, one settlement of 345"() {
        when:
        Map run = json('POST', '/api/v1/netting-runs', 'bureau-admin', [period: period.toString()], 201)
        Set<String> two = [DemoMoney.DONGHU.value().toString(), DemoMoney.XILING.value().toString()] as Set
        Map pair = run.pairs.collect { it.pair as Map }.find { [it.tenantA, it.tenantB] as Set == two }
        json('POST', "/api/v1/netting-runs/${run.run.id}/pairs/${pair.pairKey}/confirm", 'donghu-finance')
        Map confirmed = json('POST', "/api/v1/netting-runs/${run.run.id}/pairs/${pair.pairKey}/confirm", 'xiling-finance')
        Map settled = eventually(60) {
            def r = json('GET', "/api/v1/netting-runs/${run.run.id}", 'bureau-admin')
            def p = r.pairs.collect { it.pair as Map }.find { it.pairKey == pair.pairKey }
            p.status == 'settled' ? p : null
        }
        figures.netting = settled

        then:
        pair.agreed
        pair.netFen == 34_500
        pair.payerTenantId == DemoMoney.XILING.value().toString()
        confirmed != null
        settled.status == 'settled'

        and: 'nothing stands between the two at the month\'s end any more; both ledgers balance'
        balance(DemoMoney.DONGHU, "1122.tenant.${DemoMoney.XILING.value()}") + balance(DemoMoney.DONGHU, "2202.tenant.${DemoMoney.XILING.value()}") == 0
        balance(DemoMoney.XILING, "1122.tenant.${DemoMoney.DONGHU.value()}") + balance(DemoMoney.XILING, "2202.tenant.${DemoMoney.DONGHU.value()}") == 0
        ledger.trialBalance(DemoMoney.DONGHU).values().sum() == 0
        ledger.trialBalance(DemoMoney.XILING).values().sum() == 0
    }
}
