package org.labcommons.core.billing.payers

import org.labcommons.core.billing.charges.Charge
import org.labcommons.core.billing.ledger.Ledger
import org.labcommons.core.billing.ledger.LedgerClock
import org.labcommons.core.billing.ledger.Line
import org.labcommons.core.billing.ledger.NewAccount
import org.labcommons.core.billing.ledger.NewTransaction
import org.labcommons.core.problem.ProblemException
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.LocalDate
import java.time.ZoneId
import java.time.temporal.ChronoUnit
import java.util.concurrent.Callable
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.atomic.AtomicInteger

import static org.labcommons.testkit.TenantWorld.*

/**
 * The rules of payer accounts on bookings (through the booking API, so the refusal is the booking's 422 with the field
 * error on accountCode): membership and the PI's approval, validity, budget with holds, arrears from the ledger,
 * deposits with holds captured and released, and 100 concurrent holds on one deposit never going below zero.
 */
class PayersSpec extends PlatformSpec {
    static final String BASE = '/api/v1/payer-accounts'
    static final ZoneId SHANGHAI = ZoneId.of('Asia/Shanghai')
    static final long PRICE = 10_000   // the filed internal card: 100.00 yuan an hour, by the minute
    @Shared TenantWorld world
    @Shared UUID nmr
    @Shared UUID proton
    @Shared UUID tenant
    @Shared AtomicInteger slots = new AtomicInteger()

