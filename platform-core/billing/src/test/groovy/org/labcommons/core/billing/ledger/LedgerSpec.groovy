package org.labcommons.core.billing.ledger

import jakarta.inject.Inject
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld

import java.time.Clock
import java.time.Instant
import java.time.YearMonth
import java.time.ZoneId
import java.time.ZoneOffset
import java.util.concurrent.Callable
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors

/**
 * The ledger's service: accounts, postings (idempotent, also when 20 threads post one key), reversals, period closes
 * in order, balances, the trial balance and statements, and the refusals of unsound postings.
 */
class LedgerSpec extends PlatformSpec {
    @Inject Ledger ledger
    @Inject LedgerClock clock
    @Inject TenantTransactions tenants

    TenantId tenant

    def setup() {
        def world = TenantWorld.build(ctx) { institution("ledger-${UUID.randomUUID().toString().take(8)}") }
        tenant = new TenantId(world.tenants.values().first().id as UUID)
        [['1122.project.p1', 'asset'], ['1122.project.p2', 'asset'], ['6001.lab.l1', 'revenue'], ['2241.voucher', 'liability']].each {
            ledger.ensureAccount(tenant, new NewAccount(it[0], it[1], "科目 ${it[0]}", "Account ${it[0]}", null, null))
        }
    }

    def cleanup() {
        clock.set(null)
    }

    void at(String instant) {
        clock.set(Clock.fixed(Instant.parse(instant), ZoneOffset.UTC))
    }

    static NewTransaction charge(String key, long fen, String receivable = '1122.project.p1') {
        new NewTransaction(key, 'charge', 'charge', key, 'NMR 2 h', 'spec', [new Line(receivable, fen), new Line('6001.lab.l1', -fen)])
    }

    def "an account is added once by its code; the same code with another kind is refused"() {
        when:
        def first = ledger.ensureAccount(tenant, new NewAccount('6601.subsidy.open-testing', 'expense', '开放测试基金补贴', 'Open-testing subsidy', null, null))
        def again = ledger.ensureAccount(tenant, new NewAccount('6601.subsidy.open-testing', 'expense', '另一个名字', 'Another name', null, null))

        then:
        again.id() == first.id()
        again.nameEn() == 'Open-testing subsidy'

        when:
        ledger.ensureAccount(tenant, new NewAccount('6601.subsidy.open-testing', 'revenue', 'x', 'x', null, null))

        then:
        def e = thrown(LedgerException)
        e.code() == LedgerException.ACCOUNT_CONFLICT

        when:
        new NewAccount('Project 1', 'asset', 'x', 'x', null, null)

        then:
        thrown(LedgerException)
    }

    def "a posting goes into the month of now in the tenant's zone, and its balances follow"() {
        given: 'late on 31 January UTC, already 1 February in Shanghai'
        at('2031-01-31T17:30:00Z')

        when:
        def posted = ledger.post(tenant, charge('c-1', 12_345))

        then:
        !posted.replayed()
        posted.period() == YearMonth.of(2031, 2)
        ledger.balance(tenant, '1122.project.p1') == 12_345
        ledger.balance(tenant, '6001.lab.l1') == -12_345
        ledger.balance(tenant, '2241.voucher') == 0
        ledger.trialBalance(tenant).values().sum() == 0
        ledger.trialBalance(tenant)['1122.project.p1'] == 12_345
        ledger.lines(tenant, posted.transactionId()) == [new Line('1122.project.p1', 12_345), new Line('6001.lab.l1', -12_345)]
    }

    def "a repeated key returns the first transaction and adds nothing"() {
        given:
        def first = ledger.post(tenant, charge('c-2', 500))

        when:
        def again = ledger.post(tenant, charge('c-2', 99_999, '1122.project.p2'))

        then:
        again.replayed()
        again.transactionId() == first.transactionId()
        again.period() == first.period()
        ledger.balance(tenant, '1122.project.p1') == 500
        ledger.balance(tenant, '1122.project.p2') == 0
    }

    def "twenty threads posting the same key make one transaction"() {
        given:
        def pool = Executors.newFixedThreadPool(20)
        def start = new CountDownLatch(1)

        when:
        def futures = (1..20).collect { n ->
            pool.submit({ start.await(); ledger.post(tenant, charge('same-key', 700)) } as Callable<Posted>)
        }
        start.countDown()
        List<Posted> results = futures*.get()

        then:
        results*.transactionId().toSet().size() == 1
        results.count { !it.replayed() } == 1
        ledger.balance(tenant, '1122.project.p1') == 700
        ledger.statement(tenant, '1122.project.p1', null).size() == 1

        cleanup:
        pool.shutdownNow()
    }

