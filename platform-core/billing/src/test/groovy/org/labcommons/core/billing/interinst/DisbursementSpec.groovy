package org.labcommons.core.billing.interinst

import jakarta.inject.Inject
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

import org.labcommons.core.web.auth.WebSessions
import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.PageForms

import java.net.http.HttpClient
import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.ZoneOffset

import static org.labcommons.testkit.TenantWorld.FINANCE
import static org.labcommons.testkit.TenantWorld.INSTITUTION_ADMIN
import static org.labcommons.testkit.TenantWorld.INSTRUMENT_ADMIN

/**
 * Quarterly disbursement through the API on the real database: the shares (default and a unit's override, basis
 * points summing to 10,000, field errors otherwise), a run of an ended quarter splitting each lab's revenue of the
 * quarter's periods by the largest remainder and posting it, a second run adding nothing, roles and isolation.
 */
@Stepwise
class DisbursementSpec extends PlatformSpec {
    @Inject Ledger ledger
    @Inject LedgerClock clock

    @Shared TenantWorld world
    @Shared TenantId tenant
    @Shared UUID chem, nmr, loose
    @Shared String runId

    def setup() {
        if (world != null) {
            return
        }
        world = TenantWorld.build(ctx) {
            institution('db-a') {
                unit('chem', kind: 'department', nameZh: '化学院', nameEn: 'Chemistry')
                unit('nmr', kind: 'lab', parent: 'chem', nameZh: '核磁实验室', nameEn: 'NMR lab')
                unit('loose', kind: 'lab', nameZh: '独立实验室', nameEn: 'Independent lab')
                person('finance', FINANCE)
                person('admin', INSTITUTION_ADMIN)
                person('staff', INSTRUMENT_ADMIN)
            }
            institution('db-b') { person('financeB', FINANCE) }
        }
        tenant = new TenantId(world.tenant('db-a').id)
        chem = world.unit('db-a', 'chem'); nmr = world.unit('db-a', 'nmr'); loose = world.unit('db-a', 'loose')
        ledger.ensureAccount(tenant, new NewAccount('1122.person.someone', 'asset', '个人', 'Person', null, null))
        [nmr, loose].each { ledger.ensureAccount(tenant, new NewAccount("6001.lab.${it}", 'revenue', '实验室收入', 'Lab revenue', null, null)) }
        try {
            revenue('2033-01-15T02:00:00Z', nmr, 40_000, 'n1')
            revenue('2033-02-15T02:00:00Z', nmr, 70_001, 'n2')
            revenue('2033-03-15T02:00:00Z', nmr, -10_000, 'n3')     // a waiver in the quarter: net 100,001
            revenue('2033-03-20T02:00:00Z', loose, 33_333, 'l1')
            revenue('2033-04-02T02:00:00Z', nmr, 99_999, 'n-april') // the next quarter's
        } finally {
            clock.set(null)
        }
    }

    void revenue(String at, UUID unit, long fen, String key) {
        clock.set(Clock.fixed(Instant.parse(at), ZoneOffset.UTC))
        ledger.post(tenant, new NewTransaction("rev-$key", 'charge', null, null, null, 'spec',
                [new Line('1122.person.someone', fen), new Line("6001.lab.${unit}".toString(), -fen)]))
    }

    long bal(String code) { ledger.trialBalance(tenant).getOrDefault(code, 0L) }

    def "finance sets the default split and a unit's; shares that do not sum to 10,000 are field errors"() {
        when:
        def defaults = world.api().put('/api/v1/disbursement-runs/shares', world.token('finance'),
                [labBp: 6000, departmentBp: 2500, institutionBp: 1500])
        def override = world.api().put('/api/v1/disbursement-runs/shares', world.token('admin'),
                [unitId: loose.toString(), labBp: 3333, departmentBp: 3333, institutionBp: 3334])
        def bad = world.api().put('/api/v1/disbursement-runs/shares', world.token('finance'),
                [labBp: 6000, departmentBp: 2500, institutionBp: 2500])
        def missing = world.api().put('/api/v1/disbursement-runs/shares', world.token('finance'),
                [labBp: -1, departmentBp: 2500])
        def unknownUnit = world.api().put('/api/v1/disbursement-runs/shares', world.token('finance'),
                [unitId: UUID.randomUUID().toString(), labBp: 5000, departmentBp: 2500, institutionBp: 2500])

        then:
        defaults.status == 200
        defaults.body.defaults.labBp == 6000
        override.body.overrides*.unitId == [loose.toString()]
        bad.status == 422
        bad.body.errors*.field == ['labBp']
        bad.body.errors[0].code == 'sum'
        missing.status == 422
        missing.body.errors*.field == ['labBp', 'institutionBp']
        unknownUnit.status == 422
        unknownUnit.body.errors*.field == ['unitId']
        world.api().get('/api/v1/disbursement-runs/shares', world.token('staff')).status == 403
    }

    def "a quarter that has not ended, or a malformed one, is refused"() {
        given:
        clock.set(Clock.fixed(Instant.parse('2033-04-10T02:00:00Z'), ZoneOffset.UTC))

        expect:
        with(world.api().post('/api/v1/disbursement-runs', world.token('finance'), [quarter: '2033-Q2'])) {
            status == 422
            body.errors*.field == ['quarter']
        }
        world.api().post('/api/v1/disbursement-runs', world.token('finance'), [quarter: '2033-5']).status == 400

        cleanup:
        clock.set(null)
    }

