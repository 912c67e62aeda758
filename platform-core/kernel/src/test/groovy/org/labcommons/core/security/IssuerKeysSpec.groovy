package org.labcommons.core.security

import com.nimbusds.jose.jwk.Curve
import com.nimbusds.jose.jwk.JWK
import com.nimbusds.jose.jwk.JWKMatcher
import com.nimbusds.jose.jwk.JWKSelector
import com.nimbusds.jose.jwk.JWKSet
import com.nimbusds.jose.jwk.gen.ECKeyGenerator
import spock.lang.Specification
import spock.lang.Tag

import java.time.Duration
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicLong
import java.util.concurrent.atomic.AtomicReference

/**
 * The issuer key cache alone, with a fetch the specification controls and a clock it moves: one
 * fetch for many concurrent callers, failures remembered, stale keys kept, refreshes that do not
 * block, and the rate limit of refreshes for an unknown kid. No HTTP, no database.
 */
@Tag('fast')
class IssuerKeysSpec extends Specification {
    static final String ISSUER = 'https://idp.example.edu/realm'

    AtomicLong clock = new AtomicLong(1_000_000_000_000L)
    AtomicInteger fetchCount = new AtomicInteger()
    /** What the next fetch does: returns a key set, or throws. */
    AtomicReference<Closure<JWKSet>> provider = new AtomicReference<>()
    IssuerKeys keys

    IssuerKeys cache(Map<String, Duration> settings = [:]) {
        def s = new IssuerKeySettings()
        s.timeout = settings.timeout ?: Duration.ofSeconds(5)
        s.refreshAfter = Duration.ofMinutes(5)
        s.failureMemory = Duration.ofSeconds(30)
        s.kidRefreshInterval = Duration.ofSeconds(30)
        keys = new IssuerKeys(s, { String issuer -> fetchCount.incrementAndGet(); provider.get().call() } as IssuerKeys.Fetcher,
                { clock.get() } as java.util.function.LongSupplier)
        keys
    }

    def cleanup() {
        keys?.close()
    }

    static JWK key(String kid) {
        new ECKeyGenerator(Curve.P_256).keyID(kid).generate().toPublicJWK()
    }

    static JWKSelector kid(String kid) {
        new JWKSelector(new JWKMatcher.Builder().keyID(kid).build())
    }

    List<JWK> get(String kidWanted) {
        keys.source(ISSUER).get(kid(kidWanted), null)
    }

    /**
     * Whether the provider has been asked exactly {@code n} times, waiting up to 5 s for it: a
     * background refresh runs on the cache's own threads, in their own time.
     */
    boolean fetchedTimes(int n) {
        long end = System.nanoTime() + 5_000_000_000L
        while (fetchCount.get() < n && System.nanoTime() < end) {
            Thread.sleep(10)
        }
        fetchCount.get() == n
    }

    /** Waits up to 5 s until the keys on hand for the issuer are those named. */
    boolean keysOnHandBecome(List<String> kids) {
        long end = System.nanoTime() + 5_000_000_000L
        while (keys.onHand(ISSUER)?.keys*.keyID != kids && System.nanoTime() < end) {
            Thread.sleep(10)
        }
        keys.onHand(ISSUER)?.keys*.keyID == kids
    }

    void advance(Duration d) {
        clock.addAndGet(d.toNanos())
    }

    /** The time {@code body} takes, in milliseconds, and what it returned or threw. */
    static Map timed(Closure body) {
        long start = System.nanoTime()
        def result
        Throwable thrown = null
        try {
            result = body.call()
        } catch (Throwable e) {
            thrown = e
        }
        [ms: (System.nanoTime() - start).intdiv(1_000_000), result: result, thrown: thrown]
    }

    def "sixteen concurrent callers for an issuer without keys share one fetch, and all get its keys"() {
        given: 'a provider whose answer the specification holds back until every caller waits'
        cache()
        JWK k1 = key('k1')
        def release = new CountDownLatch(1)
        provider.set { release.await(10, TimeUnit.SECONDS); new JWKSet(k1) }
        def pool = Executors.newFixedThreadPool(16)
        def started = new CountDownLatch(16)

        when:
        def futures = (1..16).collect { pool.submit({ started.countDown(); get('k1') } as java.util.concurrent.Callable) }
        started.await(5, TimeUnit.SECONDS)
        Thread.sleep(300) // every caller is inside the cache by now, waiting for the one fetch
        release.countDown()
        def results = futures.collect { it.get(10, TimeUnit.SECONDS) }

        then:
        fetchCount.get() == 1
        results.every { it*.keyID == ['k1'] }

        cleanup:
        pool.shutdownNow()
    }

