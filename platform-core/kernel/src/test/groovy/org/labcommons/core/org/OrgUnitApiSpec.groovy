package org.labcommons.core.org

import jakarta.inject.Inject
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.testkit.IsolationProbe
import org.labcommons.testkit.PlatformSpec
import spock.lang.Shared

class OrgUnitApiSpec extends PlatformSpec {

    @Inject TenantTransactions tenants
    @Shared TwoTenantFixture f

    def setup() {
        if (f == null) {
            f = new TwoTenantFixture(ctx)
        }
    }

    def "an institution admin creates units and reads them back; the change is audited"() {
        when:
        def dept = f.create(f.tokenA, [kind: 'department', code: 'CHEM', nameZh: '化学系', nameEn: 'Chemistry'])
        def lab = f.create(f.tokenA, [kind: 'platform', code: 'NMR', nameZh: '核磁平台', nameEn: 'NMR platform',
                                      parentId: dept.body.id, platformLevel: 2, managementMode: 'central'])

        then:
        dept.status == 201 && lab.status == 201
        f.send('GET', "/api/v1/org-units/${lab.body.id}", f.tokenA).body.nameZh == '核磁平台'
        f.send('GET', "/api/v1/org-units?parentId=${dept.body.id}", f.tokenA).body.items*.code == ['NMR']
        tenants.inTenant(f.tenantA) { c ->
            c.prepareStatement("select count(*) from audit_event where action = 'org_unit.created' and actor_subject = 'admin-a-${f.run}'")
                    .executeQuery().with { next(); getLong(1) }
        } == 2L
    }

    def "bad input gets field-level problems in the caller's language"() {
        when:
        def r = f.create(f.tokenA, [kind: 'castle', code: '', nameZh: '', nameEn: 'x', platformLevel: 7])

        then:
        r.status == 400
        r.body.code == 'validation_failed'
        r.body.errors*.field.containsAll(['kind', 'code', 'nameZh', 'platformLevel'])
        r.body.errors.find { it.field == 'platformLevel' }.message == 'must be at most 3'
    }

    def "a duplicate code is a conflict naming the field"() {
        given:
        f.create(f.tokenA, [kind: 'lab', code: 'DUP-1', nameZh: '甲', nameEn: 'A'])

        when:
        def r = f.create(f.tokenA, [kind: 'lab', code: 'DUP-1', nameZh: '乙', nameEn: 'B'])

        then:
        r.status == 409
        r.body.errors*.field == ['code']
    }

    def "tenant B reaches none of tenant A's units: every answer equals the answer for a missing id"() {
        given: "A's units"
        def parent = f.create(f.tokenA, [kind: 'department', code: 'PHYS', nameZh: '物理系', nameEn: 'Physics']).body
        def child = f.create(f.tokenA, [kind: 'lab', code: 'LASER', nameZh: '激光实验室', nameEn: 'Laser lab', parentId: parent.id]).body
        def snapshotOfA = { f.send('GET', '/api/v1/org-units?size=100', f.tokenA).body.items.collect { [it.id, it.code, it.nameEn, it.parentId] } }

        when: 'B probes them through path, query string and body'
        def report = IsolationProbe.against(baseUrl, [Authorization: 'Bearer ' + f.tokenB, 'Accept-Language': 'en'])
                .probe('GET', '/api/v1/org-units/{id}')
                .probe('GET', '/api/v1/org-units?parentId={id}')
                .probe('POST', '/api/v1/org-units', '{"kind":"lab","code":"TAKEOVER","nameZh":"接管","nameEn":"Takeover","parentId":"{id}"}')
                .run([parent.id as String, child.id as String], snapshotOfA)
        println "isolation probe (org units): ${report.probesMade()} probes, ${report.leaks().size()} leaks"

        then:
        report.leaks() == []
        !report.dataOfOwnerChanged()
        report.outcomes().every { it.foreignStatus() in [400, 404] || it.probe().path().contains('parentId=') }

        when: 'the same probe run as A itself can tell its own units from missing ones (the probe can fail)'
        def control = IsolationProbe.against(baseUrl, [Authorization: 'Bearer ' + f.tokenA])
                .probe('GET', '/api/v1/org-units/{id}')
                .run([child.id as String], { null })

        then:
        control.leaks().size() == 1
    }

    def "without a token the API answers 401 invalid_token"() {
        expect:
        new URL("${baseUrl}/api/v1/org-units").openConnection().with {
            it.responseCode == 401
        }
    }
}
