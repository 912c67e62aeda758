package org.labcommons.tenantadmin.onboarding

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.testkit.IsolationProbe
import spock.lang.Shared

/**
 * A network admin of one network can neither see nor act on another network's applications or
 * members: every answer about network A's ids, asked by network B's admin, equals the answer for
 * an id that does not exist, and A's data is unchanged. An institution admin gets 403 everywhere.
 */
class OnboardingIsolationSpec extends ManyFormsSpec {

    @Inject JsonMapper json
    @Shared NetworkFixture f

    static final List<List<String>> PROBES = [
            ['GET', '/api/v1/onboarding/applications/{id}', null],
            ['POST', '/api/v1/onboarding/applications/{id}/approve', null],
            ['POST', '/api/v1/onboarding/applications/{id}/reject', '{"reason":"taken over"}'],
            ['POST', '/api/v1/onboarding/applications/{id}/resend-invitation', null],
            ['POST', '/api/v1/onboarding/applications/{id}/identity-provider/test', null],
            ['GET', '/api/v1/onboarding/members/{id}', null],
            ['POST', '/api/v1/onboarding/members/{id}/suspend', '{"reason":"taken over"}'],
            ['POST', '/api/v1/onboarding/members/{id}/reactivate', '{"reason":"taken over"}'],
            ['GET', '/api/v1/onboarding/members/{id}/identity-providers', null],
            ['POST', '/api/v1/onboarding/members/{id}/identity-providers/test', null],
            ['GET', '/api/v1/onboarding/members/{id}/invitations', null],
            ['POST', '/api/v1/onboarding/members/{id}/invitations', '{"email":"intruder@evil.example"}'],
            ['POST', '/api/v1/onboarding/members/{id}/invitations/00000000-0000-0000-0000-000000000001/resend', null]]

    def setup() {
        if (f == null) {
            f = new NetworkFixture(ctx)
        }
    }

    IsolationProbe probe(Map<String, String> headers) {
        def p = IsolationProbe.against("http://localhost:${server.port}", headers + ['Accept-Language': 'en'])
        PROBES.each { m, path, body -> p.probe(m, path, body) }
        p
    }

    def "network B's admin reaches none of network A's applications or members"() {
        given: "A's data: a submitted application, an invited one, an approved member"
        def submitted = f.apply(f.application("iso-s-${f.run}".toString())).body.id as String
        def invited = f.post('/api/v1/onboarding/applications', f.tokenA, [nameZh: '受邀', nameEn: 'Invited',
                contactName: 'x', contactEmail: "iso-${f.run}@x.example".toString()]).body.application.id as String
        def approvedApp = f.apply(f.application("iso-m-${f.run}".toString())).body.id
        def member = f.approve(approvedApp).body.provisionedTenantId as String
        def snapshotOfA = {
            [f.send('GET', '/api/v1/onboarding/applications?size=100', f.tokenA).body.items.collect { [it.id, it.status, it.version] },
             f.send('GET', '/api/v1/onboarding/members?size=100', f.tokenA).body.items.collect { [it.tenantId, it.status] },
             f.send('GET', "/api/v1/onboarding/members/${member}/invitations", f.tokenA).body.collect { [it.id, it.state] }]
        }

        when:
        def report = probe([Authorization: 'Bearer ' + f.tokenB])
                .run([submitted, invited, approvedApp as String, member, f.memberOfA.toString()], snapshotOfA)
        println "isolation probe (onboarding): ${report.probesMade()} probes, ${report.leaks().size()} leaks"

        then:
        report.leaks() == []
        !report.dataOfOwnerChanged()
        report.outcomes().every { it.foreignStatus() == 404 }

        when: "B names A's network in the tenant header"
        def header = f.send('GET', '/api/v1/onboarding/applications', f.tokenB, null, ['X-LabCommons-Tenant': "net-a-${f.run}".toString()])

        then:
        header.status == 404

        when: 'the same reads made by A itself tell its own resources from missing ones (the probe can fail)'
        def control = IsolationProbe.against("http://localhost:${server.port}", [Authorization: 'Bearer ' + f.tokenA])
                .probe('GET', '/api/v1/onboarding/applications/{id}')
                .probe('GET', '/api/v1/onboarding/members/{id}')
                .run([submitted, member], { null })

        then:
        control.leaks().size() == 2
    }

    def "an institution admin cannot use the onboarding endpoints (#method #path)"() {
        when:
        def r = f.send(method, path.replace('{id}', f.memberOfA.toString()), f.tokenInstitutionAdmin, body)

        then:
        r.status == 403
        r.body.code == 'forbidden'

        where:
        [method, path, body] << (PROBES + [['GET', '/api/v1/onboarding/applications', null],
                                          ['POST', '/api/v1/onboarding/applications', '{"nameZh":"x","nameEn":"x","contactName":"x","contactEmail":"a@b.example"}'],
                                          ['GET', '/api/v1/onboarding/members', null]])
    }

    def "without a token the onboarding API answers 401; the public form needs none"() {
        expect:
        f.send('GET', '/api/v1/onboarding/applications', null).status == 401
        f.send('GET', '/api/v1/onboarding/members', null).status == 401
        f.send('GET', '/api/v1/public/onboarding/networks', null).status == 200
    }
}