    def "a fetch of one issuer that hangs does not hold up another issuer's first fetch"() {
        given: 'a provider that answers for one issuer and hangs for the other'
        def hang = new CountDownLatch(1)
        JWK other = key('other')
        keys = new IssuerKeys(new IssuerKeySettings(), { String issuer ->
            if (issuer == ISSUER) { hang.await(10, TimeUnit.SECONDS); throw new IOException('no answer') }
            new JWKSet(other)
        } as IssuerKeys.Fetcher, { clock.get() } as java.util.function.LongSupplier)
        def pool = Executors.newSingleThreadExecutor()

        when: 'a request of the hanging issuer is waiting for its fetch'
        def waiting = pool.submit({ keys.source(ISSUER).get(kid('x'), null) } as java.util.concurrent.Callable)
        Thread.sleep(200)
        def otherIssuer = timed { keys.source('https://other.example.edu').get(kid('other'), null) }

        then: "the other issuer's keys come at once"
        otherIssuer.thrown == null
        otherIssuer.result*.keyID == ['other']
        otherIssuer.ms < 1000
        !waiting.done

        cleanup:
        hang.countDown()
        pool.shutdownNow()
    }

    def "a failed fetch is remembered: until the failure memory passes no request fetches, each gets a fast 503 with the time left"() {
        given:
        cache()
        provider.set { throw new IOException('connection refused') }

        when: 'the first request: the fetch fails'
        get('k1')

        then:
        def first = thrown(IssuerKeysUnavailableException)
        first.retryAfterSeconds() == 30
        fetchCount.get() == 1

        when: 'ten seconds later, more requests'
        advance(Duration.ofSeconds(10))
        def later = (1..5).collect { timed { get('k1') } }

        then: 'none fetches, none waits, each is told when to retry'
        fetchCount.get() == 1
        later.every { it.thrown instanceof IssuerKeysUnavailableException && it.ms < 200 }
        later.every { it.thrown.retryAfterSeconds() == 20 }

        when: 'the provider recovers and the failure memory has passed'
        JWK k1 = key('k1')
        provider.set { new JWKSet(k1) }
        advance(Duration.ofSeconds(21))

        then: 'the next request fetches again and is served'
        get('k1')*.keyID == ['k1']
        fetchCount.get() == 2
    }

    def "a request that finds a key set older than refresh-after uses it at once and refreshes it in the background; a failed refresh keeps it"() {
        given: 'keys on hand'
        cache()
        JWK k1 = key('k1')
        provider.set { new JWKSet(k1) }
        assert get('k1')*.keyID == ['k1']

        and: 'six minutes later, a provider that holds its answer back, then fails'
        advance(Duration.ofMinutes(6))
        def release = new CountDownLatch(1)
        provider.set { release.await(10, TimeUnit.SECONDS); throw new IOException('503 from the provider') }

        when:
        def during = timed { get('k1') }

        then: 'the request is served from the keys on hand without waiting, and a refresh runs'
        during.thrown == null
        during.result*.keyID == ['k1']
        during.ms < 1000
        fetchedTimes(2)

        when: 'the refresh fails'
        release.countDown()
        Thread.sleep(200)
        def after = (1..3).collect { timed { get('k1') } }

        then: 'the last keys stay in use, and no request fetches while the failure is remembered'
        after.every { it.thrown == null && it.result*.keyID == ['k1'] && it.ms < 200 }
        fetchCount.get() == 2

        when: 'the failure memory passes and the provider answers with a rotated set'
        JWK k2 = key('k2')
        provider.set { new JWKSet(k2) }
        advance(Duration.ofSeconds(31))
        def served = get('k1')

        then: 'that request still had the old keys; the refresh replaced them'
        served*.keyID == ['k1']
        fetchedTimes(3)
        keysOnHandBecome(['k2'])
        get('k2')*.keyID == ['k2']
    }

    def "an unknown kid fetches at most once per interval; within it, a token of an unknown kid finds no key without a fetch"() {
        given:
        cache()
        JWK k1 = key('k1'), k2 = key('k2')
        provider.set { new JWKSet(k1) }
        assert get('k1')*.keyID == ['k1']

        when: 'the provider rotates to k2 and a token of k2 arrives'
        provider.set { new JWKSet([k1, k2]) }
        advance(Duration.ofSeconds(1))

        then: 'one fetch finds it'
        get('k2')*.keyID == ['k2']
        fetchCount.get() == 2

        when: 'tokens with random kids follow within the interval'
        def random = (1..10).collect { get('random-' + it) }

        then: 'no key for them, and no fetch'
        random.every { it.isEmpty() }
        fetchCount.get() == 2

        when: 'the interval passes'
        advance(Duration.ofSeconds(31))

        then: 'an unknown kid may fetch once more'
        get('k3') == []
        fetchCount.get() == 3
    }

    def "a request waits for a fetch at most the timeout; then the issuer's requests are refused at once until the fetch ends"() {
        given:
        cache(timeout: Duration.ofMillis(300))
        def hang = new CountDownLatch(1)
        provider.set { hang.await(10, TimeUnit.SECONDS); throw new IOException('read timed out') }

        when:
        def first = timed { get('k1') }
        def second = timed { get('k1') }

        then:
        first.thrown instanceof IssuerKeysUnavailableException
        first.ms >= 250 && first.ms < 2000
        second.thrown instanceof IssuerKeysUnavailableException
        second.ms < 100
        fetchCount.get() == 1

        cleanup:
        hang.countDown()
    }
}
