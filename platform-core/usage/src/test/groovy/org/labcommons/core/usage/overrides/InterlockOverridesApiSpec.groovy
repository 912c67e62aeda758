package org.labcommons.core.usage.overrides

import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import java.time.Instant
import java.time.temporal.ChronoUnit

import static org.labcommons.testkit.TenantWorld.*

/**
 * Staff overrides of an instrument's interlock through the API: created with a reason and audited, listed, revoked;
 * bad fields answered as problem+json field errors; only the instrument's staff; another tenant's caller finds nothing.
 */
class InterlockOverridesApiSpec extends PlatformSpec {
    @Shared TenantWorld world
    @Shared UUID nmr
    @Shared UUID tenant

    def setup() {
        if (world != null) {
            return
        }
        def made = TenantWorld.build(ctx) {
            institution('ovr-donghu') {
                unit('chem')
                person('ovr-staff', INSTRUMENT_ADMIN, unit: 'chem')
                person('ovr-user', USER)
                instrument('NMR interlocked', unit: 'chem', scope: 'tenant')
            }
            institution('ovr-xiling') { person('ovr-admin', INSTITUTION_ADMIN) }
        }
        nmr = UUID.fromString(made.instrument('NMR interlocked').id as String)
        tenant = UUID.fromString(made.tenant('ovr-donghu').id as String)
        world = made
    }

    String path(String rest = '') { "/api/v1/instruments/${nmr}/interlock/overrides${rest}" }

    long audited(String action, String overrideId) {
        TenantWorld.inTenant(tenant) { c ->
            def ps = c.prepareStatement("select count(*) from audit_event where action = ? and target_id = ? and details::text like ?")
            ps.setString(1, action)
            ps.setString(2, nmr.toString())
            ps.setString(3, "%${overrideId}%".toString())
            ps.executeQuery().with { next(); getLong(1) }
        }
    }

    def "staff extend the current use with a reason (201, audited), see it listed, and revoke it (audited; a second revoke is 409)"() {
        given:
        def until = Instant.now().plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)

        when:
        def made = api.post(path(), world.token('ovr-staff'), [action: 'extend', until: until.toString(), reason: 'overnight acquisition'])

        then:
        made.status == 201
        made.body.action == 'extend'
        Instant.parse(made.body.until) == until
        made.body.reason == 'overnight acquisition'
        made.body.createdBy == world.person('ovr-staff').userId.toString()
        made.body.revokedAt == null
        audited('interlock.override_created', made.body.id) == 1
        api.get(path(), world.token('ovr-staff')).body.items*.id.contains(made.body.id)

        when:
        def revoked = api.delete(path("/${made.body.id}"), world.token('ovr-staff'))
        def again = api.delete(path("/${made.body.id}"), world.token('ovr-staff'))

        then:
        revoked.status == 200
        revoked.body.revokedAt != null
        audited('interlock.override_revoked', made.body.id) == 1
        again.status == 409
        again.body.code == 'wrong_state'
        !(api.get(path(), world.token('ovr-staff')).body.items ?: [])*.id.contains(made.body.id)   // an empty list is left out
        api.get(path('?all=true'), world.token('ovr-staff')).body.items*.id.contains(made.body.id)
    }

    def "unlock and lock now need only a reason"() {
        expect:
        api.post(path(), world.token('ovr-staff'), [action: 'lock', reason: 'spill on the bench']).status == 201
        api.post(path(), world.token('ovr-staff'), [action: 'unlock', reason: 'service check',
                                                    until: Instant.now().plusSeconds(3600).toString()]).status == 201
    }

    def "bad fields are 400 validation_failed naming each field; nothing is written"() {
        given:
        int before = (api.get(path('?all=true'), world.token('ovr-staff')).body.items ?: []).size()

        when:
        def r = api.post(path(), world.token('ovr-staff'), body)

        then:
        r.status == 400
        r.body.code == 'validation_failed'
        r.body.errors*.field as Set == fields as Set
        (api.get(path('?all=true'), world.token('ovr-staff')).body.items ?: []).size() == before

        where:
        body                                                                          | fields
        [action: 'extend', reason: 'late run']                                        | ['until']
        [action: 'open', reason: 'why not']                                           | ['action']
        [action: 'lock', reason: '  ']                                                | ['reason']
        [action: 'lock']                                                              | ['reason']
        [action: 'extend', until: '2020-01-01T00:00:00Z', reason: 'x']                | ['until']
        [action: 'extend', until: Instant.now().plusSeconds(30 * 86400).toString(), reason: 'x'] | ['until']
        [action: 'unlock', reason: 'x' * 1001]                                        | ['reason']
    }

    def "only the instrument's staff: a user of the institution is refused (403), another institution's admin finds nothing (404)"() {
        expect:
        api.post(path(), world.token('ovr-user'), [action: 'lock', reason: 'mine']).status == 403
        api.get(path(), world.token('ovr-user')).status == 403
        api.post(path(), world.token('ovr-admin'), [action: 'lock', reason: 'theirs']).status == 404
        api.get(path(), world.token('ovr-admin')).status == 404
        api.delete(path("/${UUID.randomUUID()}"), world.token('ovr-admin')).status == 404
        api.delete(path("/${UUID.randomUUID()}"), world.token('ovr-staff')).status == 404
    }
}
