package org.labcommons.tenantadmin.onboarding

import spock.lang.Specification
import spock.lang.Tag

/** The issuer rules alone (no database, no HTTP): which hosts count as this machine's, and dev mode. */
@Tag('fast')
class IssuerRulesSpec extends Specification {

    static final String CONSORTIUM = 'https://idp.consortium.example/realms/consortium'

    def "outside dev mode #issuer is #verdict"() {
        expect:
        new IssuerRules(CONSORTIUM, false).problems('issuerUrl', issuer)*.code() == codes

        where:
        issuer                                        | codes                 | verdict
        'https://sso.hzu.example.edu/realms/hzu'      | []                    | 'accepted'
        'https://10.1.2.3/realms/campus'              | []                    | 'accepted (a private address is not this machine)'
        'http://localhost:18081/newuni'               | ['loopback']          | 'refused'
        'https://LOCALHOST./x'                        | ['loopback']          | 'refused'
        'https://127.0.0.1/x'                         | ['loopback']          | 'refused'
        'https://127.255.0.9/x'                       | ['loopback']          | 'refused'
        'https://[::1]:8443/x'                        | ['loopback']          | 'refused'
        'https://[::ffff:127.0.0.1]/x'                | ['loopback']          | 'refused'
        'https://0.0.0.0/x'                           | ['loopback']          | 'refused'
        'https://169.254.169.254/x'                   | ['loopback']          | 'refused'
        'https://[fe80::1]/x'                         | ['loopback']          | 'refused'
        CONSORTIUM                                    | ['consortium_issuer'] | 'refused'
        'https://IDP.Consortium.example/realms/consortium//' | ['consortium_issuer'] | 'refused'
    }

    def "in dev mode loopback issuers are allowed, the consortium's is still refused"() {
        given:
        def dev = new IssuerRules('http://localhost:8081/consortium', true)

        expect:
        dev.problems('issuerUrl', 'http://localhost:8081/newuni') == []
        dev.problems('issuerUrl', 'http://127.0.0.1:8081/newuni') == []
        !dev.refusedHost('http://localhost:8081/newuni')
        dev.problems('issuerUrl', 'http://localhost:8081/consortium')*.code() == ['consortium_issuer']
    }

    def "the rules join the shape check for every caller that files or approves an application"() {
        when:
        def r = ApplicationValidator.validate(ApplicationValidatorSpec.input(issuerUrl: 'https://127.0.0.1/x'),
                ApplicationValidator.Mode.COMPLETE, new IssuerRules(CONSORTIUM, false))

        then:
        !r.valid()
        r.problems()*.field() == ['issuerUrl']
        r.problems()*.messageKey() == ['validation.onboarding.issuer_loopback']
    }
}