    def setup() {
        if (world != null) {
            return
        }
        def made = TenantWorld.build(ctx) {
            institution('pay-donghu') {
                rateGroup('internal')
                rateGroup('external')
                unit('pay-chem')
                person('pay-finance', FINANCE)
                person('pay-manager', INSTRUMENT_ADMIN, unit: 'pay-chem')
                person('pay-pi', USER)
                person('pay-student', USER)
                person('pay-customer', USER)
                instrument('NMR payers', unit: 'pay-chem', body: [services: [[nameZh: '氢谱', nameEn: '1H spectrum']]])
            }
            institution('pay-xiling') {
                rateGroup('internal')
                person('pay-visitor', USER)
            }
        }
        nmr = UUID.fromString(made.instrument('NMR payers').id as String)
        proton = UUID.fromString(made.instrument('NMR payers').services[0].id as String)
        tenant = made.tenant('pay-donghu').id
        Map hours = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].collectEntries { [(it): [[from: '00:00', to: '24:00']]] }
        def rules = api.put("/api/v1/instruments/${nmr}/booking-rules", made.token('pay-manager'),
                [weeklyHours: hours, minSlotMinutes: 30, maxSlotMinutes: 600, horizonDays: 365, minNoticeMinutes: 0,
                 bufferMinutes: 0, maxFutureBookings: 1000, approvalPolicy: 'outside_users', cancellationDeadlineHours: 1,
                 noShowThreshold: 2, noShowBlockDays: 30, qualificationRequired: false, authorisationExpiryDays: 180,
                 waitlistOfferMinutes: 120])
        assert rules.status == 200: rules.body
        TenantWorld.inTenant(tenant) { c ->
            def ps = c.prepareStatement("insert into fee_standard (id, instrument_id, rate_group_code, version, unit, " +
                    "price_fen, status, effective_from, filing_ref) values (?, ?, 'internal', 1, 'hour', ?, 'filed', ?, 'test')")
            ps.setObject(1, UUID.randomUUID()); ps.setObject(2, nmr); ps.setLong(3, PRICE)
            ps.setObject(4, LocalDate.now(SHANGHAI).minusDays(400))
            ps.executeUpdate()
            def sample = c.prepareStatement("insert into fee_standard (id, instrument_id, service_id, rate_group_code, version, " +
                    "unit, price_fen, status, effective_from, filing_ref) values (?, ?, ?, 'internal', 1, 'sample', 5000, 'filed', ?, 'test')")
            sample.setObject(1, UUID.randomUUID()); sample.setObject(2, nmr); sample.setObject(3, proton)
            sample.setObject(4, LocalDate.now(SHANGHAI).minusDays(400))
            sample.executeUpdate()
        }
        world = made
    }

    def cleanup() {
        ctx.getBean(LedgerClock).set(null)
    }

    TenantId tid() { new TenantId(tenant) }

    /** A new account (finance, through the API); answers its body. */
    Map account(Map terms = [:]) {
        def r = api.post(BASE, world.token('pay-finance'), [kind: 'project', code: "P-${UUID.randomUUID().toString().substring(0, 8)}".toString(),
                nameZh: '课题', nameEn: 'Project', settlement: 'monthly', piUserId: world.person('pay-pi').userId.toString()] + terms)
        assert r.status == 201: r.body
        r.body
    }

    /** A member who asked and was approved by the PI. */
    void approvedMember(Map a, String who, String category = 'student') {
        assert api.post("${BASE}/join", world.token(who), [code: a.code, category: category]).status == 201
        String approver = a.piUserId ? 'pay-pi' : 'pay-finance'
        def ok = api.post("${BASE}/${a.id}/members/${world.person(who).userId}/approve", world.token(approver), [:])
        assert ok.status == 200: ok.body
    }

    /** Books an hour (a fresh slot each time) charged to {@code code}. */
    Map book(String who, String code, int minutes = 60) {
        Instant start = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(slots.incrementAndGet() * 11))
        api.post("/api/v1/instruments/${nmr}/bookings", world.token(who),
                [start: start.toString(), end: start.plus(Duration.ofMinutes(minutes)).toString(), accountCode: code])
    }

    static List<String> refusals(Map r) {
        r.body.errors.findAll { it.field == 'accountCode' }*.code
    }

    def "a member charges an account only after the PI approved them; the PI charges it at once; revoked is refused"() {
        given:
        def a = account()

        when:
        def stranger = book('pay-student', a.code)
        def join = api.post("${BASE}/join", world.token('pay-student'), [code: a.code, category: 'student'])
        def waiting = book('pay-student', a.code)
        def byFinance = api.post("${BASE}/${a.id}/members/${world.person('pay-student').userId}/approve", world.token('pay-finance'), [:])
        def approve = api.post("${BASE}/${a.id}/members/${world.person('pay-student').userId}/approve", world.token('pay-pi'), [note: 'ok'])
        def booked = book('pay-student', a.code)
        def pi = book('pay-pi', a.code)
        def revoke = api.post("${BASE}/${a.id}/members/${world.person('pay-student').userId}/revoke", world.token('pay-pi'), [:])
        def revoked = book('pay-student', a.code)
        def unknown = api.send('POST', "/api/v1/instruments/${nmr}/bookings", world.token('pay-student'),
                [start: Instant.now().plus(Duration.ofDays(300)).toString(), end: Instant.now().plus(Duration.ofDays(300)).plus(Duration.ofHours(1)).toString(),
                 accountCode: 'NO-SUCH-CODE'], ['Accept-Language': 'en'])

        then:
        stranger.status == 422
        stranger.body.code == 'booking_not_allowed'
        refusals(stranger) == ['account_not_member']
        join.status == 201
        join.body.state == 'requested'
        waiting.status == 422
        refusals(waiting) == ['account_not_approved']
        byFinance.status == 403
        approve.status == 200
        approve.body.state == 'approved'
        booked.status == 201
        booked.body.accountCode == a.code
        pi.status == 201
        revoke.status == 200
        refusals(revoked) == ['account_not_member']
        unknown.status == 422
        unknown.body.errors.find { it.field == 'accountCode' }.message == 'there is no payer account with the code NO-SUCH-CODE'
    }

    def "a closed account, or one not valid on the booked day, refuses: account_expired"() {
        given:
        def ended = account(validTo: LocalDate.now(SHANGHAI).minusDays(1).toString())
        def closed = account(status: 'closed')
        def later = account(validFrom: LocalDate.now(SHANGHAI).plusDays(200).toString())

        expect:
        refusals(book('pay-pi', ended.code)) == ['account_expired']
        refusals(book('pay-pi', closed.code)) == ['account_expired']
        refusals(book('pay-pi', later.code)) == ['account_expired']
    }

    def "posted charges plus holds stay within the budget; a cancelled booking's hold is released"() {
        given: "150.00 yuan of budget, 100.00 an hour"
        def a = account(budgetFen: 15_000)
        approvedMember(a, 'pay-student')

        when:
        def first = book('pay-student', a.code)
        def second = book('pay-student', a.code)
        def half = book('pay-student', a.code, 30)
        def summary = api.get("${BASE}/${a.id}", world.token('pay-pi'))

        then:
        first.status == 201
        second.status == 422
        refusals(second) == ['account_over_budget']
        half.status == 201
        summary.body.heldFen == 15_000
        summary.body.budgetLeftFen == 0

        when: "the first is cancelled, its hold goes back to the budget"
        def cancel = api.post("/api/v1/bookings/${first.body.id}/cancel", world.token('pay-student'), [reason: 'plans changed'])
        def again = book('pay-student', a.code)

        then:
        cancel.status == 200
        again.status == 201
        api.get("${BASE}/${a.id}", world.token('pay-pi')).body.heldFen == 15_000

        when: "a posted charge counts against the budget"
        post(a.id, 'charge', 1_000, Instant.now())
        def over = book('pay-student', a.code, 30)

        then:
        refusals(over) == ['account_over_budget']
    }

    /** Posts a charge (or, negative, a payment) on the payer's receivable at {@code at}. */
    void post(String payerId, String sourceType, long fen, Instant at) {
        def ledger = ctx.getBean(Ledger)
        ctx.getBean(LedgerClock).set(Clock.fixed(at, ZoneId.of('UTC')))
        try {
            ledger.ensureAccount(tid(), new NewAccount('6001.lab.test', 'revenue', '实验室', 'Lab', null, null))
            ledger.ensureAccount(tid(), new NewAccount('1002.bank', 'asset', '银行存款', 'Bank', null, null))
            String other = sourceType == 'charge' ? '6001.lab.test' : '1002.bank'
            ledger.post(tid(), new NewTransaction("t:${UUID.randomUUID()}", sourceType, sourceType, UUID.randomUUID().toString(),
                    null, 'spec', [new Line("1122.payer.${payerId}".toString(), fen), new Line(other, -fen)]))
        } finally {
            ctx.getBean(LedgerClock).set(null)
        }
    }

    def "an account owing longer than the policy refuses new bookings with the notice, until paid"() {
        given:
        def a = account()
        post(a.id, 'charge', 12_345, Instant.now().minus(Duration.ofDays(100)))
        post(a.id, 'charge', 50_000, Instant.now().minus(Duration.ofDays(10)))
        post(a.id, 'payment', -10_000, Instant.now().minus(Duration.ofDays(5)))

        when:
        def refused = api.send('POST', "/api/v1/instruments/${nmr}/bookings", world.token('pay-pi'),
                [start: Instant.now().plus(Duration.ofDays(301)).toString(), end: Instant.now().plus(Duration.ofDays(301)).plus(Duration.ofHours(1)).toString(),
                 accountCode: a.code], ['Accept-Language': 'en'])
        def mine = api.get("${BASE}/mine", world.token("pay-pi")).body.items.find { it.summary.account.id == a.id }

        then: "2,345 fen of the old charge are still unpaid after the later payment"
        refusals(refused) == ['account_in_arrears']
        refused.body.errors[0].message.contains('23.45')
        refused.body.errors[0].message.contains('90 days')
        mine.role == 'pi'
        mine.summary.inArrears
        mine.summary.overdueFen == 2_345

        when:
        post(a.id, 'payment', -2_345, Instant.now())

        then:
        book('pay-pi', a.code).status == 201
    }

    def "a prepaid deposit: top-ups idempotent per key, a hold per booking, released on cancel, captured when the charge posts"() {
        given:
        def a = account(kind: 'customer', settlement: 'prepaid', piUserId: null, organisation: '杭州某某科技有限公司',
                taxId: '91350100M000100Y43')
        approvedMember(a, 'pay-customer', 'external')

        when:
        def none = book('pay-customer', a.code)
        def top = api.post("${BASE}/${a.id}/deposits", world.token('pay-finance'), [amountFen: 25_000, key: 'slip-1'])
        def again = api.post("${BASE}/${a.id}/deposits", world.token('pay-finance'), [amountFen: 25_000, key: 'slip-1'])
        def first = book('pay-customer', a.code)
        def second = book('pay-customer', a.code)
        def third = book('pay-customer', a.code)
        def deposit = api.get("${BASE}/${a.id}/deposit", world.token('pay-finance'))

        then:
        refusals(none) == ['deposit_insufficient']
        top.status == 201
        again.status == 201
        again.body.replayed
        !top.body.replayed
        again.body.transactionId == top.body.transactionId
        [first, second]*.status == [201, 201]
        refusals(third) == ['deposit_insufficient']
        deposit.body.summary.depositFen == 25_000
        deposit.body.summary.heldFen == 20_000
        deposit.body.summary.availableFen == 5_000
        deposit.body.holds*.state == ['held', 'held']
        deposit.body.entries*.amountFen == [-25_000]

        when: "cancelling releases; the charge of the other captures"
        api.post("/api/v1/bookings/${first.body.id}/cancel", world.token('pay-customer'), [reason: 'x'])
        def line = ctx.getBean(TenantTransactions).inTenant(tid()) { c ->
            ctx.getBean(PayerCharges).payerFor(c, charge(second.body.id as String, 'booking', a.code, world.person('pay-customer').userId, tid()))
        }.orElseThrow()
        def after = api.get("${BASE}/${a.id}/deposit", world.token('pay-finance')).body

        then:
        line.payerKind() == 'deposit'
        line.ledgerCode() == "2203.deposit.${a.id}".toString()
        !line.internal()
        line.userCategory() == 'external'
        line.taxId() == '91350100M000100Y43'
        after.holds*.state as Set == ['released', 'captured'] as Set
        after.summary.heldFen == 0
        after.summary.availableFen == 25_000
    }

    def "a sample request holds samples x the card's price on a deposit, refused beyond it, released when withdrawn"() {
        given: "120.00 yuan of deposit, 50.00 a sample"
        def a = account(kind: 'customer', settlement: 'prepaid', piUserId: null, organisation: 'Samples Ltd')
        approvedMember(a, 'pay-customer', 'external')
        assert api.post("${BASE}/${a.id}/deposits", world.token('pay-finance'), [amountFen: 12_000, key: 's-1']).status == 201
        def request = { int n -> api.post("/api/v1/instruments/${nmr}/sample-requests", world.token('pay-customer'),
                [serviceId: proton.toString(), sampleCount: n, items: ['1H'], sampleInfo: 'CDCl3', hazards: ['none'], accountCode: a.code]) }

        when:
        def three = request(3)
        def two = request(2)
        def held = api.get("${BASE}/${a.id}", world.token('pay-finance')).body.heldFen
        def withdrawn = api.post("/api/v1/sample-requests/${two.body.id}/withdraw", world.token('pay-customer'), [:])

        then:
        three.status == 400
        refusals(three) == ['deposit_insufficient']
        two.status == 201
        held == 10_000
        withdrawn.status == 200
        api.get("${BASE}/${a.id}", world.token('pay-finance')).body.heldFen == 0
    }

    static Charge charge(String sourceId, String sourceType, String code, UUID user, TenantId home) {
        new Charge(UUID.randomUUID(), home, sourceType, UUID.fromString(sourceId), 'usage', UUID.randomUUID(), null, null, user,
                home, code, 'internal', null, 1, Instant.now(), null, 1.0G, 'hour', 10_000, 'approved', Instant.now(), 1)
    }

    def "the payer of a charge: the approved member's account, the home institution of an outside user, none without a usable account"() {
        given:
        def a = account()
        approvedMember(a, 'pay-student', 'young_teacher')
        def tx = ctx.getBean(TenantTransactions)
        def payers = ctx.getBean(PayerCharges)
        UUID student = world.person('pay-student').userId
        UUID outsider = world.person('pay-visitor').userId
        TenantId xiling = new TenantId(world.tenant('pay-xiling').id)

        when:
        def member = tx.inTenant(tid()) { c -> payers.payerFor(c, charge(UUID.randomUUID().toString(), 'booking', a.code, student, tid())) }
        def noCode = tx.inTenant(tid()) { c -> payers.payerFor(c, charge(UUID.randomUUID().toString(), 'booking', null, student, tid())) }
        def notMember = tx.inTenant(tid()) { c -> payers.payerFor(c, charge(UUID.randomUUID().toString(), 'booking', a.code, world.person('pay-customer').userId, tid())) }
        def outside = tx.inTenant(tid()) { c ->
            Charge ch = charge(UUID.randomUUID().toString(), 'booking', a.code, outsider, tid())
            payers.payerFor(c, new Charge(ch.id(), tid(), ch.sourceType(), ch.sourceId(), ch.kind(), ch.instrumentId(), null, null,
                    outsider, xiling, null, 'consortium', null, 1, ch.serviceStart(), null, 1.0G, 'hour', 100, 'approved', ch.createdAt(), 1))
        }

        then:
        member.get().payerKind() == 'project'
        member.get().ledgerCode() == "1122.payer.${a.id}".toString()
        member.get().internal()
        member.get().userCategory() == 'young_teacher'
        member.get().taxId() == null
        noCode.isEmpty()
        notMember.isEmpty()
        outside.get().payerKind() == 'tenant'
        outside.get().ledgerCode() == "1122.tenant.${xiling.value()}".toString()
        ctx.getBean(Ledger).balance(tid(), outside.get().ledgerCode()) == 0
    }

    def "100 concurrent bookings on one deposit: exactly floor(deposit / price) hold, and the holds never exceed the deposit"() {
        given:
        def a = account(kind: 'customer', settlement: 'prepaid', piUserId: null, organisation: 'Concurrency Ltd')
        approvedMember(a, 'pay-customer', 'external')
        long deposit = 345_678
        assert api.post("${BASE}/${a.id}/deposits", world.token('pay-finance'), [amountFen: deposit, key: 'c-1']).status == 201
        def admission = ctx.getBean(PayerAdmission)
        def tx = ctx.getBean(TenantTransactions)
        UUID user = world.person('pay-customer').userId
        Instant start = Instant.now().plus(Duration.ofDays(3))
        def pool = Executors.newFixedThreadPool(100)
        def go = new CountDownLatch(1)
        def ready = new CountDownLatch(100)

        when:
        List<Callable<Boolean>> tasks = (1..100).collect { n ->
            ({ ->
                ready.countDown()
                go.await()
                tx.inTenantRetrying(tid()) { c ->
                    List<ProblemException.FieldProblem> problems = []
                    admission.admit(c, tid(), user, tid(), nmr, null, a.code as String, 'internal', start,
                            start.plus(Duration.ofHours(1)), UUID.randomUUID(), problems)
                    problems.isEmpty()
                }
            } as Callable<Boolean>)
        }
        def starter = Thread.start { ready.await(); go.countDown() }   // all 100 wait at the latch, then race
        List<Boolean> results = pool.invokeAll(tasks)*.get()
        starter.join()
        pool.shutdown()
        def summary = api.get("${BASE}/${a.id}", world.token('pay-finance')).body

        then:
        results.count { it } == (int) (deposit / PRICE)
        summary.heldFen == 34 * PRICE
        summary.heldFen <= deposit
        summary.availableFen == deposit - 34 * PRICE
    }

    def "a hold no charge captured is released once its booking is over by the expiry; a coming booking keeps its hold"() {
        given: 'a prepaid account, a booking held on it, and one held for a booking that ended 20 days ago'
        def a = account(kind: 'customer', settlement: 'prepaid', piUserId: null, organisation: 'Sweep Ltd')
        approvedMember(a, 'pay-customer', 'external')
        assert api.post("${BASE}/${a.id}/deposits", world.token('pay-finance'), [amountFen: 50_000, key: 'sweep-1']).status == 201
        UUID user = world.person('pay-customer').userId
        def coming = book('pay-customer', a.code)
        def past = new org.labcommons.core.billing.charges.ChargeFixture(ctx, tenant)
                .booking([accountCode: a.code, endedAgo: Duration.ofDays(20), length: Duration.ofHours(1)], nmr.toString(), user)
        List<ProblemException.FieldProblem> problems = []
        ctx.getBean(TenantTransactions).inTenant(tid()) { c ->
            ctx.getBean(PayerAdmission).admit(c, tid(), user, tid(), nmr, null, a.code as String, 'internal',
                    past.start as Instant, past.end as Instant, past.id as UUID, problems)
        }
        def before = api.get("${BASE}/${a.id}/deposit", world.token('pay-finance')).body

        when:
        int released = ctx.getBean(HoldSweep).release(tid())
        int again = ctx.getBean(HoldSweep).release(tid())
        def after = api.get("${BASE}/${a.id}/deposit", world.token('pay-finance')).body

        then:
        coming.status == 201
        problems.isEmpty()
        before.summary.heldFen == 20_000
        released == 1
        again == 0
        after.summary.heldFen == 10_000
        after.summary.availableFen == 40_000
        after.holds.find { it.sourceId == past.id.toString() }.state == 'released'
        after.holds.find { it.sourceId == coming.body.id }.state == 'held'
    }

}
