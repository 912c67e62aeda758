package org.labcommons.core.billing.subsidies

import jakarta.inject.Inject
import org.labcommons.core.audit.AuditEntry
import org.labcommons.core.billing.charges.Charge
import org.labcommons.core.billing.charges.PayerLine
import org.labcommons.core.billing.charges.Share
import org.labcommons.core.billing.ledger.Ledger
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
 * Innovation vouchers redeemed on providers' charge postings (VoucherShares, in the provider's transaction; the claim
 * in the consortium tenant's tables in the same database transaction): the per-claim cap, the per-year cap, the
 * voucher's balance, an idempotent claim, 30 concurrent claims never passing a cap, the return on a waiver, and the
 * bureau's ledger (6601.voucher.expense / 2241.voucher.<provider>) balancing with the claims.
 */
class VoucherSharesSpec extends PlatformSpec {
    @Inject TenantTransactions tenants
    @Inject Vouchers vouchers
    @Inject VoucherShares shares
    @Inject Ledger ledger
    @Shared TenantWorld world
    @Shared TenantId bureau
    @Shared TenantId provider
    @Shared UUID admin
    static final ZoneId SHANGHAI = ZoneId.of('Asia/Shanghai')
    static final AuditEntry.Actor ACTOR = new AuditEntry.Actor(null, 'voucher-spec', null)

    def setup() {
        if (world == null) {
            world = TenantWorld.build(ctx) {
                consortium('vs-bureau') {
                    person('vs-bureau-admin', CONSORTIUM_ADMIN)
                    network('vs-network') {
                        institution('vs-donghu') { person('vs-finance', FINANCE) }
                    }
                }
            }
            bureau = new TenantId(world.tenant('vs-bureau').id)
            provider = new TenantId(world.tenant('vs-donghu').id)
            admin = world.person('vs-bureau-admin').userId
        }
    }

    /** A valid unified social credit code, new each time. */
    static String taxId() {
        String body = '91330100' + (1..9).collect { TaxIds.CHARSET[new Random().nextInt(TaxIds.CHARSET.length())] }.join()
        body + TaxIds.check(body)
    }

    /** An enterprise with one voucher of {@code face} under a batch with the caps; answers [taxId, voucher]. */
    List enterprise(long face, long perClaim, long perYear, LocalDate from = LocalDate.now(SHANGHAI).withDayOfYear(1),
                    LocalDate to = LocalDate.now(SHANGHAI).plusYears(1)) {
        String tax = taxId()
        def e = vouchers.register(bureau, ACTOR, admin, new Voucher.EnterpriseInput('企业 ' + tax, tax, null))
        def b = vouchers.createBatch(bureau, ACTOR, admin, new Voucher.BatchInput('批次', perClaim, perYear))
        def v = vouchers.issue(bureau, ACTOR, admin, new Voucher.IssueInput(b.id(), e.id(), face, from, to))
        [tax, v]
    }

    Charge charge(long amount, long version = 1, UUID id = UUID.randomUUID(), Instant start = Instant.now()) {
        new Charge(id, provider, 'sample_request', UUID.randomUUID(), 'sample', UUID.randomUUID(), null, null,
                UUID.randomUUID(), provider, null, 'external', null, 1, start, null, BigDecimal.ONE, 'sample', amount,
                'approved', Instant.now(), version)
    }

    static PayerLine customer(String tax) {
        new PayerLine(UUID.randomUUID(), 'customer', '1122.payer.' + UUID.randomUUID(), false, 'external', tax)
    }

    List<Share> sharesOf(Charge c, PayerLine payer, long remaining) {
        tenants.inTenant(provider, { conn -> shares.sharesOf(conn, c, payer, remaining) } as TenantTransactions.TenantWork)
    }

    Voucher voucher(UUID id) {
        vouchers.voucher(bureau, id).get()
    }

    long bureauBalance(String code) {
        ledger.trialBalance(bureau).getOrDefault(code, 0L)
    }

