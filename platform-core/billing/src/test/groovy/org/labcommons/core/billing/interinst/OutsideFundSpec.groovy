package org.labcommons.core.billing.interinst

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.core.billing.BillingEventReader
import org.labcommons.core.billing.BillingTopics
import org.labcommons.core.billing.charges.Charge
import org.labcommons.core.billing.ledger.Ledger
import org.labcommons.core.tenancy.TenantId
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared
import spock.lang.Stepwise
import spock.lang.Tag

import java.time.Instant
import java.time.LocalDate
import java.time.ZoneId
import java.time.temporal.ChronoUnit

import static org.labcommons.testkit.TenantWorld.FINANCE
import static org.labcommons.testkit.TenantWorld.USER

/**
 * The home's open-testing fund on its users' charges at another institution (HomePayables with FundShares'
 * outsideShares): nothing while the fund does not cover outside services; once it does, one balanced home
 * transaction debits the fund's share (30 %, rounded half up) and the user's account for the rest against the whole
 * payable, the memo (the home statement's line) names the fund's part, the payable row keeps it; a replay adds
 * nothing; the budget caps the share and is then spent (fund.exhausted); a waiver gives the fund its part back; the
 * fund's events are read from Kafka.
 */
@Tag('integration')
@Stepwise
class OutsideFundSpec extends PlatformSpec {
    static final String FUNDS = '/api/v1/subsidies/funds'
    @Inject HomePayables payables
    @Inject Ledger ledger
    @Inject JsonMapper json

    @Shared TenantWorld world
    @Shared TenantId home
    @Shared TenantId provider
    @Shared UUID alice
    @Shared String fundId
    @Shared Map fundBody
    @Shared UUID first = UUID.randomUUID()

    def setup() {
        if (world != null) {
            return
        }
        world = TenantWorld.build(ctx) {
            institution('of-home') {
                person('of-finance', FINANCE)
                person('of-alice', USER)
            }
            institution('of-provider') { person('of-bob', USER) }
        }
        home = new TenantId(world.tenant('of-home').id)
        provider = new TenantId(world.tenant('of-provider').id)
        alice = world.person('of-alice').userId
        int year = LocalDate.now(ZoneId.of('Asia/Shanghai')).year
        fundBody = [nameZh: '开放测试基金', nameEn: 'Open-testing fund', startsOn: "${year}-01-01".toString(),
                    endsOn: "${year}-12-31".toString(), budgetFen: 10_000, defaultShareBp: 3_000, sharesBp: [:]]
        def made = api.post(FUNDS, world.token('of-finance'), fundBody)
        assert made.status == 201: made.body
        assert made.body.coversOutside == false
        fundId = made.body.id
    }

    Charge charge(UUID id, long amountFen) {
        Instant start = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES)
        new Charge(id, provider, 'usage_session', UUID.randomUUID(), 'usage', UUID.randomUUID(), null, null, alice, home,
                null, 'consortium', null, 1, start, start.plusSeconds(7_200), 2.00G, 'hour', amountFen, 'approved',
                Instant.now(), 1)
    }

    HomePayables.Outcome post(UUID id, long seq, long fen) {
        payables.record(new HomePayables.ForeignCharge(charge(id, fen), seq, fen, '2026-12', UUID.randomUUID()))
    }

    Map<String, Long> balances() {
        ledger.trialBalance(home)
    }

    String person() { "1122.person.${alice}".toString() }

    String payable() { "2202.tenant.${provider.value()}".toString() }

    def "a fund that does not cover outside services pays nothing: the user's account carries the whole payable"() {
        when:
        def outcome = post(UUID.randomUUID(), 1, 5_000)

        then:
        outcome == HomePayables.Outcome.POSTED
        balances()[person()] == 5_000L
        balances()[payable()] == -5_000L
        !balances().containsKey('6601.subsidy.open-testing')
    }

    def "covering outside services, the fund pays 30 % of the payable in the same home transaction, shown on the statement line"() {
        given:
        def changed = api.put("${FUNDS}/${fundId}", world.token('of-finance'), fundBody + [coversOutside: true])
        assert changed.status == 200 && changed.body.coversOutside == true

        when:
        def outcome = post(first, 1, 24_001)      // 30 % = 7,200.3 -> 7,200
        def replay = post(first, 1, 24_001)
        def lines = ledger.statement(home, person(), null)
        def fund = api.get("${FUNDS}/${fundId}", world.token('of-finance')).body
        def page = api.get('/api/v1/interinst/payables', world.token('of-finance')).body

        then:
        outcome == HomePayables.Outcome.POSTED
        replay == HomePayables.Outcome.REPLAYED
        balances()[person()] == 5_000L + 16_801L
        balances()['6601.subsidy.open-testing'] == 7_200L
        balances()[payable()] == -29_001L
        balances().values().sum() == 0L
        ledger.lines(home, lines.last().transactionId()).collectEntries { [(it.accountCode()): it.amountFen()] } ==
                [(person()): 16_801L, '6601.subsidy.open-testing': 7_200L, (payable()): -24_001L]
        lines.last().memo().contains('72.00')
        lines.last().memo().contains('payer 168.01')
        fund.consumedFen == 7_200
        page.items.find { it.chargeId == first.toString() }.fundFen == 7_200
        page.items.find { it.chargeId == first.toString() }.amountFen == 24_001
    }

    def "the budget caps the share and the fund is then spent; a waiver gives the fund its part back"() {
        when:
        def capped = post(UUID.randomUUID(), 1, 24_000)     // 7,200 asked, 2,800 left
        def none = post(UUID.randomUUID(), 1, 1_000)        // spent: 0 %
        def spent = api.get("${FUNDS}/${fundId}", world.token('of-finance')).body
        def waived = post(first, 2, -6_000)                 // the fund takes back 30 % of 6,000
        def after = api.get("${FUNDS}/${fundId}", world.token('of-finance')).body

        then:
        capped == HomePayables.Outcome.POSTED
        none == HomePayables.Outcome.POSTED
        waived == HomePayables.Outcome.POSTED
        spent.consumedFen == 10_000
        spent.leftFen == 0
        after.consumedFen == 10_000 - 1_800
        balances()['6601.subsidy.open-testing'] == 10_000L - 1_800L
        balances()[person()] == 5_000L + 16_801L + 21_200L + 1_000L - 4_200L
        balances()[payable()] == -(5_000L + 24_001L + 24_000L + 1_000L - 6_000L)
    }

    def "the fund's shares and its exhaustion are events on billing.subsidy.v1, keyed by the fund"() {
        when:
        def events = BillingEventReader.read(json, BillingTopics.SUBSIDY, [fundId]) { List<Map> e ->
            e.count { it.type == 'fund.share_applied' } >= 3 && e.any { it.type == 'fund.exhausted' }
        }
        def shares = events.findAll { it.type == 'fund.share_applied' }

        then:
        shares*.payload*.amountFen == [7_200, 2_800, -1_800]
        shares.every { it.payload.outside == true && it.payload.tenantId == home.toString() && it.tenantId == home.toString() }
        shares[0].payload.chargeId == first.toString()
        shares[0].payload.shareBp == 3_000
        events.count { it.type == 'fund.exhausted' } == 1
        events.find { it.type == 'fund.exhausted' }.payload.budgetFen == 10_000
    }
}
