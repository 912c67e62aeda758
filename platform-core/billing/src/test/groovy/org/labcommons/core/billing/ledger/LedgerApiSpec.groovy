package org.labcommons.core.billing.ledger

import jakarta.inject.Inject
import org.labcommons.core.tenancy.TenantId
import org.labcommons.testkit.IsolationProbe
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import java.time.Clock
import java.time.Instant
import java.time.YearMonth
import java.time.ZoneOffset

import static org.labcommons.testkit.TenantWorld.FINANCE
import static org.labcommons.testkit.TenantWorld.INSTITUTION_ADMIN
import static org.labcommons.testkit.TenantWorld.INSTRUMENT_ADMIN
import static org.labcommons.testkit.TenantWorld.USER

/**
 * The read-only ledger API: accounts with balances, an account's entries (paged, per period) and the trial balance,
 * for finance staff and institution admins only, with problem+json errors; another institution's admin gets nothing
 * of it (isolation probe).
 */
class LedgerApiSpec extends PlatformSpec {
    @Inject Ledger ledger
    @Inject LedgerClock clock

    @Shared TenantWorld world
    @Shared TenantId tenant
    @Shared String project
    @Shared String lab

    def setup() {
        if (world != null) {
            return
        }
        world = TenantWorld.build(ctx) {
            institution('ledger-api-a') {
                person('finance', FINANCE)
                person('admin', INSTITUTION_ADMIN)
                person('lab-staff', INSTRUMENT_ADMIN)
                person('researcher', USER)
            }
            institution('ledger-api-b') {
                person('b-admin', INSTITUTION_ADMIN)
                person('b-finance', FINANCE)
            }
        }
        tenant = new TenantId(world.tenant('ledger-api-a').id)
        project = "1122.project.${UUID.randomUUID()}"
        lab = "6001.lab.${UUID.randomUUID()}"
        ledger.ensureAccount(tenant, new NewAccount(project, 'asset', '课题经费 A', 'Project account A', 'project', UUID.randomUUID()))
        ledger.ensureAccount(tenant, new NewAccount(lab, 'revenue', '核磁实验室收入', 'NMR lab revenue', null, null))
        ledger.ensureAccount(tenant, new NewAccount('2241.voucher', 'liability', '创新券', 'Innovation vouchers', null, null))
        try {
            // one posting a second: the entries' order is the order of posted_at (ties go by transaction id)
            (1..5).each {
                clock.set(Clock.fixed(Instant.parse('2033-03-10T02:00:00Z').plusSeconds(it), ZoneOffset.UTC))
                ledger.post(tenant, charge("api-mar-$it", 123_400L + it))
            }
            clock.set(Clock.fixed(Instant.parse('2033-04-10T02:00:00Z'), ZoneOffset.UTC))
            ledger.post(tenant, charge('api-apr-1', 98_765L))
        } finally {
            clock.set(null)
        }
    }

    NewTransaction charge(String key, long fen) {
        new NewTransaction(key, 'charge', 'charge', key, 'NMR', 'spec', [new Line(project, fen), new Line(lab, -fen)])
    }

    def "finance staff list the accounts with their balances"() {
        when:
        def r = world.api().get('/api/v1/ledger/accounts?size=2', world.token('finance'))

        then:
        r.status == 200
        r.body.total == 3
        r.body.items*.code == [project, '2241.voucher']
        r.body.items[0].balanceFen == 123_401 + 123_402 + 123_403 + 123_404 + 123_405 + 98_765
        r.body.items[0].nameZh == '课题经费 A'

        when:
        def revenue = world.api().get('/api/v1/ledger/accounts?prefix=6001', world.token('admin'))

        then:
        revenue.status == 200
        revenue.body.items*.code == [lab]
        revenue.body.items[0].balanceFen == -(123_401 + 123_402 + 123_403 + 123_404 + 123_405 + 98_765)
    }

    def "an account's entries are paged, per period or all, in posting order"() {
        when:
        def march = world.api().get("/api/v1/ledger/accounts/${project}/entries?period=2033-03&page=1&size=2", world.token('finance'))
        def all = world.api().get("/api/v1/ledger/accounts/${project}/entries?size=50", world.token('admin'))

        then:
        march.status == 200
        march.body.total == 5
        march.body.items*.amountFen == [123_403, 123_404]
        march.body.items.every { it.period == '2033-03' && it.accountCode == project && it.kind == 'charge' && it.memo == 'NMR' }
        all.body.total == 6
        all.body.items[-1].amountFen == 98_765
        all.body.items[-1].period == '2033-04'
    }

    def "the trial balance is zero, through a period or over all"() {
        when:
        def march = world.api().get('/api/v1/ledger/trial-balance?period=2033-03', world.token('finance'))
        def all = world.api().get('/api/v1/ledger/trial-balance', world.token('finance'))

        then:
        march.status == 200
        march.body.through == '2033-03'
        march.body.totalFen == 0
        march.body.debitsFen == 123_401 + 123_402 + 123_403 + 123_404 + 123_405
        march.body.creditsFen == -march.body.debitsFen
        all.body.totalFen == 0
        all.body.accounts.find { it.code == '2241.voucher' }.balanceFen == 0
        all.body.accounts.collect { it.balanceFen as long }.sum() == 0
    }

    def "others are refused with problem+json; bad input is a clear error"() {
        expect:
        with(world.api().get('/api/v1/ledger/accounts', world.token(person))) {
            status == 403
            body.code == 'forbidden'
        }

        where:
        person << ['researcher', 'lab-staff']
    }

    def "an unknown account is 404 and a malformed period a field error"() {
        when:
        def unknown = world.api().get('/api/v1/ledger/accounts/1122.project.nobody/entries', world.token('finance'))
        def badPeriod = world.api().get("/api/v1/ledger/accounts/${project}/entries?period=2033-13", world.token('finance'))
        def badSize = world.api().get('/api/v1/ledger/accounts?size=100000', world.token('finance'))
        def noToken = world.api().get('/api/v1/ledger/trial-balance', null)

        then:
        unknown.status == 404
        unknown.body.code == 'not_found'
        badPeriod.status == 400
        badPeriod.body.code == 'validation_failed'
        badPeriod.body.errors*.field == ['period']
        badSize.status == 400
        noToken.status == 401
    }

    def "another institution's admin and finance staff get nothing of the tenant's ledger"() {
        when:
        def results = ['b-admin', 'b-finance'].collect { who ->
            IsolationProbe.against(world.api().base, ['Authorization': "Bearer ${world.token(who)}".toString()])
                    .probe('GET', '/api/v1/ledger/accounts/{id}/entries')
                    .probe('GET', '/api/v1/ledger/accounts/{id}/entries?period=2033-03')
                    .listing('GET', '/api/v1/ledger/accounts?prefix={id}')
                    .listing('GET', '/api/v1/ledger/accounts?size=500')
                    .listing('GET', '/api/v1/ledger/trial-balance')
                    .listing('GET', '/api/v1/ledger/trial-balance?period=2033-03')
                    .run([project, lab], ['123401', '98765', '课题经费 A', 'NMR lab revenue'], { ledger.trialBalance(tenant) })
        }

        then:
        results.every { it.probesMade() > 0 }
        results*.leaks() == [[], []]
        results.every { !it.dataOfOwnerChanged() }
    }
}
