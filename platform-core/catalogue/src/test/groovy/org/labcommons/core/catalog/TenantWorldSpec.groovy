package org.labcommons.core.catalog

import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld

import static org.labcommons.testkit.TenantWorld.*

/**
 * The test kit's TenantWorld against the real platform: what a recipe writes is what the API then
 * sees (tenants and their parents, units, people with their roles, tokens, an instrument), and a
 * person of one tenant reaches nothing of another's. Here because instruments need the catalogue.
 */
class TenantWorldSpec extends PlatformSpec {

    def "a recipe makes a consortium, a network, an institution with units, people with roles, and an instrument"() {
        when:
        def world = TenantWorld.build(ctx) {
            consortium('lc') {
                network('east') {
                    institution('donghu', nameZh: '东湖大学', nameEn: 'Donghu University') {
                        unit('chem')
                        unit('nmr-lab', kind: 'lab', parent: 'chem')
                        person('alice', INSTITUTION_ADMIN)
                        person('bob', INSTRUMENT_ADMIN, unit: 'chem')
                        instrument('NMR 400', unit: 'nmr-lab')
                    }
                }
            }
        }
        def alice = api.get('/api/v1/me', world.token('alice'))
        def bob = api.get('/api/v1/me', world.token('bob'))
        def nmr = api.get("/api/v1/instruments/${world.instrument('NMR 400').id}", world.token('alice'))

        then: 'the people are who the world says, in their institution, with their roles'
        alice.status == 200
        alice.body.userId == world.person('alice').userId.toString()
        alice.body.subject == "alice-${world.run}".toString()
        alice.body.homeTenant == world.tenant('donghu').id.toString()
        alice.body.roles.collect { [it.role, it.scopeType] } == [['institution_admin', 'tenant']]
        bob.body.roles.collect { [it.role, it.scopeType, it.scopeId] } == [['instrument_admin', 'org_unit', world.unit('donghu', 'chem').toString()]]

        and: 'the instrument is in its unit, readable through the API'
        nmr.status == 200
        nmr.body.nameEn == 'NMR 400'
        nmr.body.orgUnitId == world.unit('donghu', 'nmr-lab').toString()

        and: 'the tenants hang from each other, and the lab from the department'
        parentOf('tenant', world.tenant('donghu').id) == world.tenant('east').id
        parentOf('tenant', world.tenant('east').id) == world.tenant('lc').id
        TenantWorld.inTenant(world.tenant('donghu')) { c ->
            c.prepareStatement("select parent_id, kind, code from org_unit where id = '${world.unit('donghu', 'nmr-lab')}'").executeQuery()
                    .with { next(); [getObject(1, UUID), getString(2), getString(3)] }
        } == [world.unit('donghu', 'chem'), 'lab', 'NMR-LAB']
    }

    def "a person of one institution reaches nothing of another; a role granted there lets them act in it"() {
        given:
        def world = TenantWorld.build(ctx) {
            institution('donghu') { instrument('TEM', scope: 'tenant') }
            institution('xiling') { person('carol', USER) }
        }
        String temPath = "/api/v1/instruments/${world.instrument('TEM').id}"

        expect: 'carol, of Xiling, does not see Donghu\'s institution-only instrument'
        api.get(temPath, world.token('carol')).status == 404

        when: 'Donghu makes her a user there, and she acts in Donghu'
        world.grant('carol', 'donghu', USER)
        def asOutsider = api.send('GET', '/api/v1/me', world.token('carol'), null)
        def inDonghu = api.send('GET', '/api/v1/me', world.token('carol'), null, ['X-LabCommons-Tenant': world.tenant('donghu').slug])

        then:
        asOutsider.body.actingTenant == world.tenant('xiling').id.toString()
        inDonghu.status == 200
        inDonghu.body.actingTenant == world.tenant('donghu').id.toString()
        inDonghu.body.roles*.role == ['user']
    }

    def "a world refuses a name it already has, and names it does not have"() {
        given:
        def world = TenantWorld.build(ctx) { institution('a') { person('p') } }

        when:
        world.and { institution('a') }

        then:
        IllegalArgumentException twice = thrown()
        twice.message.contains("already has a tenant named 'a'")

        when:
        world.token('nobody')

        then:
        IllegalArgumentException missing = thrown()
        missing.message.contains("no person named 'nobody'")
    }

    private static UUID parentOf(String table, UUID id) {
        TenantWorld.jdbc { c ->
            c.prepareStatement("select parent_id from ${table} where id = '${id}'").executeQuery().with { next(); getObject(1, UUID) }
        }
    }
}
