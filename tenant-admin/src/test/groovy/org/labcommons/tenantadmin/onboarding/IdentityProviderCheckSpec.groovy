package org.labcommons.tenantadmin.onboarding

import com.sun.net.httpserver.HttpServer
import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.devstack.FreePorts
import org.labcommons.devstack.SharedDevStack
import spock.lang.Shared

/** "Test the connection": each way a registration can be wrong is named plainly. */
class IdentityProviderCheckSpec extends ManyFormsSpec {

    @Inject JsonMapper json
    @Inject IdentityProviderCheck check
    @Shared NetworkFixture f
    @Shared HttpServer fake
    @Shared String fakeBase

    def setupSpec() {
        fake = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0)
        fakeBase = "http://localhost:${fake.address.port}"
        def answers = [
                '/html/.well-known/openid-configuration'    : [200, '<html>sign in</html>'],
                '/status/.well-known/openid-configuration'  : [500, '{}'],
                '/other/.well-known/openid-configuration'   : [200, """{"issuer":"${fakeBase}/elsewhere","jwks_uri":"${fakeBase}/keys"}"""],
                '/nokeys/.well-known/openid-configuration'  : [200, """{"issuer":"${fakeBase}/nokeys"}"""],
                '/emptyset/.well-known/openid-configuration': [200, """{"issuer":"${fakeBase}/emptyset","jwks_uri":"${fakeBase}/empty-jwks"}"""],
                '/empty-jwks'                               : [200, '{"keys":[]}']]
        fake.createContext('/') { ex ->
            def a = answers[ex.requestURI.path] ?: [404, 'no']
            byte[] body = a[1].toString().bytes
            ex.sendResponseHeaders(a[0] as int, body.length)
            ex.responseBody.withCloseable { it.write(body) }
        }
        fake.start()
    }

    def cleanupSpec() {
        fake?.stop(0)
    }

    def setup() {
        if (f == null) {
            f = new NetworkFixture(ctx)
        }
    }

    def "#what: #code"() {
        when:
        def r = check.check(issuer(), Locale.ENGLISH)

        then:
        r.code() == code
        r.ok() == (code == 'ok')
        r.message().contains(fragment)

        where:
        what                          | issuer                                                             | code              | fragment
        'the dev identity provider'   | { SharedDevStack.get().identityProvider().issuer('consortium') }   | 'ok'              | 'Connection works'
        'nobody listens'              | { "http://localhost:${FreePorts.pick(0)}/idp".toString() }         | 'unreachable'     | 'Cannot connect'
        'an HTML page'                | { "${fakeBase}/html".toString() }                                  | 'not_json'        | 'did not return a JSON object'
        'a server error'              | { "${fakeBase}/status".toString() }                                | 'http_status'     | 'answered HTTP 500'
        'another issuer named'        | { "${fakeBase}/other".toString() }                                 | 'issuer_mismatch' | '/elsewhere'
        'no jwks_uri'                 | { "${fakeBase}/nokeys".toString() }                                | 'no_jwks_uri'     | 'no jwks_uri'
        'an empty key set'            | { "${fakeBase}/emptyset".toString() }                              | 'jwks_invalid'    | 'contains no keys'
        'plain http on a real host'   | { 'http://sso.example.edu/idp' }                                   | 'invalid_url'     | 'https://'
        'a trailing slash the provider does not use' | { SharedDevStack.get().identityProvider().issuer('consortium') + '/' } | 'issuer_mismatch' | 'not exactly'
    }

    def "the reviewer tests an application's provider before approving it (in the caller's language)"() {
        given:
        def ok = f.apply(f.application("idpc-${f.run}".toString())).body.id
        def bad = f.apply(f.application("idpb-${f.run}".toString(), [issuerUrl: "${fakeBase}/html".toString()])).body.id

        expect:
        f.send('POST', "/api/v1/onboarding/applications/${ok}/identity-provider/test", f.tokenA).body.code == 'ok'
        with(f.send('POST', "/api/v1/onboarding/applications/${bad}/identity-provider/test", f.tokenA, null, ['Accept-Language': 'zh-CN']).body) {
            code == 'not_json'
            message.contains('不是 JSON 对象')
        }
    }
}
