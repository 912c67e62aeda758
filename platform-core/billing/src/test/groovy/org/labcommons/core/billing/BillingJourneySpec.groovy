package org.labcommons.core.billing

import org.labcommons.core.audit.AuditEntry
import org.labcommons.core.billing.charges.ChargeFixture
import org.labcommons.core.billing.ledger.Ledger
import org.labcommons.core.billing.subsidies.TaxIds
import org.labcommons.core.billing.subsidies.Voucher
import org.labcommons.core.billing.subsidies.Vouchers
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.usage.UsageTopics
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import java.time.Duration
import java.time.Instant
import java.time.LocalDate
import java.time.ZoneId

import static org.labcommons.testkit.TenantWorld.*

/**
 * The money parts together, as a charge goes through them: a measured session becomes a charge (charges), staff
 * approve it, the payers' part names who pays (a project account its PI let the student charge; an external
 * customer's prepaid deposit), the open-testing fund pays its share of an internal student's charge and an
 * enterprise's innovation voucher part of an external one (subsidies, the voucher claimed at the bureau in the same
 * database transaction), and the ledgers of the institution and the bureau take balanced postings.
 */
class BillingJourneySpec extends PlatformSpec {
    static final ZoneId SHANGHAI = ZoneId.of('Asia/Shanghai')
    @Shared TenantWorld world
    @Shared ChargeFixture fx
    @Shared TenantId donghu
    @Shared TenantId bureau
    @Shared String nmr
    @Shared UUID lab

    def setup() {
        if (world != null) {
            return
        }
        world = TenantWorld.build(ctx) {
            consortium('bj-bureau') {
                person('bj-bureau-admin', CONSORTIUM_ADMIN)
                network('bj-network') {
                    institution('bj-donghu') {
                        rateGroup('internal')
                        unit('bj-lab')
                        person('bj-manager', INSTRUMENT_ADMIN, unit: 'bj-lab')
                        person('bj-finance', FINANCE)
                        person('bj-pi', USER)
                        person('bj-student', USER)
                        person('bj-engineer', USER)
                        instrument('Journey NMR', unit: 'bj-lab')
                    }
                }
            }
        }
        donghu = new TenantId(world.tenant('bj-donghu').id)
        bureau = new TenantId(world.tenant('bj-bureau').id)
        fx = new ChargeFixture(ctx, donghu.value())
        nmr = world.instrument('Journey NMR').id
        lab = UUID.fromString(world.instrument('Journey NMR').orgUnitId as String)
        fx.card(nmr)   // 120.00 yuan an hour, billed in 15 minutes
    }

    String token(String who) { world.token(who) }

    UUID user(String who) { world.person(who).userId as UUID }

    long balance(TenantId tenant, String code) {
        ctx.getBean(Ledger).trialBalance(tenant).getOrDefault(code, 0L)
    }

    /** A charge of {@code minutes} measured in {@code who}'s booking (ended {@code endedAgo} ago) charged to {@code accountCode}, approved by staff. */
    Map approvedCharge(String who, String accountCode, int minutes, Duration endedAgo) {
        def booking = fx.booking([accountCode: accountCode, endedAgo: endedAgo], nmr, user(who))
        UUID session = UUID.randomUUID()
        Instant start = booking.start as Instant
        fx.deliver(UsageTopics.USAGE_SESSION, fx.envelope('usage.session.closed', 'usage_session', session.toString(), 1,
                fx.sessionPayload(session, nmr, start, start.plus(Duration.ofMinutes(minutes)),
                        [userId: user(who).toString(), bookingId: booking.id.toString(), link: 'booked'])))
        String id = fx.charges(session)[0].id.toString()
        def approved = api.post("/api/v1/charges/${id}/approve", token('bj-manager'), null)
        assert approved.status == 200
        api.get("/api/v1/charges/${id}", token('bj-manager')).body as Map
    }

