package org.labcommons.core.billing.subsidies

import jakarta.inject.Inject
import org.labcommons.core.audit.AuditEntry
import org.labcommons.core.billing.charges.Charge
import org.labcommons.core.billing.charges.PayerLine
import org.labcommons.core.billing.charges.Share
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import java.time.Instant
import java.time.LocalDate
import java.time.ZoneId
import java.util.concurrent.Callable
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

import static org.labcommons.testkit.TenantWorld.*

/**
 * The open-testing fund's share of charge postings (FundShares, as A's posting calls it in its tenant transaction):
 * the share by user category and the default, round half up to a fen, the budget's cap and 0 % once spent, 40
 * concurrent charges never overspending, an idempotent replay, the return of the share on a waiver, the period's days
 * in the tenant's zone and its instrument limit.
 */
class FundSharesSpec extends PlatformSpec {
    @Inject TenantTransactions tenants
    @Inject Funds funds
    @Inject FundShares shares
    @Shared TenantWorld world
    @Shared TenantId tenant
    static final ZoneId SHANGHAI = ZoneId.of('Asia/Shanghai')
    static final AuditEntry.Actor ACTOR = new AuditEntry.Actor(null, 'fund-spec', null)

    def setup() {
        if (world == null) {
            world = TenantWorld.build(ctx) {
                institution('fund-donghu') { person('fund-finance', FINANCE) }
            }
            tenant = new TenantId(world.tenant('fund-donghu').id)
        }
    }

    /** A fund period of today's year limited to {@code instrument}, so features do not share budgets. */
    Fund fund(UUID instrument, long budget, Map<String, Integer> bp, int defaultBp = 1_000) {
        int year = LocalDate.now(SHANGHAI).year
        funds.create(tenant, ACTOR, world.person('fund-finance').userId,
                new Fund.Input('基金', 'Fund', LocalDate.of(year, 1, 1), LocalDate.of(year, 12, 31), budget, defaultBp, bp,
                        [instrument], null, true))
    }

    static Charge charge(TenantId tenant, UUID instrument, long amount, long version = 1, UUID id = UUID.randomUUID(),
                         Instant start = Instant.now()) {
        new Charge(id, tenant, 'usage_session', UUID.randomUUID(), 'usage', instrument, null, null, UUID.randomUUID(),
                tenant, 'P-1', 'internal', null, 1, start, start.plusSeconds(3600), BigDecimal.ONE, 'hour', amount,
                'approved', Instant.now(), version)
    }

    static PayerLine internal(String category) {
        new PayerLine(UUID.randomUUID(), 'project', '1122.payer.' + UUID.randomUUID(), true, category, null)
    }

    List<Share> sharesOf(Charge c, PayerLine payer, long remaining) {
        tenants.inTenant(tenant, { conn -> shares.sharesOf(conn, c, payer, remaining) } as TenantTransactions.TenantWork)
    }

    long consumed(UUID fundId) {
        funds.find(tenant, fundId).get().consumedFen()
    }

    def "the share is the payer's category's basis points of the charge, rounded half up to a fen, else the default"() {
        given:
        UUID nmr = UUID.randomUUID()
        Fund f = fund(nmr, 100_000_000, [staff: 3_000, student: 5_000, young_teacher: 7_000], 1_000)

        expect:
        sharesOf(charge(tenant, nmr, 12_345), internal('staff'), 12_345)*.amountFen == [3_704]            // 3,703.5 -> 3,704
        sharesOf(charge(tenant, nmr, 12_345), internal('student'), 12_345)*.amountFen == [6_173]          // 6,172.5 -> 6,173
        sharesOf(charge(tenant, nmr, 12_345), internal('young_teacher'), 12_345)*.amountFen == [8_642]    // 8,641.5 -> 8,642
        sharesOf(charge(tenant, nmr, 12_345), internal('visitor'), 12_345)*.amountFen == [1_235]          // default 10 %
        sharesOf(charge(tenant, nmr, 12_344), internal(null), 12_344)*.amountFen == [1_234]               // 1,234.4 -> 1,234
        sharesOf(charge(tenant, nmr, 1), internal('staff'), 1) == []                                      // 0.3 -> 0
        consumed(f.id()) == 3_704 + 6_173 + 8_642 + 1_235 + 1_234

        and: 'the share names the fund and the account of the subsidy'
        def s = sharesOf(charge(tenant, nmr, 10_000), internal('staff'), 10_000)[0]
        s.ledgerCode() == '6601.subsidy.open-testing'
        s.kind() == 'subsidy'
        s.reference() == "fund:${f.id()}".toString()
        s.nameZh() == '基金（开放测试基金 30%）'
        s.nameEn() == 'Fund (open-testing fund 30%)'

        and: 'external payers, other instruments and days outside the period get nothing'
        sharesOf(charge(tenant, nmr, 10_000), new PayerLine(UUID.randomUUID(), 'customer', '1122.payer.x', false, 'staff', null), 10_000) == []
        sharesOf(charge(tenant, UUID.randomUUID(), 10_000), internal('staff'), 10_000) == []
        sharesOf(charge(tenant, nmr, 10_000, 1, UUID.randomUUID(), LocalDate.now(SHANGHAI).plusYears(1).atStartOfDay(SHANGHAI).toInstant()),
                internal('staff'), 10_000) == []
    }

