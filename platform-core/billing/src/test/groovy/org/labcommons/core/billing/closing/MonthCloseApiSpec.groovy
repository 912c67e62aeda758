package org.labcommons.core.billing.closing

import jakarta.inject.Inject
import org.apache.pdfbox.Loader
import org.apache.pdfbox.pdmodel.font.PDType0Font
import org.apache.pdfbox.text.PDFTextStripper
import org.apache.poi.xssf.usermodel.XSSFWorkbook
import org.labcommons.core.billing.ledger.Ledger
import org.labcommons.core.billing.ledger.LedgerClock
import org.labcommons.core.billing.ledger.Line
import org.labcommons.core.billing.ledger.NewAccount
import org.labcommons.core.billing.ledger.NewTransaction
import org.labcommons.core.tenancy.TenantId
import org.labcommons.testkit.IsolationProbe
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared
import spock.lang.Stepwise

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.charset.StandardCharsets
import java.security.MessageDigest
import java.time.Clock
import java.time.Instant
import java.time.LocalDate
import java.time.ZoneOffset

import static org.labcommons.testkit.TenantWorld.FINANCE
import static org.labcommons.testkit.TenantWorld.INSTITUTION_ADMIN
import static org.labcommons.testkit.TenantWorld.INSTRUMENT_ADMIN

/**
 * The month close through /api/v1/month-closes: the pre-check lists what the finance system would reject (a payer
 * without a finance code, an unknown account, a month not over), a blocked close is 409 with a field problem per
 * blocker, a close makes statements and the finance file (CSV, xlsx; SHA-256), closes the ledger's period, and a
 * second close adds nothing and answers the same bytes; statements as PDF (Chinese font embedded, text extracted back)
 * and xlsx, the same bytes on every download; roles, field errors and another institution (isolation probe).
 */
@Stepwise
class MonthCloseApiSpec extends PlatformSpec {
    static final String BASE = '/api/v1/month-closes'
    static final HttpClient HTTP = HttpClient.newHttpClient()
    @Inject Ledger ledger
    @Inject LedgerClock clock

    @Shared TenantWorld world
    @Shared TenantId tenant
    @Shared TenantId other
    @Shared String nsfc
    @Shared String horizontal
    @Shared String person
    @Shared String lab

    def setup() {
        clock.set(Clock.fixed(Instant.parse('2033-04-02T02:00:00Z'), ZoneOffset.UTC))
        if (world != null) {
            return
        }
        world = TenantWorld.build(ctx) {
            institution('close-a') {
                person('close-finance', FINANCE)
                person('close-admin', INSTITUTION_ADMIN)
                person('close-staff', INSTRUMENT_ADMIN)
                person('close-pi', USER)
            }
            institution('close-b') {
                person('close-b-finance', FINANCE)
            }
        }
        tenant = new TenantId(world.tenant('close-a').id)
        other = new TenantId(world.tenant('close-b').id)
        nsfc = "1122.payer.${UUID.randomUUID()}"
        horizontal = "1122.payer.${UUID.randomUUID()}"
        person = "1122.person.${UUID.randomUUID()}"
        lab = "6001.lab.${UUID.randomUUID()}"
        ledger.ensureAccount(tenant, new NewAccount(nsfc, 'asset', '课题账户 1', 'Project account 1', 'payer', null))
        ledger.ensureAccount(tenant, new NewAccount(horizontal, 'asset', '课题账户 2', 'Project account 2', 'payer', null))
        ledger.ensureAccount(tenant, new NewAccount(person, 'asset', '张三', 'Zhang San', 'person', null))
        ledger.ensureAccount(tenant, new NewAccount(lab, 'revenue', '核磁实验室', 'NMR lab', null, null))
        TestStatementPayers.INFO[nsfc] = new PayerInfo('NSFC-2033-001', '国家自然科学基金青年项目', 'NSFC Young Scientists',
                'FIN-0001', LocalDate.of(2035, 12, 31), 'active', null)
        TestStatementPayers.INFO[horizontal] = new PayerInfo('HX-2033-17', '横向课题, 化学院', 'Contract research, Chemistry',
                null, null, 'active', null)
        post('2033-02-20T02:00:00Z', 'feb-1', nsfc, 1_000, '核磁 1 小时')
        post('2033-03-05T02:00:00Z', 'mar-1', nsfc, 123_456, '核磁共振 3.5 小时')
        post('2033-03-06T02:00:00Z', 'mar-2', nsfc, 100_000, '质谱 样品 20 个')
        post('2033-03-07T02:00:00Z', 'mar-3', horizontal, 5_000, '电镜 30 分钟')
        post('2033-03-08T02:00:00Z', 'mar-4', person, 7_700, '个人 X 射线衍射')
        // at the other institution: an entry on an account the finance system does not know
        ledger.ensureAccount(other, new NewAccount('4001.misc', 'asset', '其他', 'Other', null, null))
        ledger.ensureAccount(other, new NewAccount('6001.lab.b', 'revenue', '乙实验室', 'Lab B', null, null))
        clock.set(Clock.fixed(Instant.parse('2033-03-09T02:00:00Z'), ZoneOffset.UTC))
        ledger.post(other, new NewTransaction('b-1', 'charge', null, null, null, 'spec', [new Line('4001.misc', 10), new Line('6001.lab.b', -10)]))
        clock.set(Clock.fixed(Instant.parse('2033-04-02T02:00:00Z'), ZoneOffset.UTC))
    }

