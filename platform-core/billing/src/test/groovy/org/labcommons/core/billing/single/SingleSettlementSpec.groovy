package org.labcommons.core.billing.single

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.core.billing.BillingEventReader
import org.labcommons.core.billing.BillingTopics
import org.labcommons.core.billing.ledger.Ledger
import org.labcommons.core.billing.ledger.Line
import org.labcommons.core.billing.ledger.NewAccount
import org.labcommons.core.billing.ledger.NewTransaction
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.web.auth.WebSessions
import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.IsolationProbe
import org.labcommons.testkit.PageForms
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared
import spock.lang.Tag

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.sql.Timestamp
import java.time.Duration
import java.time.Instant
import java.time.temporal.ChronoUnit

import static org.labcommons.testkit.TenantWorld.*

/**
 * Single settlement (billing.single) through /api/v1/payer-accounts/{id}/...: an account that settles singly lists
 * its posted charges with what it owes for each (after the fund's part), gives each charge's statement as PDF and
 * xlsx, and finance records its invoice request (requested -> issued with a number -> cancelled), with field errors,
 * state conflicts, audit entries and billing.account.v1 events; the payer page shows the section; another
 * institution's admin finds nothing and changes nothing (isolation probe on every endpoint).
 */
@Tag('integration')
class SingleSettlementSpec extends PlatformSpec {
    static final String BASE = '/api/v1/payer-accounts'
    static final String TAX = '91440300708461136T'
    @Inject Ledger ledger
    @Inject JsonMapper json
    @Shared TenantWorld world
    @Shared UUID tenant
    @Shared UUID nmr

    def setup() {
        if (world != null) {
            return
        }
        world = TenantWorld.build(ctx) {
            institution('sgl-donghu') {
                unit('sgl-chem')
                person('sgl-finance', FINANCE)
                person('sgl-user', USER)
                person('sgl-customer', USER)
                instrument('NMR single', unit: 'sgl-chem')
            }
            institution('sgl-xiling') { person('sgl-other', INSTITUTION_ADMIN) }
        }
        tenant = world.tenant('sgl-donghu').id
        nmr = UUID.fromString(world.instrument('NMR single').id as String)
    }

    TenantId tid() { new TenantId(tenant) }