    def "a student's charge to a project account: the fund pays its share, the project the rest, the lab earns it all"() {
        given: 'a project account led by the PI, the student a member the PI approved'
        def project = api.post('/api/v1/payer-accounts', token('bj-finance'), [kind: 'project', code: 'NSFC-BJ-01',
                nameZh: '国家自然科学基金面上项目', nameEn: 'NSFC general project', grantCode: '22079001',
                financeCode: 'KY-2026-0901', settlement: 'monthly', piUserId: user('bj-pi').toString()])
        def joined = api.post('/api/v1/payer-accounts/join', token('bj-student'), [code: 'NSFC-BJ-01', category: 'student'])
        def approvedMember = api.post("/api/v1/payer-accounts/${project.body.id}/members/${user('bj-student')}/approve",
                token('bj-pi'), [note: 'my student'])

        and: 'an open-testing fund paying 30 % of students\' fees this month'
        LocalDate today = LocalDate.now(SHANGHAI)
        def fund = api.post('/api/v1/subsidies/funds', token('bj-finance'), [nameZh: '开放测试基金', nameEn: 'Open-testing fund',
                startsOn: today.minusDays(40).toString(), endsOn: today.plusDays(40).toString(), budgetFen: 1_000_000,
                defaultShareBp: 0, sharesBp: [student: 3000]])

        when: 'the student uses the NMR for an hour and staff approve the charge'
        def charge = approvedCharge('bj-student', 'NSFC-BJ-01', 60, Duration.ofHours(2))

        then:
        project.status == 201
        joined.status == 201
        approvedMember.status == 200
        fund.status == 201
        charge.amountFen == 12_000
        charge.payerKind == 'project'
        charge.payerLedgerCode == "1122.payer.${project.body.id}".toString()
        charge.shares*.kind == ['subsidy']
        charge.shares*.amountFen == [3_600]

        and: 'the fund, the project and the lab in the ledger, balanced'
        balance(donghu, '6601.subsidy.open-testing') == 3_600
        balance(donghu, "1122.payer.${project.body.id}") == 8_400
        balance(donghu, "6001.lab.${lab}") == -12_000
        ctx.getBean(Ledger).trialBalance(donghu).values().sum() == 0
    }

    def "an enterprise's charge to its prepaid deposit: its innovation voucher pays up to the per-claim cap, the deposit the rest"() {
        given: 'the bureau registers the enterprise and issues it a voucher of 50,000 yuan, 200 yuan a claim'
        String body = '91330106' + 'MA2B3C4D5'
        String taxId = body + TaxIds.check(body)
        def vouchers = ctx.getBean(Vouchers)
        def actor = new AuditEntry.Actor(null, 'journey-spec', null)
        UUID admin = user('bj-bureau-admin')
        def enterprise = vouchers.register(bureau, actor, admin, new Voucher.EnterpriseInput('杭州某检测科技有限公司', taxId, null))
        def batch = vouchers.createBatch(bureau, actor, admin, new Voucher.BatchInput('2026年第一批', 20_000, 10_000_000))
        def voucher = vouchers.issue(bureau, actor, admin, new Voucher.IssueInput(batch.id(), enterprise.id(), 5_000_000,
                LocalDate.now(SHANGHAI).minusDays(30), LocalDate.now(SHANGHAI).plusYears(1)))

        and: 'its prepaid customer account at Donghu with 500 yuan deposited, the engineer allowed to charge it'
        def customer = api.post('/api/v1/payer-accounts', token('bj-finance'), [kind: 'customer', code: 'CUST-BJ-01',
                nameZh: '杭州某检测科技有限公司', nameEn: 'Hangzhou Testing Tech Co.', settlement: 'prepaid',
                organisation: '杭州某检测科技有限公司', taxId: taxId, contactEmail: 'lab@example.com'])
        def topUp = api.post("/api/v1/payer-accounts/${customer.body.id}/deposits", token('bj-finance'),
                [amountFen: 50_000, key: 'bank-slip-0001', memo: '银行转账'])
        api.post('/api/v1/payer-accounts/join', token('bj-engineer'), [code: 'CUST-BJ-01', category: 'external'])
        def member = api.post("/api/v1/payer-accounts/${customer.body.id}/members/${user('bj-engineer')}/approve",
                token('bj-finance'), null)
        long bureauOwes = balance(bureau, "2241.voucher.${donghu.value()}")

        when: 'the engineer uses the NMR for two hours and staff approve the charge'
        def charge = approvedCharge('bj-engineer', 'CUST-BJ-01', 120, Duration.ofHours(9))

        then:
        customer.status == 201
        topUp.status == 201
        member.status == 200
        charge.amountFen == 24_000
        charge.payerKind == 'deposit'
        charge.payerLedgerCode == "2203.deposit.${customer.body.id}".toString()
        charge.shares*.kind == ['voucher']
        charge.shares*.amountFen == [20_000]

        and: "the voucher's part is receivable from the bureau, the deposit pays 40 yuan, the lab earns 240"
        balance(donghu, "1122.voucher.${bureau.value()}") == 20_000
        balance(donghu, "2203.deposit.${customer.body.id}") == -50_000 + 4_000
        balance(donghu, "6001.lab.${lab}") <= -24_000
        ctx.getBean(Ledger).trialBalance(donghu).values().sum() == 0

        and: "the bureau owes Donghu the voucher's part, and its voucher's balance fell by it"
        balance(bureau, "2241.voucher.${donghu.value()}") - bureauOwes == -20_000
        vouchers.voucher(bureau, voucher.id()).get().balanceFen() == 5_000_000 - 20_000
        ctx.getBean(Ledger).trialBalance(bureau).values().sum() == 0
    }
}