    def cleanup() {
        clock.set(null)
    }

    void post(String at, String key, String payer, long fen, String memo) {
        clock.set(Clock.fixed(Instant.parse(at), ZoneOffset.UTC))
        ledger.post(tenant, new NewTransaction(key, 'charge', 'charge', key, memo, 'spec', [new Line(payer, fen), new Line(lab, -fen)]))
    }

    Map download(String path, String who) {
        def r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).header('Authorization', "Bearer ${world.token(who)}").build(),
                HttpResponse.BodyHandlers.ofByteArray())
        [status: r.statusCode(), bytes: r.body(), sha: r.headers().firstValue('X-Content-SHA256').orElse(null),
         type: r.headers().firstValue('Content-Type').orElse(null)]
    }

    static String sha(byte[] b) { MessageDigest.getInstance('SHA-256').digest(b).encodeHex().toString() }

    def "the pre-check lists what the finance system would reject and what else blocks"() {
        when:
        def march = world.api().post("${BASE}/pre-check", world.token('close-finance'), [period: '2033-03'])
        def april = world.api().post("${BASE}/pre-check", world.token('close-finance'), [period: '2033-04'])
        def b = world.api().post("${BASE}/pre-check", world.token('close-b-finance'), [period: '2033-03'])

        then:
        march.status == 200
        !march.body.closed
        !march.body.closable
        march.body.statements == 3
        march.body.blockers*.code == ['no_finance_code']
        march.body.blockers*.reference == [horizontal]
        april.body.blockers*.code == ['month_not_ended']
        b.body.blockers*.code == ['unknown_account']
        b.body.blockers*.reference == ['4001.misc']
    }

    def "a blocked close is refused with a field problem per blocker, and closes nothing"() {
        when:
        def r = world.api().post(BASE, world.token('close-finance'), [period: '2033-02'])
        def blocked = world.api().post(BASE, world.token('close-finance'), [period: '2033-03'])

        then: 'February closes; March is blocked by the payer without a finance code'
        r.status == 201
        !r.body.replayed
        r.body.close.statementCount == 1
        r.body.close.deductionFen == 1_000
        blocked.status == 409
        blocked.body.code == 'close_blocked'
        blocked.body.errors*.code == ['no_finance_code']
        ledger.periods(tenant).find { it.period() == '2033-03' }.status() == 'open'
    }

    def "closing March makes statements and the finance file, closes the period, and a second close adds nothing"() {
        given:
        TestStatementPayers.INFO[horizontal] = new PayerInfo('HX-2033-17', '横向课题, 化学院', 'Contract research, Chemistry',
                'FIN-0002', LocalDate.of(2034, 6, 30), 'active', null)

        when:
        def first = world.api().post(BASE, world.token('close-finance'), [period: '2033-03'])
        def second = world.api().post(BASE, world.token('close-admin'), [period: '2033-03'])
        def one = world.api().get("${BASE}/2033-03", world.token('close-finance'))
        def list = world.api().get("${BASE}?size=10", world.token('close-finance'))

        then:
        first.status == 201
        !first.body.replayed
        second.status == 201
        second.body.replayed
        second.body.close == first.body.close
        ledger.periods(tenant).find { it.period() == '2033-03' }.status() == 'closed'
        one.body.statementCount == 3
        one.body.deductionRows == 2
        one.body.deductionFen == 228_456
        with(one.body.statements.find { it.payerCode == nsfc }) {
            nameZh == '国家自然科学基金青年项目'
            financeCode == 'FIN-0001'
            grantCode == 'NSFC-2033-001'
            openingFen == 1_000
            debitsFen == 223_456
            creditsFen == 0
            closingFen == 224_456
            entries == 2
        }
        one.body.statements.find { it.payerCode == person }.nameZh == '张三'
        one.body.files*.name == ['finance-file.csv', 'finance-file.xlsx']
        one.body.files.every { it.sha256 ==~ /[0-9a-f]{64}/ }
        list.body.items*.period == ['2033-03', '2033-02']
        list.body.total == 2
    }

    def "the finance file downloads byte-identical every time, with its checksum"() {
        when:
        def one = world.api().get("${BASE}/2033-03", world.token('close-finance'))
        def csv = download("${BASE}/2033-03/finance-file.csv", 'close-finance')
        def again = download("${BASE}/2033-03/finance-file.csv", 'close-admin')
        def xlsx = download("${BASE}/2033-03/finance-file.xlsx", 'close-finance')
        def sheet = new XSSFWorkbook(new ByteArrayInputStream(xlsx.bytes)).getSheetAt(0)

        then:
        csv.status == 200
        csv.bytes == again.bytes
        csv.sha == sha(csv.bytes)
        csv.sha == one.body.files.find { it.name == 'finance-file.csv' }.sha256
        new String(csv.bytes, StandardCharsets.UTF_8) == '\uFEFFfinance_code,grant_code,name,amount_fen,amount_yuan\r\n' +
                'FIN-0001,NSFC-2033-001,国家自然科学基金青年项目,223456,2234.56\r\n' +
                'FIN-0002,HX-2033-17,"横向课题, 化学院",5000,50.00\r\n'
        xlsx.sha == one.body.files.find { it.name == 'finance-file.xlsx' }.sha256
        xlsx.sha == sha(xlsx.bytes)
        sheet.getRow(1).getCell(2).stringCellValue == '国家自然科学基金青年项目'
        sheet.getRow(2).getCell(4).stringCellValue == '50.00'
    }

    def "a statement as PDF carries the Chinese name and the amounts in an embedded font, the same bytes each time"() {
        when:
        def pdf = download("${BASE}/2033-03/statements/${nsfc}.pdf", 'close-finance')
        def again = download("${BASE}/2033-03/statements/${nsfc}.pdf", 'close-finance')
        def doc = Loader.loadPDF(pdf.bytes)
        String text = new PDFTextStripper().getText(doc)
        def font = doc.getPage(0).resources.fontNames.collect { doc.getPage(0).resources.getFont(it) }.first()

        then:
        pdf.status == 200
        pdf.type.startsWith('application/pdf')
        pdf.bytes == again.bytes
        pdf.sha == sha(pdf.bytes)
        text.contains('国家自然科学基金青年项目')
        text.contains('核磁共振 3.5 小时')
        text.contains('1234.56')
        text.contains('1000.00')
        text.contains('2244.56')
        text.contains('FIN-0001')
        font instanceof PDType0Font
        font.embedded
        font.name.matches(/[A-Z]{6}\+.*/)   // a subset

        cleanup:
        doc?.close()
    }

    def "a statement as xlsx, and what is not there is 404"() {
        when:
        def xlsx = download("${BASE}/2033-03/statements/${person}.xlsx", 'close-finance')
        def sheet = new XSSFWorkbook(new ByteArrayInputStream(xlsx.bytes)).getSheetAt(0)
        def cells = (0..sheet.lastRowNum).collect { r -> sheet.getRow(r).collect { it.toString() } }

        then:
        xlsx.status == 200
        cells[1][1] == '张三'
        cells.find { it[3] == '个人 X 射线衍射' }[5] == '77.00'
        cells[-1][2] == '77.00'
        download("${BASE}/2033-03/statements/${lab}.pdf", 'close-finance').status == 404
        download("${BASE}/2033-01/finance-file.csv", 'close-finance').status == 404
        download("${BASE}/2033-03/other.csv", 'close-finance').status == 404
    }

    def "the PI of a payer account reads its statements without finance rights; other members may not"() {
        given:
        UUID pi = world.person('close-pi').userId as UUID
        TestStatementPayers.INFO[horizontal] = new PayerInfo('HX-2033-17', '横向课题, 化学院', 'Contract research, Chemistry',
                null, null, 'active', pi)

        expect:
        download("${BASE}/2033-03/statements/${horizontal}.pdf", 'close-pi').status == 200
        download("${BASE}/2033-03/statements/${nsfc}.pdf", 'close-pi').status == 403
        download("${BASE}/2033-03/statements/${horizontal}.pdf", 'close-staff').status == 403
        download("${BASE}/2033-03/finance-file.csv", 'close-pi').status == 403
    }

    def "others are refused, bad input is a field error, the current month cannot close"() {
        expect:
        world.api().post(BASE, world.token('close-staff'), [period: '2033-03']).status == 403
        world.api().get(BASE, world.token('close-staff')).body.code == 'forbidden'
        with(world.api().post(BASE, world.token('close-finance'), [period: '2033-13'])) {
            status == 400
            body.errors*.field == ['period']
        }
        world.api().post("${BASE}/pre-check", world.token('close-finance'), [:]).body.errors*.code == ['not_null']
        world.api().get("${BASE}?size=0", world.token('close-finance')).body.errors*.field == ['size']
        with(world.api().post(BASE, world.token('close-finance'), [period: '2033-04'])) {
            status == 409
            body.code == 'month_not_ended'
        }
    }

    def "another institution's finance staff get nothing of the tenant's closes"() {
        when:
        def report = IsolationProbe.against(baseUrl, ['Authorization': "Bearer ${world.token('close-b-finance')}".toString()])
                .probe('GET', "${BASE}/2033-03/statements/{id}.pdf")
                .probe('GET', "${BASE}/2033-03/statements/{id}.xlsx")
                .listing('GET', "${BASE}/2033-03")
                .listing('GET', "${BASE}/2033-03/finance-file.csv")
                .listing('GET', "${BASE}/2033-02/finance-file.xlsx")
                .listing('GET', "${BASE}?size=200")
                .listing('POST', "${BASE}/pre-check", '{"period":"2033-03"}')
                .run([nsfc, person], ['国家自然科学基金青年项目', 'FIN-0001', '2234.56'], { world.api().get("${BASE}/2033-03", world.token('close-finance')).body })

        then:
        report.probesMade() > 0
        report.leaks() == []
        !report.dataOfOwnerChanged()
    }
}