    def "a claim pays min(what is left, the per-claim cap, the year cap left, the balance); the bureau owes the provider"() {
        given: 'a voucher of 150,000 yuan, 20,000 a claim, 100,000 a year'
        def (String tax, Voucher v) = enterprise(15_000_000, 2_000_000, 10_000_000)
        long expenseBefore = bureauBalance('6601.voucher.expense')

        when:
        def first = sharesOf(charge(3_000_000), customer(tax), 3_000_000)
        def small = sharesOf(charge(123_456), customer(tax), 123_456)

        then: 'the first is capped at 20,000 yuan, the second paid whole'
        first*.amountFen == [2_000_000]
        first[0].ledgerCode() == "1122.voucher.${bureau.value()}".toString()
        first[0].kind() == 'voucher'
        first[0].reference() == "voucher:${v.number()}".toString()
        first[0].nameZh() == "科技创新券 ${v.number()}".toString()
        small*.amountFen == [123_456]
        voucher(v.id()).balanceFen() == 15_000_000 - 2_123_456

        and: "the provider's receivable account exists; the bureau's ledger has the expense and the payable, balanced"
        ledger.trialBalance(provider).containsKey("1122.voucher.${bureau.value()}".toString()) ||
                ledger.accounts(provider, '1122.voucher.', 0, 10).items()*.code().contains("1122.voucher.${bureau.value()}".toString())
        bureauBalance('6601.voucher.expense') - expenseBefore == 2_123_456
        bureauBalance("2241.voucher.${provider.value()}".toString()) <= -2_123_456
        ledger.trialBalance(bureau).values().sum() == 0
        vouchers.claims(bureau, v.id(), null, 0, 50).items()*.amountFen() as Set == [2_000_000L, 123_456L] as Set
    }

    def "the year cap holds across claims, and a new calendar year starts afresh; then the balance ends it"() {
        given: 'a voucher of 120,000 yuan, 20,000 a claim, 50,000 a year'
        def (String tax, Voucher v) = enterprise(12_000_000, 2_000_000, 5_000_000)
        Instant nextYear = LocalDate.now(SHANGHAI).plusYears(1).withDayOfYear(1).atStartOfDay(SHANGHAI).toInstant()

        when:
        def thisYear = (1..4).collect { sharesOf(charge(2_000_000), customer(tax), 2_000_000).sum { it.amountFen() } ?: 0L }
        def afterNewYear = sharesOf(charge(2_000_000, 1, UUID.randomUUID(), nextYear), customer(tax), 2_000_000)

        then:
        thisYear == [2_000_000L, 2_000_000L, 1_000_000L, 0L]
        afterNewYear*.amountFen == [2_000_000]
        voucher(v.id()).balanceFen() == 12_000_000 - 7_000_000
    }

    def "a claim is made once per provider, charge and version: asked again it answers the same and claims nothing more"() {
        given:
        def (String tax, Voucher v) = enterprise(5_000_000, 2_000_000, 10_000_000)
        Charge c = charge(1_000_000)
        long expenseBefore = bureauBalance('6601.voucher.expense')

        when:
        def first = sharesOf(c, customer(tax), 1_000_000)
        def again = sharesOf(c, customer(tax), 1_000_000)

        then:
        first == again
        voucher(v.id()).claimedFen() == 1_000_000
        vouchers.claims(bureau, v.id(), null, 0, 50).total() == 1
        bureauBalance('6601.voucher.expense') - expenseBefore == 1_000_000
    }

    def "30 concurrent claims of one enterprise never pass the year cap"() {
        given: '30 charges of 10,000 yuan against a year cap of 100,000'
        def (String tax, Voucher v) = enterprise(50_000_000, 2_000_000, 10_000_000)
        long expenseBefore = bureauBalance('6601.voucher.expense')
        def pool = Executors.newFixedThreadPool(8)

        when:
        def futures = (1..30).collect { pool.submit({ sharesOf(charge(1_000_000), customer(tax), 1_000_000) } as Callable) }
        List<Long> paid = futures.collect { it.get(120, TimeUnit.SECONDS).sum { it.amountFen() } ?: 0L }
        pool.shutdown()

        then:
        paid.sum() == 10_000_000
        paid.count { it == 1_000_000 } == 10
        voucher(v.id()).claimedFen() == 10_000_000
        bureauBalance('6601.voucher.expense') - expenseBefore == 10_000_000
        ledger.trialBalance(bureau).values().sum() == 0
    }

