package org.labcommons.core.booking

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.testkit.PlatformSpec
import spock.lang.Shared

import java.time.Clock
import java.time.Instant
import java.time.ZoneOffset

/**
 * Booking another institution's instrument without a role there (/api/v1/federation/{tenant}/…):
 * B's people (adminB, dave: no role in A) book A's consortium-scoped instrument; the booking lives
 * in A under A's rules and approval; what they may not see stays a 404.
 */
class OutsideBookingSpec extends PlatformSpec {
    static final Instant NOW = Instant.parse('2030-03-04T00:00:00Z')

    @Inject TenantTransactions tenants
    @Inject JsonMapper json
    @Inject BookingClock clock
    @Shared BookingFixture f

    def setup() {
        if (f == null) {
            f = new BookingFixture(ctx)
            f.person('dave', 'b')
        }
        clock.set(Clock.fixed(NOW, ZoneOffset.UTC))
    }

    def cleanup() {
        clock.set(null)
    }

    String slotA() { "bk-a-${f.run}".toString() }

    Map outside(String method, String path, String who, Object body = null) {
        f.send(method, "/api/v1/federation/${slotA()}${path}".toString(), who, body)
    }

    def "a user of B books A's consortium instrument from home: A's rules and approval apply, the booking lives in A, a racer gets the conflict"() {
        given:
        def nmr = f.instrument('consortium')
        f.openRules(nmr)

        expect: 'B sees the rules and the free/busy of A instrument'
        outside('GET', "/instruments/${nmr}/booking-rules", 'adminB').body.approvalPolicy == 'outside_users'
        (outside('GET', "/instruments/${nmr}/busy?from=2030-03-05T00:00:00%2B08:00&to=2030-03-06T00:00:00%2B08:00", 'adminB').body.items ?: []) == []

        when:
        def r = outside('POST', "/instruments/${nmr}/bookings", 'adminB',
                [start: '2030-03-05T10:00:00+08:00', end: '2030-03-05T12:00:00+08:00', accountCode: 'B-GRANT-7', purpose: 'NOESY'])

        then: 'requested in A, from B, at the outside rate'
        r.status == 201
        r.body.status == 'requested'
        r.body.requesterTenantId == f.tenantB.toString()
        r.body.requesterUserId == f.users.adminB.toString()
        r.body.rateGroup == 'external'
        r.body.accountCode == 'B-GRANT-7'
        f.count('select count(*) from booking where id = ?', UUID.fromString(r.body.id as String)) == 1
        f.events(r.body.id as String)*.type == ['booking.requested']

        when: 'another user of B races for an overlapping slot'
        def racer = outside('POST', "/instruments/${nmr}/bookings", 'dave',
                [start: '2030-03-05T11:00:00+08:00', end: '2030-03-05T13:00:00+08:00'])

        then: 'a clear conflict with the slot in the way, and no word on who holds it'
        racer.status == 409
        racer.body.code == 'slot_conflict'
        racer.body.conflict.start == '2030-03-05T10:00:00+08:00'
        racer.body.conflict.end == '2030-03-05T12:00:00+08:00'
        !(racer.body.toString().contains(f.users.adminB.toString()))

        when: "A's staff approve on A's own route"
        def approved = f.send('POST', "/api/v1/bookings/${r.body.id}/approve", 'staff', [note: 'OK'])

        then: 'B sees it approved, in its list of bookings at A, and busy shows the slot'
        approved.status == 200
        outside('GET', "/bookings/${r.body.id}", 'adminB').body.status == 'approved'
        outside('GET', '/bookings?from=2030-03-04T00:00:00%2B08:00', 'adminB').body.items*.id == [r.body.id]
        outside('GET', "/instruments/${nmr}/busy?from=2030-03-05T00:00:00%2B08:00&to=2030-03-06T00:00:00%2B08:00", 'dave')
                .body.items.collect { [it.kind, it.start] } == [['booking', '2030-03-05T10:00:00+08:00']]

        and: 'nobody else reaches it through these routes'
        outside('GET', "/bookings/${r.body.id}", 'dave').status == 404
        outside('POST', "/bookings/${r.body.id}/cancel", 'dave').status == 404
        (outside('GET', '/bookings', 'dave').body.items ?: []) == []

        when: 'the requester cancels from home (before the deadline)'
        def cancelled = outside('POST', "/bookings/${r.body.id}/cancel", 'adminB', [note: 'plans changed'])

        then:
        cancelled.status == 200
        cancelled.body.status == 'cancelled'
        f.events(r.body.id as String)*.type == ['booking.requested', 'booking.approved', 'booking.cancelled']
    }

    def "only what B may see of A is bookable from B; A's own people use A's routes"() {
        given:
        def tenantOnly = f.instrument('tenant')
        def privateOne = f.instrument('tenant')
        f.tenants.inTenant(f.tenantA) { c ->
            c.prepareStatement("update instrument set sharing_scope = 'private', exemption_reason = 'classified' where id = ?").with {
                setObject(1, privateOne); executeUpdate()
            }
        }
        def open = f.instrument('public')
        [tenantOnly, privateOne, open].each { f.openRules(it) }
        Map slot = [start: '2030-03-06T10:00:00+08:00', end: '2030-03-06T11:00:00+08:00']

        expect: 'tenant-only and private instruments do not exist for B, whatever the route'
        outside('POST', "/instruments/${tenantOnly}/bookings", 'adminB', slot).status == 404
        outside('POST', "/instruments/${privateOne}/bookings", 'adminB', slot).status == 404
        outside('GET', "/instruments/${tenantOnly}/busy", 'adminB').status == 404
        outside('GET', "/instruments/${privateOne}/booking-rules", 'adminB').status == 404
        f.count('select count(*) from booking where instrument_id in (?, ?)', tenantOnly, privateOne) == 0

        and: 'an unknown institution is a 404 too'
        f.send('POST', "/api/v1/federation/no-such-${f.run}/instruments/${open}/bookings", 'adminB', slot).status == 404

        and: "A's own member is sent to A's routes with a field-level message"
        def own = outside('POST', "/instruments/${open}/bookings", 'alice', slot)
        own.status == 400
        own.body.errors*.field == ['tenant']

        and: 'B may not pick a cheaper rate group from outside'
        def cheap = outside('POST', "/instruments/${open}/bookings", 'adminB', slot + [rateGroup: 'internal'])
        cheap.status == 422
        cheap.body.errors.collect { [it.field, it.code] } == [['rateGroup', 'rate_group_not_yours']]

        when: 'a public instrument is bookable from B'
        def ok = outside('POST', "/instruments/${open}/bookings", 'adminB', slot)

        then:
        ok.status == 201
        ok.body.requesterTenantId == f.tenantB.toString()
    }
}
