package org.labcommons.tenantadmin.onboarding

import com.sun.net.httpserver.HttpServer
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.testkit.PlatformSpec
import spock.lang.Shared

import java.util.concurrent.atomic.AtomicInteger

/**
 * Outside dev mode (no dev identity provider configured) an institution may not register an
 * identity provider on a loopback, link-local or unspecified address, nor over plain http; the
 * connection test never fetches from such an address.
 */
class IssuerRegistrationOutsideDevSpec extends PlatformSpec {

    @Shared NetworkFixture f

    @Override
    Map<String, String> ownProperties() {
        ['labcommons.oidc.dev-base-url': '']
    }

    def setup() {
        if (f == null) {
            f = new NetworkFixture(ctx)
        }
    }

    def "outside dev mode #issuer is refused on the issuer field"() {
        when:
        def r = f.apply(f.application("nodev-${index}-${f.run}".toString(), [issuerUrl: issuer]))

        then:
        r.status == 400
        r.body.code == 'validation_failed'
        r.body.errors*.field == ['issuerUrl']
        r.body.errors[0].code == 'loopback'
        r.body.errors[0].message.contains('loopback')

        where:
        issuer                                      | index
        'http://localhost:8081/consortium-like'     | 0
        'https://localhost/realms/x'                | 1
        'https://127.0.0.1/realms/x'                | 2
        'https://127.31.0.7:8443/idp'               | 3
        'https://[::1]/idp'                         | 4
        'https://169.254.169.254/latest/meta-data'  | 5
        'https://sso.localhost/idp'                 | 6
    }

    def "a public https issuer is accepted outside dev mode"() {
        expect:
        f.apply(f.application("nodev-ok-${f.run}".toString(), [issuerUrl: "https://sso-${f.run}.qiantang.example.edu/realms/qt".toString()]))
                .status == 201
    }

    def "an application naming a loopback issuer (filed before the rule) is neither probed nor approved"() {
        given: 'a service on this machine that would answer the connection test'
        def hits = new AtomicInteger()
        def local = HttpServer.create(new InetSocketAddress('127.0.0.1', 0), 0)
        local.createContext('/') { ex -> hits.incrementAndGet(); ex.sendResponseHeaders(200, -1); ex.close() }
        local.start()
        String issuer = "http://localhost:${local.address.port}/internal".toString()
        String slug = "nodev-old-${f.run}".toString()
        UUID id = UUID.randomUUID()
        ctx.getBean(TenantTransactions).inTenant(f.networkA) { c ->
            def v = ApplicationValidator.validate(new ApplicationInput(slug, '旧申请大学', 'Old Application University', '330100',
                    null, '陈老师', "c-${slug}@old.example".toString(), null, issuer, 'labcommons', null, null,
                    ["a-${slug}@old.example".toString()]), ApplicationValidator.Mode.COMPLETE).value()
            ctx.getBean(ApplicationRows).insert(id, 'form', 'submitted', v, null, null)
        }

        when:
        def test = f.send('POST', "/api/v1/onboarding/applications/${id}/identity-provider/test", f.tokenA)
        def approve = f.send('POST', "/api/v1/onboarding/applications/${id}/approve", f.tokenA)

        then: 'the test refuses the address without a request'
        test.status == 200
        test.body.ok == false
        test.body.code == 'invalid_url'
        hits.get() == 0

        and: 'approval is refused on the issuer field; the application stays in the queue'
        approve.status == 400
        approve.body.errors*.field == ['issuerUrl']
        approve.body.errors[0].code == 'loopback'
        f.send('GET', "/api/v1/onboarding/applications/${id}", f.tokenA).body.status == 'submitted'

        cleanup:
        local?.stop(0)
    }
}
