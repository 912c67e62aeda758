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

import java.time.Clock
import java.time.Instant
import java.time.ZoneOffset

import static org.labcommons.testkit.TenantWorld.CONSORTIUM_ADMIN
import static org.labcommons.testkit.TenantWorld.FINANCE
import static org.labcommons.testkit.TenantWorld.INSTITUTION_ADMIN
import static org.labcommons.testkit.TenantWorld.USER

/**
 * The consortium's monthly netting, on the real database: A owes B 12,000 and B owes A 5,000 (both ledgers agree) →
 * one settlement, A pays B 7,000, confirmed by both finance offices, cleared in both ledgers (the pair's balances
 * through the month are zero, each trial balance is zero); A and C disagree → the pair is flagged with the difference
 * and both sides' entries and cannot be confirmed; the clearing is idempotent and resumes after a crash between the
 * two ledgers; the API's roles, field errors and isolation.
 */
@Stepwise
class NettingSpec extends PlatformSpec {
    @Inject Ledger ledger
    @Inject LedgerClock clock
    @Inject Netting netting

    @Shared TenantWorld world
    @Shared TenantId lc, a, b, c, other
    @Shared String runId

    def setup() {
        if (world != null) {
            return
        }
        world = TenantWorld.build(ctx) {
            consortium('nt-lc') {
                person('operator', CONSORTIUM_ADMIN)
                network('nt-net') {
                    institution('nt-a', nameZh: '甲大学', nameEn: 'A University') { person('financeA', FINANCE); person('userA', USER) }
                    institution('nt-b', nameZh: '乙大学', nameEn: 'B University') { person('financeB', FINANCE) }
                    institution('nt-c', nameZh: '丙大学', nameEn: 'C University') { person('adminC', INSTITUTION_ADMIN) }
                }
            }
            consortium('nt-other') {
                institution('nt-x') { person('financeX', FINANCE) }
            }
        }
        lc = tid('nt-lc'); a = tid('nt-a'); b = tid('nt-b'); c = tid('nt-c'); other = tid('nt-x')
        try {
            at('2033-03-10T02:00:00Z')
            // A owes B 12,000 (A's payable, B's receivable) and B owes A 5,000
            owe(a, b, 12_000, 'ab-1')
            owe(b, a, 5_000, 'ba-1')
            // C says A owes it 3,000; A booked 2,500
            receivable(c, a, 3_000, 'ca-1')
            payable(a, c, 2_500, 'ac-1')
            at('2033-04-02T02:00:00Z')
            owe(a, b, 1_000, 'ab-april')   // after the month's end: not in March's netting
        } finally {
            clock.set(null)
        }
    }

    TenantId tid(String name) { new TenantId(world.tenant(name).id) }

    void at(String instant) { clock.set(Clock.fixed(Instant.parse(instant), ZoneOffset.UTC)) }

    void owe(TenantId debtor, TenantId creditor, long fen, String key) {
        payable(debtor, creditor, fen, key)
        receivable(creditor, debtor, fen, key)
    }

    void payable(TenantId debtor, TenantId creditor, long fen, String key) {
        ensure(debtor, "2202.tenant.${creditor}", 'liability')
        ensure(debtor, '1122.person.someone', 'asset')
        ledger.post(debtor, new NewTransaction("p-$key", 'interinst', null, null, null, 'spec',
                [new Line('1122.person.someone', fen), new Line("2202.tenant.${creditor}".toString(), -fen)]))
    }

    void receivable(TenantId creditor, TenantId debtor, long fen, String key) {
        ensure(creditor, "1122.tenant.${debtor}", 'asset')
        ensure(creditor, '6001.lab.nmr', 'revenue')
        ledger.post(creditor, new NewTransaction("r-$key", 'charge', null, null, null, 'spec',
                [new Line("1122.tenant.${debtor}".toString(), fen), new Line('6001.lab.nmr', -fen)]))
    }

    void ensure(TenantId t, String code, String kind) {
        ledger.ensureAccount(t, new NewAccount(code, kind, code, code, null, null))
    }

    long bal(TenantId t, String code) { ledger.trialBalance(t).getOrDefault(code, 0L) }

