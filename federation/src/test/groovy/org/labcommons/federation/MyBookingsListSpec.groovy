package org.labcommons.federation

import jakarta.inject.Inject
import org.labcommons.core.booking.BookingClock
import org.labcommons.core.booking.BookingService
import org.labcommons.core.booking.MyBookingsList
import org.labcommons.core.booking.MyBookingsRows
import org.labcommons.core.security.AuthenticatedUser
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.ZoneOffset

/**
 * The one "my bookings" list ({@link MyBookingsList}) on the real stack: a person's bookings at
 * home and those held at another institution (the federation's linked records) in one order (not
 * ended first, soonest first; then ended, latest first), paged; each with where it is, whether it
 * is assisted and its estimated cost; nobody sees another's bookings (the facts' store reads only
 * the person's rows, and nothing across tenants). Also: a decision at the owner reaches the
 * requester's own notices at home. The booking clock is fixed at 2030-03-04T00:00Z.
 */
class MyBookingsListSpec extends PlatformSpec {
    static final Instant NOW = Instant.parse('2030-03-04T00:00:00Z')

    @Inject BookingClock clock
    @Inject BookingService bookings
    @Inject MyBookingsList list
    @Inject MyBookingsRows rows
    @Inject TenantTransactions tenants
    @Shared FederationFixture f
    @Shared Map<String, String> ids

    def setup() {
        clock.set(Clock.fixed(NOW, ZoneOffset.UTC))
        if (f == null) {
            f = new FederationFixture(ctx)
            ids = f.aliceAndAnnAtB()
            ids.putAll(HomeBookings.ofAlice(f, clock, NOW))
        }
    }

    def cleanup() {
        clock.set(null)
    }

    AuthenticatedUser person(String who) {
        new AuthenticatedUser(f.users[who], 'test', who, f.tenant.a, f.tenant.a, [])
    }

    MyBookingsList.Listing page(String who, int page, int size, Instant now = NOW) {
        def held = bookings.mine(f.tenant.a, f.users[who], now.minus(Duration.ofDays(90)), now.plus(Duration.ofDays(366)))
        list.page(new MyBookingsList.Held(f.tenant.a, null, '联邦a大学', 'Federation A University', held), f.users[who],
                person(who), now, page, size)
    }

    def "home and elsewhere in one order: not ended first, soonest first, then the ended, latest first"() {
        when:
        def all = page('alice', 0, 10)

        then: 'B 5 Mar 09:00, A 5 Mar 14:00, B 6 Mar, B 7 Mar (cancelled, not yet ended); then A 25 Feb'
        all.items()*.bookingId()*.toString() == [ids.a1, ids.h1, ids.a2, ids.a3, ids.p1]
        all.items()*.upcoming() == [true, true, true, true, false]
        all.items()*.elsewhere() == [true, false, true, true, false]
        all.total() == 5
        all.anyUpcoming()

        and: 'where, assisted and the estimate of each'
        def h1 = all.items()[1]
        [h1.ownerNameZh(), h1.unitNameZh(), h1.building(), h1.room(), h1.instrumentNameZh()] == ['联邦a大学', '化学系', 'A楼', '101', 'X射线衍射仪']
        h1.assisted()
        h1.estimatedCostFen() == 123_450L
        h1.status() == 'requested'
        def a2 = all.items()[2]
        [a2.ownerNameZh(), a2.unitNameZh(), a2.instrumentNameZh()] == ['联邦b大学', '实验室', '核磁共振波谱仪']
        a2.assisted() == false
        a2.estimatedCostFen() == 60_000L
        a2.booking() == null
        all.items()[4].booking().id().toString() == ids.p1

        when: 'a month later everything has ended'
        def later = page('alice', 0, 10, Instant.parse('2030-04-05T00:00:00Z'))

        then: 'latest first, and nothing is upcoming'
        later.items()*.bookingId()*.toString() == [ids.a3, ids.a2, ids.h1, ids.a1, ids.p1]
        !later.anyUpcoming()
    }

    def "pages of two: the same order across pages, the total of both sources, a page past the end answers the last"() {
        expect:
        page('alice', 0, 2).items()*.bookingId()*.toString() == [ids.a1, ids.h1]
        page('alice', 1, 2).items()*.bookingId()*.toString() == [ids.a2, ids.a3]
        page('alice', 2, 2).items()*.bookingId()*.toString() == [ids.p1]
        page('alice', 2, 2).total() == 5
        page('alice', 7, 2).items()*.bookingId()*.toString() == [ids.p1]
    }

    def "nobody sees another's bookings: ann's list holds only hers, and the facts' store reads only the person's rows in the bound tenant"() {
        when:
        def ann = page('ann', 0, 10)

        then:
        ann.items()*.bookingId()*.toString() == [ids.n1]
        ann.total() == 1

        and: "alice's home booking read as ann's, or from B's transaction, or with no tenant bound: nothing"
        tenants.inTenant(f.tenant.a) { c -> rows.facts([UUID.fromString(ids.h1)], f.users.ann) }.isEmpty()
        tenants.inTenant(f.tenant.b) { c -> rows.facts([UUID.fromString(ids.h1)], f.users.alice) }.isEmpty()
        tenants.inTenant(f.tenant.a) { c -> rows.facts([UUID.fromString(ids.h1)], f.users.alice) }*.bookingId() == [UUID.fromString(ids.h1)]
        PlatformSpec.appConnection().withCloseable { c ->
            def ps = c.prepareStatement('select count(*) from booking where id = ?'); ps.setObject(1, UUID.fromString(ids.h1))
            def rs = ps.executeQuery(); rs.next(); rs.getLong(1)
        } == 0L
    }

    def "a decision at the owner reaches the requester among her own notices at home, linked to the booking, without a second mail"() {
        expect: "a1 was approved by B's staff: A holds alice's notice, with no mail of its own"
        FederationFixture.eventually {
            TenantWorld.inTenant(f.tenant.a.value()) { c ->
                def ps = c.prepareStatement("select count(*) from notification where booking_id = ? and user_id = ? " +
                        "and kind = 'booking.approved' and email_status = 'none'")
                ps.setObject(1, UUID.fromString(ids.a1)); ps.setObject(2, f.users.alice)
                def rs = ps.executeQuery(); rs.next(); rs.getLong(1)
            } == 1L
        }
        def notice = f.api.send('GET', '/api/v1/notifications', f.tokens.alice, null,
                ['X-LabCommons-Tenant': f.tenant.a.toString(), 'Accept-Language': 'zh-CN']).body.items.find { it.bookingId == ids.a1 }
        notice.kind == 'booking.approved'
        notice.link == "/my/bookings#booking-${ids.a1}".toString()
        notice.text.contains('联邦b大学')
    }
}
