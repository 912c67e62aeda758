package org.labcommons.core.reports.facts

import org.labcommons.core.billing.BillingTopics
import org.labcommons.core.booking.BookingTopics
import org.labcommons.core.usage.UsageTopics
import org.labcommons.testkit.IsolationProbe
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import java.time.Instant

import static org.labcommons.testkit.TenantWorld.*

/**
 * The facts through /api/v1/reports/facts: an institution's admin reads its own instruments by user class (pages,
 * filters); bad parameters are problem+json field errors; the network's and the consortium's admins read their
 * members as aggregates only (no instrument, no person) and nothing else; another institution's admin finds nothing
 * of Donghu's (the isolation probe).
 */
class FactsApiSpec extends PlatformSpec {
    static final String BASE = '/api/v1/reports/facts'
    @Shared TenantWorld world
    @Shared String nmr
    @Shared String tem
    @Shared String xrd
    @Shared UUID member
    @Shared UUID own

    def setup() {
        if (world != null) {
            return
        }
        world = TenantWorld.build(ctx) {
            consortium('fapi-lc') {
                person('fapi-bureau', CONSORTIUM_ADMIN)
                network('fapi-east') {
                    person('fapi-network', NETWORK_ADMIN)
                    institution('fapi-donghu') {
                        unit('fapi-lab')
                        person('fapi-admin', INSTITUTION_ADMIN)
                        person('fapi-user', USER)
                        instrument('API NMR', unit: 'fapi-lab')
                        instrument('API TEM', unit: 'fapi-lab')
                    }
                    institution('fapi-xiling') {
                        unit('fapi-xlab')
                        person('fapi-other', INSTITUTION_ADMIN)
                        instrument('API XRD', unit: 'fapi-xlab')
                    }
                }
            }
            institution('fapi-outside') {
                person('fapi-outsider', INSTITUTION_ADMIN)
            }
        }
        nmr = world.instrument('API NMR').id
        tem = world.instrument('API TEM').id
        xrd = world.instrument('API XRD').id
        member = UUID.randomUUID()
        own = UUID.randomUUID()
        UUID donghu = world.tenant('fapi-donghu').id
        UUID xiling = world.tenant('fapi-xiling').id
        def dh = new FactsFixture(ctx, donghu)
        def xl = new FactsFixture(ctx, xiling)
        UUID booking = UUID.randomUUID()
        dh.deliver(BookingTopics.BOOKING, dh.booking(booking, 2, nmr, at('2026-04-07T01:00:00Z'), at('2026-04-07T04:00:00Z'), member,
                [requesterTenantId: xiling, rateGroup: 'consortium', accountCode: 'ZJ-2026-01']))
        dh.deliver(UsageTopics.USAGE_SESSION, dh.session(UUID.randomUUID(), 1, nmr, at('2026-04-07T01:00:00Z'), at('2026-04-07T03:00:00Z'),
                [bookingId: booking, userId: member]))
        dh.deliver(UsageTopics.USAGE_SESSION, dh.session(UUID.randomUUID(), 1, nmr, at('2026-04-08T01:00:00Z'), at('2026-04-08T02:00:00Z'), [userId: own]))
        dh.deliver(UsageTopics.USAGE_SESSION, dh.session(UUID.randomUUID(), 1, tem, at('2026-05-08T01:00:00Z'), at('2026-05-08T01:30:00Z'), [userId: own]))
        dh.deliver(BillingTopics.CHARGE, dh.charge(UUID.randomUUID(), 1, nmr, at('2026-04-07T01:00:00Z'), 30_000, member,
                [requesterTenantId: xiling, rateGroup: 'consortium', accountCode: 'ZJ-2026-01']))
        // Xiling's own user (the same person as Donghu's consortium member) on Xiling's XRD
        xl.deliver(UsageTopics.USAGE_SESSION, xl.session(UUID.randomUUID(), 1, xrd, at('2026-04-09T01:00:00Z'), at('2026-04-09T05:00:00Z'), [userId: member]))
        // the outside institution's use must never show in the consortium's figures
        def out = new FactsFixture(ctx, world.tenant('fapi-outside').id)
        out.deliver(UsageTopics.USAGE_SESSION, out.session(UUID.randomUUID(), 1, UUID.randomUUID(), at('2026-04-09T01:00:00Z'), at('2026-04-10T01:00:00Z'), [userId: UUID.randomUUID()]))
    }

    static Instant at(String text) {
        Instant.parse(text)
    }