    def "a waiver returns the voucher's part to its balance and the year, and the bureau's posting is mirrored"() {
        given:
        def (String tax, Voucher v) = enterprise(5_000_000, 2_000_000, 3_000_000)
        UUID id = UUID.randomUUID()
        long expenseBefore = bureauBalance('6601.voucher.expense')

        when:
        def claimed = sharesOf(charge(1_500_000, 1, id), customer(tax), 1_500_000)
        def waived = sharesOf(charge(0, 2, id), customer(tax), -1_500_000)

        then:
        claimed*.amountFen == [1_500_000]
        waived*.amountFen == [-1_500_000]
        waived[0].ledgerCode() == "1122.voucher.${bureau.value()}".toString()
        voucher(v.id()).balanceFen() == 5_000_000
        bureauBalance('6601.voucher.expense') == expenseBefore

        and: 'the year cap is free again: 30,000 yuan can be claimed this year'
        (1..2).collect { sharesOf(charge(2_000_000), customer(tax), 2_000_000).sum { it.amountFen() } } == [2_000_000L, 1_000_000L]
    }

    def "posted as A posts a charge (shares, then the provider's posting, in one transaction), both ledgers balance; a failed posting leaves no claim"() {
        given:
        def (String tax, Voucher v) = enterprise(5_000_000, 2_000_000, 10_000_000)
        PayerLine payer = customer(tax)
        String revenue = '6001.lab.' + UUID.randomUUID()
        ledger.ensureAccount(provider, new org.labcommons.core.billing.ledger.NewAccount(payer.ledgerCode(), 'asset', '客户', 'Customer', null, null))
        ledger.ensureAccount(provider, new org.labcommons.core.billing.ledger.NewAccount(revenue, 'revenue', '收入', 'Revenue', null, null))
        def post = { Charge c, boolean fail ->
            tenants.inTenant(provider, { conn ->
                List<Share> s = shares.sharesOf(conn, c, payer, c.amountFen())
                long rest = c.amountFen() - (s.sum { it.amountFen() } ?: 0L)
                def lines = s.collect { new org.labcommons.core.billing.ledger.Line(it.ledgerCode(), it.amountFen()) } +
                        [new org.labcommons.core.billing.ledger.Line(payer.ledgerCode(), rest),
                         new org.labcommons.core.billing.ledger.Line(revenue, -c.amountFen())]
                lines = lines.findAll { it.amountFen() != 0 }
                ledger.post(provider, new org.labcommons.core.billing.ledger.NewTransaction("charge:${c.id()}:1", 'charge', 'charge',
                        c.id().toString(), null, 'spec', lines))
                if (fail) {
                    throw new IllegalStateException('the posting fails after the claim')
                }
                s
            } as TenantTransactions.TenantWork)
        }

        when:
        List<Share> posted = post(charge(2_500_000), false)

        then: 'the provider is paid in full: 20,000 by the bureau, 5,000 by the enterprise'
        posted*.amountFen == [2_000_000]
        ledger.balance(provider, payer.ledgerCode()) == 500_000
        ledger.balance(provider, revenue) == -2_500_000
        ledger.trialBalance(provider).values().sum() == 0
        ledger.trialBalance(bureau).values().sum() == 0

        when:
        post(charge(1_000_000), true)

        then: 'the claim rolled back with the posting'
        thrown(IllegalStateException)
        voucher(v.id()).claimedFen() == 2_000_000
        vouchers.claims(bureau, v.id(), null, 0, 50).total() == 1
    }

    def "internal payers, unknown, malformed or foreign tax ids and expired vouchers get no voucher share"() {
        given:
        def (String tax, Voucher v) = enterprise(5_000_000, 2_000_000, 10_000_000,
                LocalDate.now(SHANGHAI).minusYears(2), LocalDate.now(SHANGHAI).minusYears(1))
        String bad = tax.substring(0, 17) + (tax[17] == '0' ? '1' : '0')

        expect:
        sharesOf(charge(1_000), new PayerLine(UUID.randomUUID(), 'project', '1122.payer.x', true, 'staff', tax), 1_000) == []
        sharesOf(charge(1_000), customer(taxId()), 1_000) == []        // not registered
        sharesOf(charge(1_000), customer(bad), 1_000) == []            // wrong check character
        sharesOf(charge(1_000), customer(null), 1_000) == []
        sharesOf(charge(1_000), customer(tax), 1_000) == []            // its voucher expired
        !TaxIds.valid(bad)
        TaxIds.valid(tax.toLowerCase())
    }
}
