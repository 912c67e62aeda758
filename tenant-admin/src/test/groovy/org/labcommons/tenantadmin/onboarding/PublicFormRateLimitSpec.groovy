package org.labcommons.tenantadmin.onboarding

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.testkit.PlatformSpec

/**
 * The public form is rate limited per client address; invalid attempts count too. The test's peer is
 * no trusted proxy (none is configured), so its forwarding headers are ignored.
 */
class PublicFormRateLimitSpec extends PlatformSpec {

    @Inject JsonMapper json

    @Override
    Map<String, String> ownProperties() {
        ['labcommons.onboarding.form-limit-per-address': '3']
    }

    def "the fourth submission within the hour is refused with 429 and Retry-After"() {
        given:
        def f = new NetworkFixture(ctx)

        when:
        def first = f.apply(f.application("rl-${f.run}".toString()))
        def invalid = (1..2).collect { f.apply([network: 'nowhere']) }
        def refused = f.apply(f.application("rl2-${f.run}".toString()))

        then:
        first.status == 201
        invalid*.status == [400, 400]
        refused.status == 429
        refused.body.code == 'rate_limited'
        refused.headers.firstValue('Retry-After').get().toLong() > 0
        f.count(f.networkA, "select count(*) from onboarding_application where slug = 'rl2-${f.run}'") == 0
    }

    def "rotating X-Forwarded-For from a peer that is no trusted proxy does not bypass the per-address limit"() {
        given:
        def f = new NetworkFixture(ctx)

        when: 'six attempts from one peer, each claiming another client address'
        def statuses = (1..6).collect { i ->
            f.send('POST', '/api/v1/public/onboarding/applications', null, '{"network":"nowhere"}',
                    ['X-Forwarded-For': "198.51.100.${i}".toString(), Forwarded: "for=203.0.113.${i}".toString()]).status
        }

        then: 'together they get no more than one address may: at most three, and the rest are refused'
        statuses.count { it != 429 } <= 3
        statuses.takeRight(3) == [429, 429, 429]
    }
}
