package org.labcommons.core.org

import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback
import org.labcommons.core.catalog.TwoTenantSpec
import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.IsolationProbe

/** Departments, labs and platforms with levels and modes; admins per unit, whose role covers the unit's instruments. */
class OrgStructureSpec extends TwoTenantSpec {
    String tokenOfA(String subject) {
        String issuerId = "iso-a-${f.run}"
        SharedDevStack.get().identityProvider().server().issueToken(issuerId, 'client', new DefaultOAuth2TokenCallback(issuerId,
                subject, 'JWT', ['labcommons'], [:], 3600)).serialize()
    }

    Map instrument(String asset, String unitId) {
        [assetNumber: asset, nameZh: '原子力显微镜', nameEn: 'Atomic force microscope', originalValueFen: 170_000_000,
         classificationCode: '010803', orgUnitId: unitId, sharingScope: 'public']
    }

    def "a unit admin manages the instruments of the unit and the units below it, and nothing else"() {
        given: 'a college with a platform (level 2, run centrally) under it, and another department'
        def college = f.create(f.tokenA, [kind: 'department', code: "MSE-${f.run}".toString(), nameZh: '材料学院', nameEn: 'Materials']).body
        def platform = f.create(f.tokenA, [kind: 'platform', code: "AFM-${f.run}".toString(), nameZh: '显微平台', nameEn: 'Microscopy',
                                           parentId: college.id, platformLevel: 2, managementMode: 'central']).body
        def other = f.create(f.tokenA, [kind: 'department', code: "BIO-${f.run}".toString(), nameZh: '生物系', nameEn: 'Biology']).body
        String subject = "unit-admin-${f.run}".toString()

        when: 'the institution admin assigns a platform admin on the college'
        def assigned = f.send('POST', "/api/v1/org-units/${college.id}/admins", f.tokenA,
                json.writeValueAsString([subject: subject, role: 'platform_admin']))
        def token = tokenOfA(subject)

        then:
        assigned.status == 201
        f.send('GET', "/api/v1/org-units/${college.id}/admins", f.tokenA).body.items*.subject == [subject]

        expect: 'the unit admin may create in the platform below the college but not in the other department'
        f.send('POST', '/api/v1/instruments', token, json.writeValueAsString(instrument("U1-${f.run}", platform.id))).status == 201
        f.send('POST', '/api/v1/instruments', token, json.writeValueAsString(instrument("U2-${f.run}", other.id))).status == 403
        f.send('POST', '/api/v1/org-units', token, json.writeValueAsString([kind: 'lab', code: "X-${f.run}".toString(), nameZh: '甲', nameEn: 'A'])).status == 403

        when: 'the assignment is revoked'
        def revoked = f.send('DELETE', "/api/v1/org-units/${college.id}/admins/${assigned.body.assignmentId}", f.tokenA)

        then:
        revoked.status == 204
        f.send('POST', '/api/v1/instruments', token, json.writeValueAsString(instrument("U3-${f.run}", platform.id))).status == 403
    }

    def "a unit moves, keeps its level and mode rules, and cannot move under itself"() {
        given:
        def a = f.create(f.tokenA, [kind: 'department', code: "MV-A-${f.run}".toString(), nameZh: '甲系', nameEn: 'A']).body
        def b = f.create(f.tokenA, [kind: 'lab', code: "MV-B-${f.run}".toString(), nameZh: '乙室', nameEn: 'B', parentId: a.id]).body

        when:
        def moved = f.send('PUT', "/api/v1/org-units/${a.id}", f.tokenA, json.writeValueAsString(
                [kind: 'department', code: a.code, nameZh: '甲系', nameEn: 'A', parentId: b.id]))
        def renamed = f.send('PUT', "/api/v1/org-units/${b.id}", f.tokenA, json.writeValueAsString(
                [kind: 'platform', code: b.code, nameZh: '乙平台', nameEn: 'B platform', parentId: a.id, platformLevel: 3, managementMode: 'group']))

        then:
        moved.status == 400
        moved.body.errors*.code == ['cycle']
        renamed.status == 200
        renamed.body.platformLevel == 3
        renamed.body.managementMode == 'group'
    }

    def "tenant B cannot read, change or staff tenant A's units"() {
        given:
        def unit = f.create(f.tokenA, [kind: 'lab', code: "ISO-U-${f.run}".toString(), nameZh: '丙室', nameEn: 'C']).body
        def snapshot = { [f.send('GET', "/api/v1/org-units/${unit.id}", f.tokenA).body, f.send('GET', "/api/v1/org-units/${unit.id}/admins", f.tokenA).body] }

        when:
        def report = IsolationProbe.against("http://localhost:${server.port}", [Authorization: 'Bearer ' + f.tokenB])
                .probe('PUT', '/api/v1/org-units/{id}', '{"kind":"lab","code":"TAKEN","nameZh":"接管","nameEn":"Takeover"}')
                .probe('GET', '/api/v1/org-units/{id}/admins')
                .probe('POST', '/api/v1/org-units/{id}/admins', '{"subject":"intruder","role":"platform_admin"}')
                .probe('DELETE', '/api/v1/org-units/{id}/admins/{id}')
                .run([unit.id as String], snapshot)
        println "isolation probe (org structure): ${report.probesMade()} probes, ${report.leaks().size()} leaks"

        then:
        report.leaks() == []
        !report.dataOfOwnerChanged()
    }
}
