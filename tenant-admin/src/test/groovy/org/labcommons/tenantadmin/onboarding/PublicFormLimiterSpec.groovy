package org.labcommons.tenantadmin.onboarding

import spock.lang.Specification
import spock.lang.Tag

/** The public form's limiter alone: bounded memory, and no client's bucket is reset by other clients' traffic. */
@Tag('fast')
class PublicFormLimiterSpec extends Specification {

    static PublicFormLimiter limiter(int perAddress, int total) {
        def settings = new OnboardingSettings()
        settings.formLimitPerAddress = perAddress
        settings.formLimitTotal = total
        new PublicFormLimiter(settings)
    }

    def "a flood of distinct addresses keeps the number of buckets bounded"() {
        given:
        def l = limiter(3, 1_000_000)

        when:
        (1..50_000).each { l.tryAcquire("flood-${it}".toString()) }

        then:
        l.trackedAddresses() <= PublicFormLimiter.MAX_TRACKED_ADDRESSES
        l.trackedAddresses() > 0
    }

    def "a client that used up its allowance stays refused while many other addresses come and go"() {
        given:
        def l = limiter(3, 1_000_000)
        def own = (1..10).collect { l.tryAcquire('198.51.100.1') }   // it keeps trying after the third

        when: 'more distinct addresses than the limiter tracks'
        (1..3 * PublicFormLimiter.MAX_TRACKED_ADDRESSES).each { l.tryAcquire("203.0.113.${it % 250}-${it}".toString()) }
        long again = l.tryAcquire('198.51.100.1')

        then:
        own.take(3) == [0L, 0L, 0L]
        own.drop(3).every { it > 0 }
        again > 0
    }

    def "while the limiter tracks as many addresses as it may, further addresses share one allowance"() {
        given:
        def l = limiter(3, 1_000_000)
        (1..PublicFormLimiter.MAX_TRACKED_ADDRESSES).each { l.tryAcquire("tracked-${it}".toString()) }

        when:
        def newcomers = (1..4).collect { l.tryAcquire("newcomer-${it}".toString()) }

        then:
        newcomers.take(3) == [0L, 0L, 0L]
        newcomers[3] > 0
        l.trackedAddresses() == PublicFormLimiter.MAX_TRACKED_ADDRESSES
        l.tryAcquire('tracked-1') == 0      // a tracked address keeps its own
    }

    def "other addresses do not use up a client's own allowance; the total limit still holds for all"() {
        given:
        def l = limiter(2, 5)

        expect:
        (1..4).collect { l.tryAcquire("192.0.2.${it}".toString()) } == [0L, 0L, 0L, 0L]
        l.tryAcquire('192.0.2.9') == 0
        l.tryAcquire('192.0.2.10') > 0      // the sixth from anywhere: over the total
    }
}