    def "an institution's admin reads an instrument's year, its months and its instruments by user class, a page at a time"() {
        when:
        def year = api.get("${BASE}/instruments/${nmr}/years/2026", world.token('fapi-admin'))
        def months = api.get("${BASE}/months?year=2026", world.token('fapi-admin'))
        def first = api.get("${BASE}/instruments?from=2026-01&to=2026-12&size=2", world.token('fapi-admin'))
        def second = api.get("${BASE}/instruments?from=2026-01&to=2026-12&size=2&page=1", world.token('fapi-admin'))
        def consortium = api.get("${BASE}/instruments?from=2026-04&to=2026-04&userClass=consortium", world.token('fapi-admin'))

        then:
        year.status == 200
        year.body.effectiveHours == 3.0
        year.body.externalHours == 2.0
        year.body.bookedHours == 3.0
        year.body.revenueFen == 30_000
        year.body.externalRevenueFen == 30_000
        year.body.distinctUsers == 2
        year.body.distinctProjects == 1
        year.body.hoursByUserClass == [internal: 1.0, consortium: 2.0, external: 0.0]
        months.status == 200
        months.body.items.collect { [it.month, it.userClass, it.effectiveHours] } ==
                [['2026-04', 'consortium', 2.0], ['2026-04', 'internal', 1.0], ['2026-05', 'internal', 0.5]]
        first.body.total == 3
        first.body.items.size() == 2
        second.body.items.size() == 1
        (first.body.items + second.body.items).collect { [it.instrumentId, it.userClass] } as Set ==
                [[nmr, 'consortium'], [nmr, 'internal'], [tem, 'internal']] as Set
        consortium.body.items.collect { [it.instrumentId, it.userClass, it.distinctUsers, it.distinctProjects] } == [[nmr, 'consortium', 1, 1]]
    }

    def "bad parameters are problem+json with a field error each"() {
        when:
        def list = api.get("${BASE}/instruments?from=2026-13&to=soon&userClass=vip&page=-1&size=0", world.token('fapi-admin'))
        def order = api.get("${BASE}/members?from=2026-05&to=2026-01", world.token('fapi-network'))
        def year = api.get("${BASE}/instruments/${nmr}/years/1999", world.token('fapi-admin'))
        def noYear = api.get("${BASE}/months", world.token('fapi-admin'))

        then:
        list.status == 400
        list.body.code == 'validation_failed' || list.body.type?.toString()?.contains('validation_failed')
        list.body.errors*.field as Set == ['from', 'to', 'userClass', 'page', 'size'] as Set
        order.status == 400
        order.body.errors*.field == ['to']
        year.status == 400
        year.body.errors*.field == ['year']
        noYear.status == 400
        noYear.body.errors*.field == ['year']
    }

    def "the network's and the consortium's admins read their members as aggregates only, and nothing of an institution's drill-down"() {
        when:
        def network = api.get("${BASE}/members?from=2026-01&to=2026-12", world.token('fapi-network'))
        def bureau = api.get("${BASE}/members?from=2026-01&to=2026-12&size=1", world.token('fapi-bureau'))
        def text = world.api().write(network.body) + world.api().write(bureau.body)
        def drill = api.get("${BASE}/instruments?from=2026-01&to=2026-12", world.token('fapi-network'))
        def year = api.get("${BASE}/instruments/${nmr}/years/2026", world.token('fapi-bureau'))
        def byInstitution = api.get("${BASE}/members?from=2026-01&to=2026-12", world.token('fapi-admin'))
        def byUser = api.get("${BASE}/instruments?from=2026-01&to=2026-12", world.token('fapi-user'))

        then:
        network.status == 200
        network.body.items.collect { [it.slug.startsWith('fapi-donghu'), it.effectiveHours, it.externalHours, it.revenueFen, it.distinctUsers, it.instruments] } ==
                [[true, 3.5, 2.0, 30_000, 2, 2], [false, 4.0, 0.0, 0, 1, 1]]
        network.body.total.effectiveHours == 7.5
        network.body.total.distinctUsers == 2          // the person who used both institutions counts once
        network.body.total.tenantId == null
        network.body.totalItems == 2
        bureau.status == 200
        bureau.body.totalItems == 2                     // the consortium reaches its network's members, not the outside one
        bureau.body.items.size() == 1
        bureau.body.total.effectiveHours == 7.5
        [nmr, tem, xrd, member.toString(), own.toString()].every { !text.contains(it) }
        drill.status == 403
        year.status == 403
        byInstitution.status == 403
        byUser.status == 403
    }

    def "another institution's admin finds nothing of Donghu's instruments (isolation probe)"() {
        given:
        def snapshot = { api.get("${BASE}/instruments/${nmr}/years/2026", world.token('fapi-admin')).body }
        def headers = [Authorization: 'Bearer ' + world.token('fapi-other'), 'Accept-Language': 'en']

        when:
        def report = IsolationProbe.against(baseUrl, headers)
                .probe('GET', "${BASE}/instruments/{id}/years/2026")
                .probe('GET', "${BASE}/months?year=2026&instrumentId={id}")
                .probe('GET', "${BASE}/instruments?from=2026-01&to=2026-12&instrumentId={id}")
                .listing('GET', "${BASE}/instruments?from=2026-01&to=2026-12&size=200")
                .listing('GET', "${BASE}/months?year=2026")
                .run([nmr, tem], snapshot)

        then:
        report.leaks() == []
        !report.dataOfOwnerChanged()
        report.probesMade() > 0
    }
}