    def "the budget caps the share, and once it is spent the fund pays 0 %"() {
        given:
        UUID nmr = UUID.randomUUID()
        Fund f = fund(nmr, 1_000, [student: 5_000])

        expect:
        sharesOf(charge(tenant, nmr, 1_500), internal('student'), 1_500)*.amountFen == [750]
        sharesOf(charge(tenant, nmr, 1_000), internal('student'), 1_000)*.amountFen == [250]   // 500 asked, 250 left
        sharesOf(charge(tenant, nmr, 1_000), internal('student'), 1_000) == []                 // spent: 0 %
        consumed(f.id()) == 1_000
        funds.consumption(tenant, f.id(), 0, 50).items()*.amountFen == [0, 250, 750]
    }

    def "asked again for the same charge version, the fund answers the recorded share and consumes nothing more"() {
        given:
        UUID nmr = UUID.randomUUID()
        Fund f = fund(nmr, 1_000_000, [staff: 3_000])
        Charge c = charge(tenant, nmr, 10_000)

        when:
        def first = sharesOf(c, internal('staff'), 10_000)
        def again = sharesOf(c, internal('staff'), 10_000)

        then:
        first == again
        first*.amountFen == [3_000]
        consumed(f.id()) == 3_000
    }

    def "40 concurrent charges never spend more than the budget"() {
        given:
        UUID nmr = UUID.randomUUID()
        Fund f = fund(nmr, 10_000, [staff: 5_000])
        def pool = Executors.newFixedThreadPool(8)

        when: 'each asks for 500 of a budget of 10,000'
        def futures = (1..40).collect { pool.submit({ sharesOf(charge(tenant, nmr, 1_000), internal('staff'), 1_000) } as Callable) }
        List<Long> paid = futures.collect { it.get(60, TimeUnit.SECONDS).sum { it.amountFen() } ?: 0L }
        pool.shutdown()

        then:
        paid.sum() == 10_000
        paid.count { it == 500 } == 20
        paid.count { it == 0 } == 20
        consumed(f.id()) == 10_000
    }

    def "a waiver or a downward adjustment returns the fund's part of the delta to the budget"() {
        given:
        UUID nmr = UUID.randomUUID()
        Fund f = fund(nmr, 1_000_000, [staff: 3_000])
        UUID id = UUID.randomUUID()

        when: 'approved at 10,000, adjusted down by 1,001, then waived'
        def approved = sharesOf(charge(tenant, nmr, 10_000, 1, id), internal('staff'), 10_000)
        def adjusted = sharesOf(charge(tenant, nmr, 8_999, 2, id), internal('staff'), -1_001)
        def waived = sharesOf(charge(tenant, nmr, 0, 3, id), internal('staff'), -8_999)

        then: 'the fund takes back 30 % of each delta, rounded half up, never more than the charge holds'
        approved*.amountFen == [3_000]
        adjusted*.amountFen == [-300]      // 300.3 -> 300
        waived*.amountFen == [-2_700]      // 2,699.7 -> 2,700
        consumed(f.id()) == 0

        when: 'the waiver is asked again'
        def replayed = sharesOf(charge(tenant, nmr, 0, 3, id), internal('staff'), -8_999)

        then:
        replayed == waived
        consumed(f.id()) == 0
    }
}
