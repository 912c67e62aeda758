package org.labcommons.federation

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.core.booking.BookingClock
import org.labcommons.testkit.IsolationProbe
import org.labcommons.testkit.PlatformSpec
import spock.lang.Shared

import java.time.Clock
import java.time.Instant
import java.time.ZoneOffset

/**
 * {@code GET /api/v1/federation/outside-bookings} and the closed account codes, in A: a user sees
 * their own linked records, finance staff and institution admins all of A's with filters, pages and
 * totals; B's people (the owner of the bookings) and an unrelated institution C never see A's
 * records, through any endpoint (IsolationProbe).
 */
class OutsideBookingApiSpec extends PlatformSpec {
    static final Instant NOW = Instant.parse('2030-03-04T00:00:00Z')

    @Inject JsonMapper json
    @Inject BookingClock clock
    @Shared FederationFixture f
    @Shared Map<String, String> ids = [:]

    def setup() {
        clock.set(Clock.fixed(NOW, ZoneOffset.UTC))
        if (f == null) {
            f = new FederationFixture(ctx)
            ids.putAll(f.aliceAndAnnAtB())
        }
    }

    def cleanup() {
        clock.set(null)
    }

    private Map list(String who, String query = '') {
        f.send('GET', "/api/v1/federation/outside-bookings${query}", who)
    }

    def "a user sees only their own records; finance and the institution admin see all of A's, with totals"() {
        when:
        def mine = list('alice')
        def hers = list('ann')
        def finance = list('financeA')
        def admin = list('adminA')

        then: "alice: her three, newest first, in A's zone, with B's names"
        mine.status == 200
        mine.body.scope == 'own'
        mine.body.items*.bookingId == [ids.a3, ids.a2, ids.a1]
        mine.body.items.find { it.bookingId == ids.a1 }.with {
            status == 'approved' && homeStatus == 'linked' && rateGroup == 'consortium' && estimatedCostFen == 30_000 &&
                    ownerNameEn == 'Federation B University' && instrumentNameZh == '核磁共振波谱仪' && start == '2030-03-05T09:00:00+08:00'
        }
        hers.body.items*.bookingId == [ids.n1]

        and: "finance: all four; the total counts what is held (requested, approved): 1 h + 2 h + 1 h at 30,000 fen, not the cancelled one"
        finance.body.scope == 'tenant'
        finance.body.total == 4
        finance.body.items*.bookingId.toSet() == [ids.a1, ids.a2, ids.a3, ids.n1].toSet()
        finance.body.totalEstimatedCostFen == 120_000
        admin.body.total == 4
        admin.body.totalEstimatedCostFen == 120_000

        and: "a user cannot widen the view with ?user="
        list('alice', "?user=${f.users.ann}").body.items*.bookingId == [ids.a3, ids.a2, ids.a1]
    }

    def "finance filters by status, home status, account, period, requester and owner institution, and pages"() {
        expect:
        list('financeA', '?status=cancelled').body.items*.bookingId == [ids.a3]
        list('financeA', '?status=cancelled').body.totalEstimatedCostFen == 0
        list('financeA', '?homeStatus=linked').body.total == 4
        list('financeA', '?homeStatus=refused_by_home').body.total == 0
        list('financeA', '?account=ACC-1').body.items*.bookingId.toSet() == [ids.a1, ids.a2].toSet()
        list('financeA', '?account=ACC-1').body.totalEstimatedCostFen == 90_000
        list('financeA', '?from=2030-03-06T00:00:00%2B08:00&to=2030-03-08T00:00:00%2B08:00').body.items*.bookingId == [ids.a3, ids.a2]
        list('financeA', "?user=${f.users.ann}").body.items*.bookingId == [ids.n1]
        list('financeA', "?owner=${f.tenant.b}").body.total == 4
        list('financeA', "?owner=${f.tenant.b}").body.totalEstimatedCostFen == 120_000
        list('financeA', "?owner=${f.tenant.c}").body.total == 0

        and: "pages of two cover everything once, the totals stay those of the whole filter"
        def p0 = list('financeA', '?size=2&page=0').body
        def p1 = list('financeA', '?size=2&page=1').body
        p0.items.size() == 2 && p1.items.size() == 2
        (p0.items*.bookingId + p1.items*.bookingId).toSet().size() == 4
        p0.total == 4 && p1.totalEstimatedCostFen == 120_000
        list('financeA', '?size=2&page=2').body.items == []
    }

