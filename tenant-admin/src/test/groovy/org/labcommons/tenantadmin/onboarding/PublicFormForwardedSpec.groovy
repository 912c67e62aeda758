package org.labcommons.tenantadmin.onboarding

import org.labcommons.testkit.PlatformSpec

/**
 * Behind a trusted proxy (here the test's own loopback peer) the public form is limited per
 * forwarded client address: the address the proxy appended, never one the client wrote itself. The
 * audit log records the same resolved address.
 */
class PublicFormForwardedSpec extends PlatformSpec {

    @Override
    Map<String, String> ownProperties() {
        ['labcommons.onboarding.form-limit-per-address': '3', 'labcommons.trusted-proxies': '127.0.0.0/8,::1/128']
    }

    def "each forwarded client has its own allowance, and a left-most entry the client wrote is ignored"() {
        given:
        def f = new NetworkFixture(ctx)
        def from = { String xff -> f.send('POST', '/api/v1/public/onboarding/applications', null, '{"network":"nowhere"}',
                ['X-Forwarded-For': xff]).status }

        when: 'client A uses its three attempts, then spoofs another left-most entry'
        def a = (1..3).collect { from('198.51.100.10') }
        def aSpoofing = from("192.0.2.${f.run.hashCode() & 0xff}, 198.51.100.10")
        and: 'client B, behind the same proxy, still has its own'
        def b = from('198.51.100.20')
        def bThroughTwoProxies = from('198.51.100.20, 127.0.0.9')

        then:
        a == [400, 400, 400]          // allowed through the limiter (and refused as invalid)
        aSpoofing == 429
        b == 400
        bThroughTwoProxies == 400
    }

    def "the audit entry of a filed application names the forwarded client, not an address the client wrote"() {
        given:
        def f = new NetworkFixture(ctx)
        def slug = "fwd-${f.run}".toString()

        when: 'a client behind the trusted proxy files an application, with a faked left-most entry'
        def filed = f.send('POST', '/api/v1/public/onboarding/applications', null,
                groovy.json.JsonOutput.toJson(f.application(slug)), ['X-Forwarded-For': '192.0.2.66, 198.51.100.30'])

        then:
        filed.status == 201
        f.count(f.networkA, "select count(*) from audit_event where action = 'onboarding.application.submitted' " +
                "and details::text like '%${slug}%' and client_address = '198.51.100.30'") == 1
        f.count(f.networkA, "select count(*) from audit_event where client_address = '192.0.2.66'") == 0
    }
}