    def "unbalanced, one-line, zero and unknown-account postings are refused and leave nothing"() {
        when:
        ledger.post(tenant, new NewTransaction('u-1', 'charge', null, null, null, 'spec',
                [new Line('1122.project.p1', 100), new Line('6001.lab.l1', -99)]))
        then:
        def unbalanced = thrown(LedgerException)
        unbalanced.code() == LedgerException.UNBALANCED
        unbalanced.args() == [1L] as Object[]

        when:
        ledger.post(tenant, new NewTransaction('u-2', 'charge', null, null, null, 'spec', [new Line('1122.project.p1', 0)]))
        then:
        LedgerException refused1 = thrown()
        refused1.code() == LedgerException.TOO_FEW_LINES

        when:
        ledger.post(tenant, new NewTransaction('u-3', 'charge', null, null, null, 'spec', []))
        then:
        LedgerException refused2 = thrown()
        refused2.code() == LedgerException.TOO_FEW_LINES

        when:
        ledger.post(tenant, new NewTransaction('u-4', 'charge', null, null, null, 'spec',
                [new Line('1122.project.p1', 0), new Line('6001.lab.l1', 0)]))
        then:
        LedgerException refused3 = thrown()
        refused3.code() == LedgerException.INVALID

        when:
        ledger.post(tenant, new NewTransaction('u-5', 'charge', null, null, null, 'spec',
                [new Line('1122.project.p1', 100), new Line('9999.nowhere', -100)]))
        then:
        def unknown = thrown(LedgerException)
        unknown.code() == LedgerException.UNKNOWN_ACCOUNT
        unknown.args() == ['9999.nowhere'] as Object[]

        when: 'the unknown account made nothing: the key is free'
        def later = ledger.post(tenant, charge('u-5', 100))
        then:
        !later.replayed()
        ledger.trialBalance(tenant).values().sum() == 0
        ledger.balance(tenant, '1122.project.p1') == 100

        when:
        ledger.post(tenant, new NewTransaction('u-6', 'charge', null, null, null, 'spec',
                [new Line('1122.project.p1', Long.MAX_VALUE), new Line('1122.project.p2', 1), new Line('6001.lab.l1', Long.MIN_VALUE)]))
        then: 'the sum overflows: refused, not wrapped round'
        LedgerException refused4 = thrown()
        refused4.code() == LedgerException.INVALID
    }

    def "a reversal mirrors the entries once, in the current open period; a reversal is not reversed"() {
        given:
        at('2031-03-10T02:00:00Z')
        def original = ledger.post(tenant, new NewTransaction('r-1', 'charge', null, null, null, 'spec',
                [new Line('1122.project.p1', 300), new Line('2241.voucher', 200), new Line('6001.lab.l1', -500)]))
        at('2031-04-02T02:00:00Z')
        ledger.closePeriod(tenant, YearMonth.of(2031, 3), 'finance')

        when:
        def reversal = ledger.reverse(tenant, original.transactionId(), 'rev-1', 'wrong instrument', 'finance')
        def replay = ledger.reverse(tenant, original.transactionId(), 'rev-1', 'wrong instrument', 'finance')

        then:
        reversal.period() == YearMonth.of(2031, 4)
        replay.replayed() && replay.transactionId() == reversal.transactionId()
        ledger.lines(tenant, reversal.transactionId()) == [new Line('1122.project.p1', -300), new Line('2241.voucher', -200), new Line('6001.lab.l1', 500)]
        ledger.trialBalance(tenant).values().every { it == 0 }
        ledger.statement(tenant, '6001.lab.l1', YearMonth.of(2031, 3))*.amountFen() == [-500L]
        ledger.statement(tenant, '6001.lab.l1', YearMonth.of(2031, 4))*.reverses() == [original.transactionId()]

        when:
        ledger.reverse(tenant, original.transactionId(), 'rev-2', 'again', 'finance')
        then:
        LedgerException refused5 = thrown()
        refused5.code() == LedgerException.ALREADY_REVERSED

        when:
        ledger.reverse(tenant, reversal.transactionId(), 'rev-3', 'undo', 'finance')
        then:
        LedgerException refused6 = thrown()
        refused6.code() == LedgerException.REVERSAL_OF_REVERSAL

        when:
        ledger.reverse(tenant, UUID.randomUUID(), 'rev-4', 'nothing', 'finance')
        then:
        LedgerException refused7 = thrown()
        refused7.code() == LedgerException.NOT_FOUND
    }

