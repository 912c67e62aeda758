package org.labcommons.tenantadmin.onboarding

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.testkit.PlatformSpec

/** The public form is rate limited per client address; invalid attempts count too. */
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
}