    HttpResponse<byte[]> bytes(String path, String token) {
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl + path)).header('Authorization', 'Bearer ' + token).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray())
    }

    HttpResponse<String> page(String who, String path) {
        def created = ctx.getBean(WebSessions).create(SharedDevStack.get().identityProvider().issuer(world.tenant('sgl-donghu').issuerId),
                world.person(who).subject, who, Duration.ofHours(1))
        PageForms.get(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build(), baseUrl + path,
                [cookie: "LC_SESSION=${created.rawId()}".toString(), csrf: created.session().csrfToken()])
    }

    Map account(Map terms = [:]) {
        def r = api.post(BASE, world.token('sgl-finance'), [kind: 'customer', code: "S-${UUID.randomUUID().toString().substring(0, 8)}".toString(),
                nameZh: '单笔客户', nameEn: 'Single customer', settlement: 'single', organisation: '杭州示例科技有限公司',
                taxId: TAX] + terms)
        assert r.status == 201: r.body
        r.body
    }

    /** A charge posted to the account as the charges' posting does: the fund's share, the account for the rest, the lab's revenue. */
    UUID postedCharge(Map a, long amountFen, long fundFen) {
        UUID id = UUID.randomUUID()
        String payer = "1122.payer.${a.id}".toString()
        Instant start = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MINUTES)
        TenantWorld.inTenant(tenant) { c ->
            def ps = c.prepareStatement("insert into charge (id, source_type, source_id, kind, instrument_id, user_id, " +
                    "user_home_tenant_id, rate_group, service_start, service_end, quantity, unit, amount_fen, posted_fen, payer_kind, " +
                    "payer_ledger_code, status) values (?, 'booking', ?, 'usage', ?, ?, ?, 'external', ?, ?, 2.00, 'hour', ?, ?, 'customer', ?, 'approved')")
            ps.setObject(1, id); ps.setObject(2, UUID.randomUUID()); ps.setObject(3, nmr)
            ps.setObject(4, world.person('sgl-customer').userId); ps.setObject(5, tenant)
            ps.setTimestamp(6, Timestamp.from(start)); ps.setTimestamp(7, Timestamp.from(start.plusSeconds(7_200)))
            ps.setLong(8, amountFen); ps.setLong(9, amountFen); ps.setString(10, payer)
            ps.executeUpdate()
            if (fundFen > 0) {
                def share = c.prepareStatement("insert into charge_share (charge_id, item_seq, line, ledger_code, amount_fen, kind, " +
                        "reference, name_zh, name_en) values (?, 1, 1, '6601.subsidy.open-testing', ?, 'subsidy', 'fund:test', '开放测试基金（30%）', 'Open-testing fund (30%)')")
                share.setObject(1, id); share.setLong(2, fundFen)
                share.executeUpdate()
            }
        }
        ledger.ensureAccount(tid(), new NewAccount('6001.single-test', 'revenue', '测试收入', 'Test revenue', null, null))
        ledger.ensureAccount(tid(), new NewAccount('6601.subsidy.open-testing', 'expense', '开放测试基金补贴', 'Open-testing fund subsidy', null, null))
        List<Line> lines = [new Line('6001.single-test', -amountFen)]
        if (amountFen != fundFen) {
            lines << new Line(payer, amountFen - fundFen)
        }
        if (fundFen > 0) {
            lines << new Line('6601.subsidy.open-testing', fundFen)
        }
        ledger.post(tid(), new NewTransaction("charge:${id}:1".toString(), 'charge', 'charge', id.toString(), 'usage booking', 'test', lines))
        id
    }

    List<String> audit(String targetId) {
        List<String> actions = []
        TenantWorld.inTenant(tenant) { c ->
            def rs = c.prepareStatement("select action from audit_event where target_id = '${targetId}' order by occurred_at, id").executeQuery()
            while (rs.next()) {
                actions << rs.getString(1)
            }
        }
        actions
    }

    def "an account that settles singly lists its posted charges with what it owes, and gives each one's statement as PDF and xlsx"() {
        given:
        def a = account()
        UUID charge = postedCharge(a, 24_000, 7_200)
        def monthly = api.post(BASE, world.token('sgl-finance'), [kind: 'project', code: "M-${UUID.randomUUID().toString().substring(0, 8)}".toString(),
                nameZh: '课题', nameEn: 'Project', settlement: 'monthly']).body
        String token = world.token('sgl-finance')

        when:
        def list = api.get("${BASE}/${a.id}/single-charges", token)
        def pdf = bytes("${BASE}/${a.id}/single-charges/${charge}/statement", token)
        def xlsx = bytes("${BASE}/${a.id}/single-charges/${charge}/statement?format=xlsx", token)
        def unknown = api.get("${BASE}/${a.id}/single-charges/${UUID.randomUUID()}/statement", token)
        def notSingle = api.get("${BASE}/${monthly.id}/single-charges", token)
        def badFormat = api.get("${BASE}/${a.id}/single-charges/${charge}/statement?format=doc", token)
        def user = api.get("${BASE}/${a.id}/single-charges", world.token('sgl-user'))

        then:
        list.status == 200
        list.body.total == 1
        with(list.body.items[0]) {
            it.chargeId == charge.toString()
            it.postedFen == 24_000
            it.payerFen == 16_800
            it.instrumentNameEn == 'NMR single'
            it.requestStatus == null
        }
        pdf.statusCode() == 200
        new String(pdf.body(), 0, 5, 'US-ASCII') == '%PDF-'
        pdf.headers().firstValue('Content-Type').get().startsWith('application/pdf')
        xlsx.statusCode() == 200
        new String(xlsx.body(), 0, 2, 'US-ASCII') == 'PK'
        unknown.status == 404
        notSingle.status == 409
        notSingle.body.code == 'not_single_settlement'
        badFormat.status == 400
        badFormat.body.errors*.field == ['format']
        user.status == 403
    }

    def "finance requests the invoice of a charge, issues it with its number and cancels it; conflicts and bad input are problem+json"() {
        given:
        def a = account()
        UUID charge = postedCharge(a, 24_000, 7_200)
        String token = world.token('sgl-finance')
        String base = "${BASE}/${a.id}"

        when:
        def badTax = api.post("${base}/single-charges/${charge}/invoice-request", token, [taxId: '91440300708461136X'])
        def byUser = api.post("${base}/single-charges/${charge}/invoice-request", world.token('sgl-user'), [:])
        def made = api.post("${base}/single-charges/${charge}/invoice-request", token, [note: 'by post'])
        def twice = api.post("${base}/single-charges/${charge}/invoice-request", token, [:])
        String id = made.body.id
        def noNumber = api.post("${base}/invoice-requests/${id}/issue", token, [invoiceNumber: ' '])
        def issued = api.post("${base}/invoice-requests/${id}/issue", token, [invoiceNumber: 'FP-2026-000123'])
        def again = api.post("${base}/invoice-requests/${id}/issue", token, [invoiceNumber: 'FP-2026-000124'])
        def noReason = api.post("${base}/invoice-requests/${id}/cancel", token, [:])
        def cancelled = api.post("${base}/invoice-requests/${id}/cancel", token, [reason: 'wrong organisation'])
        def cancelTwice = api.post("${base}/invoice-requests/${id}/cancel", token, [reason: 'again'])
        def anew = api.post("${base}/single-charges/${charge}/invoice-request", token, [organisation: '另一家公司'])
        def listed = api.get("${base}/invoice-requests?status=cancelled", token)
        def queue = api.get("${BASE}/invoice-requests?status=requested&size=200", token)
        def badStatus = api.get("${BASE}/invoice-requests?status=paid", token)

        then:
        badTax.status == 400
        badTax.body.errors*.field == ['taxId']
        byUser.status == 403
        made.status == 201
        made.body.status == 'requested'
        made.body.amountFen == 16_800
        made.body.organisation == '杭州示例科技有限公司'
        made.body.taxId == TAX
        made.body.items*.amountFen == [24_000, -7_200]
        made.body.items*.amountFen.sum() == made.body.amountFen
        twice.status == 409
        twice.body.code == 'invoice_already_requested'
        noNumber.status == 400
        noNumber.body.errors*.field == ['invoiceNumber']
        issued.status == 200
        issued.body.status == 'issued'
        issued.body.invoiceNumber == 'FP-2026-000123'
        issued.body.issuedAt != null
        again.status == 409
        again.body.code == 'invoice_request_state'
        noReason.status == 400
        cancelled.body.status == 'cancelled'
        cancelled.body.cancelReason == 'wrong organisation'
        cancelled.body.invoiceNumber == 'FP-2026-000123'
        cancelTwice.status == 409
        anew.status == 201
        anew.body.organisation == '另一家公司'
        listed.body.items*.id == [id]
        queue.body.items*.id.contains(anew.body.id)
        !queue.body.items*.id.contains(id)
        badStatus.status == 400
        audit(id) == ['invoice_request.requested', 'invoice_request.issued', 'invoice_request.cancelled']
    }

    def "a charge the fund paid in full leaves nothing to invoice"() {
        given:
        def a = account()
        UUID charge = postedCharge(a, 5_000, 5_000)

        expect:
        with(api.post("${BASE}/${a.id}/single-charges/${charge}/invoice-request", world.token('sgl-finance'), [:])) {
            it.status == 409
            it.body.code == 'nothing_to_invoice'
        }
    }

    def "payer accounts and invoice requests are events on billing.account.v1, keyed by the account"() {
        given:
        def a = account()
        UUID charge = postedCharge(a, 10_000, 0)
        String token = world.token('sgl-finance')
        def made = api.post("${BASE}/${a.id}/single-charges/${charge}/invoice-request", token, [:])
        api.post("${BASE}/${a.id}/invoice-requests/${made.body.id}/issue", token, [invoiceNumber: 'FP-1'])
        def closed = api.put("${BASE}/${a.id}", token, [nameZh: '单笔客户', nameEn: 'Single customer', settlement: 'single',
                organisation: '杭州示例科技有限公司', taxId: TAX, status: 'closed'])
        assert closed.status == 200: closed.body
        def prepaid = account(settlement: 'prepaid')
        assert api.post("${BASE}/${prepaid.id}/deposits", token, [amountFen: 50_000, key: 'slip-1']).status == 201
        assert api.post("${BASE}/${prepaid.id}/deposits", token, [amountFen: 50_000, key: 'slip-1']).status == 201   // a replay

        when:
        def events = BillingEventReader.read(json, BillingTopics.ACCOUNT, [a.id as String, prepaid.id as String]) { List<Map> e ->
            e.count { it.key == a.id } >= 4 && e.count { it.key == prepaid.id } >= 2
        }
        def ofA = events.findAll { it.key == a.id }
        def ofPrepaid = events.findAll { it.key == prepaid.id }

        then:
        ofA*.type == ['account.opened', 'invoice.requested', 'invoice.issued', 'account.closed']
        ofA.every { it.payload.tenantId == tenant.toString() && it.payload.payerId == a.id }
        ofA[0].payload.settlement == 'single'
        ofA[0].payload.ledgerCode == "1122.payer.${a.id}".toString()
        ofA[1].payload.amountFen == 10_000
        ofA[2].payload.invoiceNumber == 'FP-1'
        ofA[3].payload.status == 'closed'
        ofPrepaid*.type == ['account.opened', 'deposit.topped_up']
        ofPrepaid[1].payload.amountFen == 50_000
        ofPrepaid[1].payload.key == 'slip-1'
    }

    def "the payer page shows the single settlement section with the charge, its statement links and the invoice forms"() {
        given:
        def a = account()
        UUID charge = postedCharge(a, 12_345, 0)
        api.post("${BASE}/${a.id}/single-charges/${postedCharge(a, 500, 0)}/invoice-request", world.token('sgl-finance'), [:])

        when:
        def shown = page('sgl-finance', "/admin/payer-accounts/${a.id}?lang=en")
        String html = shown.body()

        then:
        shown.statusCode() == 200
        html.contains('id="single"')
        html.contains("/admin/payer-accounts/${a.id}/single/${charge}/statement.pdf")
        html.contains('123.45')
        html.contains('Request invoice')
        html.contains('data-status="requested"')
    }

    def "another institution's admin neither sees nor changes Donghu's single settlement"() {
        given:
        def a = account()
        UUID charge = postedCharge(a, 8_000, 0)
        String token = world.token('sgl-finance')
        def req = api.post("${BASE}/${a.id}/single-charges/${charge}/invoice-request", token, [:]).body
        def snapshot = {
            [api.get("${BASE}/${a.id}/single-charges", token).body.items.collect { [it.chargeId, it.payerFen, it.requestStatus] },
             api.get("${BASE}/${a.id}/invoice-requests", token).body.items.collect { [it.id, it.status, it.version, it.invoiceNumber] }]
        }
        def headers = [Authorization: 'Bearer ' + world.token('sgl-other'), 'Accept-Language': 'en']

        when:
        def report = IsolationProbe.against(baseUrl, headers)
                .probe('GET', "${BASE}/${a.id}/single-charges")
                .probe('GET', "${BASE}/${a.id}/single-charges/{id}/statement")
                .probe('GET', "${BASE}/${a.id}/single-charges/{id}/statement?format=xlsx")
                .probe('POST', "${BASE}/${a.id}/single-charges/{id}/invoice-request", '{}')
                .probe('GET', "${BASE}/${a.id}/invoice-requests")
                .listing('GET', "${BASE}/invoice-requests?size=200")
                .run([charge.toString()], snapshot)
        def byRequest = IsolationProbe.against(baseUrl, headers)
                .probe('POST', "${BASE}/${a.id}/invoice-requests/{id}/issue", '{"invoiceNumber":"X-1"}')
                .probe('POST', "${BASE}/${a.id}/invoice-requests/{id}/cancel", '{"reason":"probe"}')
                .run([req.id as String], snapshot)

        then:
        report.leaks() == []
        !report.dataOfOwnerChanged()
        byRequest.leaks() == []
        !byRequest.dataOfOwnerChanged()
    }
}