    def "periods close in order, never reopen, and later postings go into the next open period"() {
        given:
        at('2031-05-20T02:00:00Z')
        ledger.post(tenant, charge('p-5', 100))
        at('2031-06-20T02:00:00Z')
        ledger.post(tenant, charge('p-6', 200))

        when: 'June before May'
        ledger.closePeriod(tenant, YearMonth.of(2031, 6), 'finance')
        then:
        LedgerException refused8 = thrown()
        refused8.code() == LedgerException.EARLIER_PERIOD_OPEN

        when: 'a month not yet begun'
        ledger.closePeriod(tenant, YearMonth.of(2031, 7), 'finance')
        then:
        LedgerException refused9 = thrown()
        refused9.code() == LedgerException.PERIOD_NOT_STARTED

        when: 'May, then June (the current month)'
        ledger.closePeriod(tenant, YearMonth.of(2031, 5), 'finance')
        ledger.closePeriod(tenant, YearMonth.of(2031, 6), 'finance')
        def next = ledger.post(tenant, charge('p-6b', 50))

        then:
        next.period() == YearMonth.of(2031, 7)
        ledger.periods(tenant).collect { [it.period(), it.status()] } == [['2031-05', 'closed'], ['2031-06', 'closed'], ['2031-07', 'open']]
        ledger.statement(tenant, '1122.project.p1', YearMonth.of(2031, 6))*.amountFen() == [200L]

        when: 'closed twice'
        ledger.closePeriod(tenant, YearMonth.of(2031, 5), 'finance')
        then:
        LedgerException refused10 = thrown()
        refused10.code() == LedgerException.PERIOD_CLOSED

        when: 'the clock goes back into a closed month: the posting still goes into the open one'
        at('2031-05-25T02:00:00Z')
        def back = ledger.post(tenant, charge('p-back', 10))
        then:
        back.period() == YearMonth.of(2031, 7)
    }

    def "a posting with a business date goes into its month while that month is open, else into the open period"() {
        given: 'early December in Shanghai; November has not been closed'
        at('2031-12-03T02:00:00Z')

        when: 'a charge for 28 November reviewed on 3 December, one for 31 October late in the evening (already 1 November in Shanghai), one dated in the future'
        def november = ledger.post(tenant, charge('acc-11', 300), Instant.parse('2031-11-28T10:00:00Z'))
        def shanghaiNovember = ledger.post(tenant, charge('acc-10', 20), Instant.parse('2031-10-31T17:00:00Z'))
        def future = ledger.post(tenant, charge('acc-future', 5), Instant.parse('2032-01-05T02:00:00Z'))
        def undated = ledger.post(tenant, charge('acc-none', 7), null)

        then:
        november.period() == YearMonth.of(2031, 11)
        shanghaiNovember.period() == YearMonth.of(2031, 11)
        future.period() == YearMonth.of(2031, 12)
        undated.period() == YearMonth.of(2031, 12)

        when: 'November closed (October has no row: it is closed by adding it), another November charge arrives'
        ledger.closePeriod(tenant, YearMonth.of(2031, 11), 'finance')
        def late = ledger.post(tenant, charge('acc-late', 40), Instant.parse('2031-11-29T10:00:00Z'))

        then: 'it goes into the open period; November keeps what it had when it was closed'
        late.period() == YearMonth.of(2031, 12)
        ledger.statement(tenant, '1122.project.p1', YearMonth.of(2031, 11))*.amountFen().sort() == [20L, 300L]
        ledger.trialBalance(tenant).values().sum() == 0
    }

    def "a statement pages an account's entries in posting order, per period"() {
        given:
        (1..7).each {
            at("2031-08-01T02:00:0${it}Z")
            ledger.post(tenant, charge("s-$it", it * 100L))
        }

        expect:
        ledger.statement(tenant, '1122.project.p1', YearMonth.of(2031, 8), 1, 3).with {
            total() == 7 && items()*.amountFen() == [400L, 500L, 600L] && items().every { it.period() == '2031-08' && it.kind() == 'charge' }
        }
        ledger.statement(tenant, '1122.project.p1', YearMonth.of(2031, 9), 0, 3).total() == 0

        when:
        ledger.statement(tenant, '1122.project.nobody', null)
        then:
        LedgerException refused11 = thrown()
        refused11.code() == LedgerException.NOT_FOUND
    }

    def "several postings may share one database transaction"() {
        when:
        tenants.inTenant(tenant) { c ->
            (1..5).each { ledger.post(tenant, charge("b-$it", 10)) }
            null
        }

        then:
        ledger.balance(tenant, '1122.project.p1') == 50
        ledger.post(tenant, charge('b-3', 10)).replayed()
    }
}
