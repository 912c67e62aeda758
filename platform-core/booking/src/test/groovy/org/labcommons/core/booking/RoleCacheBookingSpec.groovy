package org.labcommons.core.booking

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.core.audit.AuditEntry
import org.labcommons.core.org.UnitAdmins
import org.labcommons.core.security.Role
import org.labcommons.core.security.RoleAssignments
import org.labcommons.core.security.ScopeType
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.PlatformSpec
import spock.lang.Shared

import java.time.Clock
import java.time.Instant
import java.time.ZoneOffset

/**
 * The request path remembers role assignments per (tenant, user) ({@link RoleAssignments}, here with
 * a 1 s lifetime): a change made through this instance's grant and revoke paths acts on the very
 * next request (a revoked instrument admin can no longer book the private instrument; a new one
 * can at once); a change this instance did not make (another instance, here plain SQL) acts within
 * the lifetime and not later.
 */
class RoleCacheBookingSpec extends PlatformSpec {
    static final Instant NOW = Instant.parse('2030-03-04T00:00:00Z')

    @Inject TenantTransactions tenants
    @Inject RoleAssignments roles
    @Inject UnitAdmins unitAdmins
    @Inject JsonMapper json
    @Inject BookingClock clock
    @Shared BookingFixture f

    @Override
    Map<String, String> ownProperties() {
        ['labcommons.security.role-cache-ttl': '1s']
    }

    def setup() {
        if (f == null) {
            f = new BookingFixture(ctx)
        }
        clock.set(Clock.fixed(NOW, ZoneOffset.UTC))
    }

    def cleanup() {
        clock.set(null)
    }

    /** A private instrument of A's lab (private needs an exemption reason). */
    UUID privateInstrument() {
        UUID id = f.instrument()
        tenants.inTenant(f.tenantA) { c ->
            c.prepareStatement("update instrument set sharing_scope = 'private', exemption_reason = 'classified' where id = ?").with {
                setObject(1, id); executeUpdate()
            }
            null
        }
        f.openRules(id)
        id
    }

    String slot(int hour) {
        String.format('2030-03-05T%02d:00:00+08:00', hour)
    }

    String slotEnd(int hour) {
        String.format('2030-03-05T%02d:30:00+08:00', hour)
    }

    def "a unit admin revoked on this instance can no longer book the private instrument on the very next request"() {
        given:
        UUID priv = privateInstrument()
        def actor = new AuditEntry.Actor(null, 'spec', f.tenantA.toString())

        expect: 'alice is no staff yet: the private instrument does not exist for her (and her roles are now remembered)'
        f.book('alice', priv, slot(9), slotEnd(9)).status == 404

        when: 'she is made instrument admin of the lab: the next request sees it'
        def assignment = unitAdmins.assign(f.tenantA, actor, f.lab,
                new UnitAdmins.Assignment(SharedDevStack.get().identityProvider().issuer(f.issuerNames.a),
                        "alice-${f.run}".toString(), 'instrument_admin'))
        def booked = f.book('alice', priv, slot(10), slotEnd(10))

        then:
        booked.status == 201

        when: 'the role is revoked: the very next request is refused, well within the cache lifetime'
        unitAdmins.revoke(f.tenantA, actor, f.lab, assignment.assignmentId())
        def refused = f.book('alice', priv, slot(11), slotEnd(11))

        then:
        refused.status == 404
    }

    def "a role granted through RoleAssignments acts on the next request"() {
        given:
        UUID priv = privateInstrument()

        expect:
        f.book('bob', priv, slot(9), slotEnd(9)).status == 404

        when:
        roles.grant(f.tenantA, f.users.bob, Role.INSTRUMENT_ADMIN, ScopeType.ORG_UNIT, f.lab, null)

        then:
        f.book('bob', priv, slot(10), slotEnd(10)).status == 201
    }

    def "a change this instance did not make acts within the cache lifetime"() {
        given: 'bob is instrument admin of the lab (previous feature) and books, so his roles are remembered'
        UUID priv = privateInstrument()
        assert f.book('bob', priv, slot(12), slotEnd(12)).status == 201

        expect: 'remembered: two reads in a row give the same answer object'
        roles.forUser(f.tenantA, f.users.bob).is(roles.forUser(f.tenantA, f.users.bob))

        when: 'his role disappears behind this instance\'s back (as if revoked through another instance)'
        tenants.inTenant(f.tenantA) { c ->
            def ps = c.prepareStatement("delete from role_assignment where user_id = ? and role = 'instrument_admin'")
            ps.setObject(1, f.users.bob)
            assert ps.executeUpdate() == 1
            null
        }
        Thread.sleep(1200)
        def after = f.book('bob', priv, slot(14), slotEnd(14))

        then: 'it may act until the lifetime ends (the documented bound), not after'
        after.status == 404
    }
}