    def "invalid filters are a 400 with one message per field"() {
        when:
        def r = list('financeA', '?status=bogus&size=0&homeStatus=x&from=2030-03-06T00:00:00Z&to=2030-03-05T00:00:00Z')

        then:
        r.status == 400
        r.body.code == 'validation_failed'
        r.body.errors*.field.toSet() == ['status', 'size', 'homeStatus', 'to'].toSet()
        r.body.errors.find { it.field == 'size' }.message == 'must be between 1 and 200'
    }

    def "one record: its requester and finance read it; another member gets 404"() {
        expect:
        f.send('GET', "/api/v1/federation/outside-bookings/${ids.a2}", 'alice').body.accountCode == 'ACC-1'
        f.send('GET', "/api/v1/federation/outside-bookings/${ids.a2}", 'financeA').body.estimatedCostFen == 60_000
        f.send('GET', "/api/v1/federation/outside-bookings/${ids.a2}", 'ann').status == 404
        f.send('GET', "/api/v1/federation/outside-bookings/${UUID.randomUUID()}", 'financeA').status == 404
    }

    def "closing account codes is finance's: a user gets 403; finance lists, closes and opens"() {
        expect:
        f.send('PUT', '/api/v1/federation/account-blocks/ACC-9', 'alice', [reason: 'x']).status == 403
        f.send('GET', '/api/v1/federation/account-blocks', 'alice').status == 403
        f.send('PUT', '/api/v1/federation/account-blocks/ACC-9', 'financeA', [reason: 'grant ended']).body.accountCode == 'ACC-9'
        f.send('GET', '/api/v1/federation/account-blocks', 'adminA').body.items*.accountCode == ['ACC-9']
        f.send('DELETE', '/api/v1/federation/account-blocks/ACC-9', 'financeA').status == 204
        f.send('DELETE', '/api/v1/federation/account-blocks/ACC-9', 'financeA').status == 404
        f.send('GET', '/api/v1/federation/account-blocks', 'financeA').body.items == []
    }

    def "B's people (who own the bookings) and institution C never see A's records"() {
        given:
        def snapshotOfA = { [list('financeA').body, f.send('GET', '/api/v1/federation/account-blocks', 'financeA').body] }
        assert f.send('PUT', '/api/v1/federation/account-blocks/ACC-SECRET', 'financeA').status == 200
        List<String> foreign = [ids.a1, ids.a2, ids.n1, f.users.alice.toString(), f.tenant.b.toString()]

        expect: "their lists are empty, whatever they filter on"
        ['adminB', 'staffB', 'adminC'].every { who ->
            def r = f.send('GET', "/api/v1/federation/outside-bookings?user=${f.users.alice}", who)
            r.status == 200 && r.body.items == [] && r.body.total == 0 && list(who).body.items == []
        }

        and: "naming A as the acting tenant is refused like a tenant that does not exist"
        f.send('GET', '/api/v1/federation/outside-bookings', 'adminB', null, f.tenant.a.toString()).status == 404
        f.send('GET', '/api/v1/federation/outside-bookings', 'adminB', null, UUID.randomUUID().toString()).status == 404

        and: "every endpoint answers A's ids (bookings, user, account code) exactly as ids that do not exist, and A's data is unchanged"
        ['adminB', 'adminC'].every { who ->
            def headers = [Authorization: 'Bearer ' + f.tokens[who], 'Accept-Language': 'en']
            def byId = IsolationProbe.against("http://localhost:${server.port}", headers)
                    .probe('GET', '/api/v1/federation/outside-bookings/{id}')
                    .probe('GET', '/api/v1/federation/outside-bookings?user={id}')
                    .probe('GET', '/api/v1/federation/outside-bookings?account={id}')
                    .probe('GET', '/api/v1/federation/outside-bookings?owner={id}')
                    .probe('DELETE', '/api/v1/federation/account-blocks/{id}')
                    .run(foreign, snapshotOfA)
            def byCode = IsolationProbe.against("http://localhost:${server.port}", headers)
                    .probe('GET', '/api/v1/federation/outside-bookings?account={id}')
                    .probe('DELETE', '/api/v1/federation/account-blocks/{id}')
                    .run(['ACC-SECRET', 'ACC-1'], snapshotOfA)
            assert byId.leaks() == [] && byCode.leaks() == []
            assert !byId.dataOfOwnerChanged() && !byCode.dataOfOwnerChanged()
            byId.probesMade() + byCode.probesMade() == foreign.size() * 5 * 2 + 2 * 2 * 2
        }

        and: "alice acting in B sees nothing there either: the records live in A"
        f.send('GET', '/api/v1/federation/outside-bookings', 'alice', null, f.tenant.b.toString()).body.items == []

        cleanup:
        f.send('DELETE', '/api/v1/federation/account-blocks/ACC-SECRET', 'financeA')
    }
}