    Map pairOf(Map run, TenantId x, TenantId y) {
        run.pairs.find { [it.pair.tenantA, it.pair.tenantB] as Set == [x.toString(), y.toString()] as Set }
    }

    def "only the consortium admin starts a run, for a month that has ended, with a well-formed period"() {
        given:
        at('2033-04-10T02:00:00Z')

        expect:
        world.api().post('/api/v1/netting-runs', world.token('financeA'), [period: '2033-03']).status == 403
        with(world.api().post('/api/v1/netting-runs', world.token('operator'), [period: '2033-04'])) {
            status == 422
            body.errors*.field == ['period']
            body.errors[0].code == 'netting_period_not_ended'
        }
        with(world.api().post('/api/v1/netting-runs', world.token('operator'), [period: '2033-4'])) {
            status == 400
            body.errors*.field == ['period']
        }

        cleanup:
        clock.set(null)
    }

    def "a run proposes one settlement per agreed pair (A pays B 7,000) and flags the pair whose sides disagree"() {
        given:
        at('2033-04-10T02:00:00Z')

        when:
        def r = world.api().post('/api/v1/netting-runs', world.token('operator'), [period: '2033-03'])
        runId = r.body.run.id

        then:
        r.status == 201
        r.body.run.period == '2033-03'
        r.body.run.status == 'open'
        r.body.pairs.size() == 2
        def ab = pairOf(r.body, a, b)
        ab.pair.status == 'proposed'
        ab.pair.agreed
        ab.pair.payerTenantId == a.toString()
        ab.pair.netFen == 7_000
        (ab.pair.tenantA == a.toString() ? [ab.pair.aPayableFen, ab.pair.aReceivableFen] : [ab.pair.bPayableFen, ab.pair.bReceivableFen]) == [12_000, 5_000]
        def ac = pairOf(r.body, a, c)
        ac.pair.status == 'disputed'
        !ac.pair.agreed
        ac.pair.netFen == 0
        [ac.aReceivableDifferenceFen, ac.bReceivableDifferenceFen] as Set == [0L, 500L] as Set

        and: "a second run while this one is open is refused"
        world.api().post('/api/v1/netting-runs', world.token('operator'), [period: '2033-03']).status == 409

        cleanup:
        clock.set(null)
    }

    def "finance sees its own pairs; the disputed pair shows both ledgers' entries and cannot be confirmed"() {
        when:
        def runOfB = world.api().get("/api/v1/netting-runs/${runId}", world.token('financeB'))
        def ac = pairOf(world.api().get("/api/v1/netting-runs/${runId}", world.token('financeA')).body, a, c)
        def detail = world.api().get("/api/v1/netting-runs/${runId}/pairs/${ac.pair.pairKey}", world.token('financeA'))
        def confirm = world.api().post("/api/v1/netting-runs/${runId}/pairs/${ac.pair.pairKey}/confirm", world.token('financeA'), [:])

        then:
        runOfB.status == 200
        runOfB.body.pairs.size() == 1
        world.api().get('/api/v1/netting-runs', world.token('financeB')).body.items[0].pairs == 1
        world.api().get('/api/v1/netting-runs', world.token('operator')).body.items[0].pairs == 2
        detail.status == 200
        def aIsA = ac.pair.tenantA == a.toString()
        (aIsA ? detail.body.aPayable : detail.body.bPayable)*.amountFen == [-2_500]
        (aIsA ? detail.body.bReceivable : detail.body.aReceivable)*.amountFen == [3_000]
        confirm.status == 409
        confirm.body.code == 'netting_pair_disputed'
        world.api().get('/api/v1/netting-runs', world.token('userA')).status == 403
    }