    def "the quarter's run splits each lab's revenue by its shares, rounded by the largest remainder, and posts it"() {
        given:
        clock.set(Clock.fixed(Instant.parse('2033-04-10T02:00:00Z'), ZoneOffset.UTC))

        when:
        def r = world.api().post('/api/v1/disbursement-runs', world.token('finance'), [quarter: '2033-Q1'])
        runId = r.body.run.id

        then:
        r.status == 201
        r.body.created
        r.body.run.totalFen == 100_001 + 33_333
        r.body.run.labs == 2
        def n = r.body.lines.find { it.unitId == nmr.toString() }
        [n.revenueFen, n.labFen, n.departmentFen, n.institutionFen] == [100_001, 60_001, 25_000, 15_000]
        n.departmentId == chem.toString()
        def l = r.body.lines.find { it.unitId == loose.toString() }
        // 33,333 at 3333/3333/3334: 11,109 + 11,109 + 11,113, the two fen left to the largest remainders (lab, department);
        // the independent lab has no department: its department part goes to the institution
        [l.revenueFen, l.labFen, l.departmentFen, l.institutionFen] == [33_333, 11_110, 0, 11_113 + 11_110]
        l.departmentId == null

        and: "the ledger: the clearing account holds what was allocated, each share's account what is due"
        bal('6001.clearing') == 133_334
        bal("2241.disbursement.lab.${nmr}") == -60_001
        bal("2241.disbursement.department.${chem}") == -25_000
        bal("2241.disbursement.lab.${loose}") == -11_110
        bal('2241.disbursement.institution') == -(15_000 + 22_223)
        bal("6001.lab.${nmr}") == -(100_001 + 99_999)                // the labs' revenue accounts keep what they earned
        ledger.trialBalance(tenant).values().sum() == 0

        cleanup:
        clock.set(null)
    }

    def "a second run of the quarter adds nothing; runs are listed"() {
        given:
        clock.set(Clock.fixed(Instant.parse('2033-04-11T02:00:00Z'), ZoneOffset.UTC))
        def before = ledger.trialBalance(tenant)

        when:
        def again = world.api().post('/api/v1/disbursement-runs', world.token('admin'), [quarter: '2033-Q1'])
        def list = world.api().get('/api/v1/disbursement-runs', world.token('finance'))
        def one = world.api().get("/api/v1/disbursement-runs/${runId}", world.token('finance'))

        then:
        again.status == 200
        !again.body.created
        again.body.run.id == runId
        ledger.trialBalance(tenant) == before
        list.body.total == 1
        list.body.items[0].quarter == '2033-Q1'
        one.body.lines.size() == 2
        world.api().get('/api/v1/disbursement-runs', world.token('staff')).status == 403
        world.api().get('/api/v1/disbursement-runs?size=500', world.token('finance')).body.errors*.field == ['size']

        cleanup:
        clock.set(null)
    }

    def "the disbursement page shows the shares and the runs, and a bad split answers 422 with the message under its field"() {
        given:
        def created = ctx.getBean(WebSessions).create(SharedDevStack.get().identityProvider().issuer(world.tenant('db-a').issuerId),
                world.person('finance').subject, 'finance', Duration.ofHours(1))
        Map session = [cookie: "LC_SESSION=${created.rawId()}".toString(), csrf: created.session().csrfToken()]
        def http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()

        when:
        def zh = PageForms.get(http, baseUrl + '/admin/disbursement?lang=zh-CN', session)
        def en = PageForms.get(http, baseUrl + "/admin/disbursement?lang=en&run=${runId}", session)
        def bad = PageForms.post(http, baseUrl + '/admin/disbursement/shares?lang=en', session,
                [labBp: '6000', departmentBp: '2500', institutionBp: '2500'])
        def good = PageForms.post(http, baseUrl + '/admin/disbursement/shares?lang=en', session,
                [labBp: '6000', departmentBp: '2500', institutionBp: '1500'])

        then:
        zh.statusCode() == 200
        zh.body().contains('收入分配（拨款）')
        zh.body().contains('2033-Q1')
        en.statusCode() == 200
        en.body().contains('Disbursement runs')
        en.body().contains('600.01')                     // the NMR lab's part of 1,000.01 yuan
        bad.statusCode() == 422
        bad.body() =~ /id="error-labBp"[^>]*>the three shares must sum to 10,000 basis points/
        good.statusCode() == 303
    }

    def "another institution's finance office gets nothing of the runs and shares"() {
        when:
        def probe = IsolationProbe.against(world.api().base, ['Authorization': "Bearer ${world.token('financeB')}".toString()])
                .probe('GET', '/api/v1/disbursement-runs/{id}')
                .probe('PUT', '/api/v1/disbursement-runs/shares', '{"unitId":"{id}","labBp":1,"departmentBp":1,"institutionBp":9998}')
                .listing('GET', '/api/v1/disbursement-runs')
                .listing('GET', '/api/v1/disbursement-runs/shares')
                .run([runId, nmr.toString()], ['2033-Q1', nmr.toString()], { [ledger.trialBalance(tenant), world.api().get('/api/v1/disbursement-runs/shares', world.token('finance')).body] })

        then:
        probe.probesMade() > 0
        probe.leaks() == []
        !probe.dataOfOwnerChanged()
    }
}