    def "both finance offices confirm; both ledgers post the clearing and reconcile"() {
        given:
        def ab = pairOf(world.api().get("/api/v1/netting-runs/${runId}", world.token('financeA')).body, a, b)
        String path = "/api/v1/netting-runs/${runId}/pairs/${ab.pair.pairKey}/confirm"

        when: "A confirms"
        def first = world.api().post(path, world.token('financeA'), [:])

        then: "nothing is posted yet"
        first.status == 200
        first.body.pair.status == 'proposed'
        bal(a, '1002.bank') == 0

        when: "B confirms"
        def second = world.api().post(path, world.token('financeB'), [:])

        then: "both ledgers cleared: A paid 7,000, B received it; the pair's balances through March are zero"
        second.status == 200
        second.body.pair.status == 'settled'
        bal(a, '1002.bank') == -7_000
        bal(b, '1002.bank') == 7_000
        bal(a, "1122.tenant.${b}") == 0
        bal(b, "2202.tenant.${a}") == 0
        bal(a, "2202.tenant.${b}") == -1_000          // April's 1,000 stays for April's run
        bal(b, "1122.tenant.${a}") == 1_000
        ledger.trialBalance(a).values().sum() == 0
        ledger.trialBalance(b).values().sum() == 0

        and: "the next run of April finds only what came after"
        netting.run(new Netting.Viewer(lc, null), UUID.fromString(runId)).run().status() == 'settled'

        when: "both confirm again, and the resumption runs: nothing more is posted"
        world.api().post(path, world.token('financeA'), [:])
        world.api().post(path, world.token('financeB'), [:])
        netting.resume()

        then:
        bal(a, '1002.bank') == -7_000
        ledger.statement(a, '1002.bank', null).size() == 1
        ledger.statement(b, '1002.bank', null).size() == 1
    }

    def "a clearing interrupted between the two ledgers is finished by the resumption, once"() {
        given: "April's run: A owes B 1,000; both confirmed, but only A's ledger had posted when the process died"
        at('2033-05-03T02:00:00Z')
        def run = netting.start(lc, '2033-04', world.person('operator').userId, org.labcommons.core.audit.AuditEntry.Actor.SYSTEM)
        def ab = run.pairs().find { it.pair().status() == 'proposed' }.pair()
        String key = "netting:${run.run().id()}:${ab.pairKey()}"
        ledger.post(a, new NewTransaction(key, 'netting', 'netting_run', run.run().id().toString(), null, 'netting',
                [new Line("2202.tenant.${b}".toString(), 1_000), new Line('1002.bank', -1_000)]))
        TenantWorld.inTenant(world.tenant('nt-lc')) { java.sql.Connection con ->
            con.prepareStatement("update netting_pair set status = 'confirmed', a_confirmed_at = now(), b_confirmed_at = now() " +
                    "where run_id = ? and pair_key = ?").withCloseable { ps ->
                ps.setObject(1, run.run().id()); ps.setString(2, ab.pairKey()); ps.executeUpdate()
            }
        }

        when: "the resumption runs (NettingResume's schedule may have run it first: the outcome is the same)"
        netting.resume()

        then:
        netting.run(new Netting.Viewer(lc, null), run.run().id()).pairs().find { it.pair().pairKey() == ab.pairKey() }.pair().status() == 'settled'
        bal(a, "2202.tenant.${b}") == 0
        bal(b, "1122.tenant.${a}") == 0
        bal(a, '1002.bank') == -8_000
        bal(b, '1002.bank') == 8_000
        ledger.statement(a, '1002.bank', null).size() == 2
        ledger.trialBalance(a).values().sum() == 0
        ledger.trialBalance(b).values().sum() == 0

        cleanup:
        clock.set(null)
    }

    def "another consortium's finance office gets nothing of the runs"() {
        when:
        String pairKey = netting.run(new Netting.Viewer(lc, null), UUID.fromString(runId)).pairs()
                .find { it.pair().status() == 'settled' }.pair().pairKey()
        def probe = IsolationProbe.against(world.api().base, ['Authorization': "Bearer ${world.token('financeX')}".toString()])
                .probe('GET', '/api/v1/netting-runs/{id}')
                .probe('GET', "/api/v1/netting-runs/{id}/pairs/${pairKey}")
                .probe('POST', "/api/v1/netting-runs/{id}/pairs/${pairKey}/confirm", '{}')
                .listing('GET', '/api/v1/netting-runs')
                .run([runId], ['2033-03'], { netting.runs(new Netting.Viewer(lc, null), 0, 50) })   // the pair key is in the probed paths (and so in a 404's instance)

        then:
        probe.probesMade() > 0
        probe.leaks() == []
        !probe.dataOfOwnerChanged()
    }
}
