package org.labcommons.search

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject

import org.labcommons.testkit.PlatformSpec
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit

/**
 * Admission control: with every search slot taken, one more search or suggestion waits the short
 * queue wait and is then refused with 503 problem+json {@code search_busy} and {@code Retry-After}
 * (in the caller's language); once a slot frees, searches are answered again. Settings:
 * {@code labcommons.search.max-concurrent}, {@code queue-wait}, {@code retry-after}.
 */
class SearchAdmissionSpec extends PlatformSpec {
    @Inject SearchAdmission admission
    @Inject JsonMapper json

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()

    @Override
    Map<String, String> ownProperties() {
        ['labcommons.search.max-concurrent': '2',
         'labcommons.search.queue-wait': '50ms',
         'labcommons.search.retry-after': '3s']
    }

    HttpResponse<String> get(String path, String language = 'en') {
        http.send(HttpRequest.newBuilder(URI.create("http://localhost:${server.port}${path}"))
                .header('Accept-Language', language).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString())
    }

    /** Takes {@code n} slots until the returned latch is counted down; returns once they are all held. */
    CountDownLatch hold(int n) {
        def release = new CountDownLatch(1)
        def held = new CountDownLatch(n)
        n.times {
            Thread.start {
                admission.run { held.countDown(); release.await(30, TimeUnit.SECONDS) }
            }
        }
        assert held.await(10, TimeUnit.SECONDS)
        release
    }

    def "a full search refuses with 503 search_busy and Retry-After (API, suggestions, page), then answers again once a slot frees"() {
        expect: 'the search answers while slots are free (once the projector has built the index)'
        SearchFixture.eventually(120) { get('/api/v1/search/instruments?q=TEM').statusCode() == 200 }
        admission.limit() == 2

        when: 'both slots are taken'
        long refusedBefore = admission.refused()
        def release = hold(2)
        long t0 = System.nanoTime()
        def search = get('/api/v1/search/instruments?q=TEM')
        double waitedMs = (System.nanoTime() - t0) / 1e6d
        def suggest = get('/api/v1/search/suggest?q=TE', 'zh-CN')
        def page = get('/search?q=TEM')
        Map problem = json.readValue(search.body(), Map)
        Map zhProblem = json.readValue(suggest.body(), Map)

        then: 'one more is refused quickly (after the queue wait, not after a pile-up), in the caller language'
        search.statusCode() == 503
        search.headers().firstValue('Content-Type').get().startsWith('application/problem+json')
        search.headers().firstValue('Retry-After').get() == '3'
        problem.code == 'search_busy'
        problem.status == 503
        problem.title == 'Search is busy'
        waitedMs >= 45
        suggest.statusCode() == 503
        suggest.headers().firstValue('Retry-After').get() == '3'
        zhProblem.code == 'search_busy'
        zhProblem.title == '搜索繁忙'
        page.statusCode() == 503
        page.headers().firstValue('Retry-After').get() == '3'
        page.headers().firstValue('Content-Type').get().startsWith('text/html')
        admission.refused() == refusedBefore + 3
        admission.running() == 2

        when: 'the slots free'
        release.countDown()
        def again = null
        for (int i = 0; i < 50 && (again == null || again.statusCode() != 200); i++) {
            if (admission.running() == 0) {
                again = get('/api/v1/search/instruments?q=TEM')
            } else {
                Thread.sleep(50)
            }
        }

        then:
        again.statusCode() == 200
        json.readValue(again.body(), Map).interpretedAs == ['TEM']
    }

    def "a waiting search gets the slot that frees within the queue wait"() {
        given:
        def shortWait = new SearchAdmission(new SearchSettings(maxConcurrent: 1, queueWait: Duration.ofSeconds(5)))
        def release = new CountDownLatch(1)
        def held = new CountDownLatch(1)
        Thread.start { shortWait.run { held.countDown(); release.await(30, TimeUnit.SECONDS) } }
        held.await(10, TimeUnit.SECONDS)

        when: 'the holder finishes 200 ms after the second asks'
        Thread.start { Thread.sleep(200); release.countDown() }
        def answer = shortWait.run { 'ran' }

        then:
        answer == 'ran'
        shortWait.refused() == 0
        shortWait.running() == 0

        when: 'a slot never frees within the wait'
        def noWait = new SearchAdmission(new SearchSettings(maxConcurrent: 1, queueWait: Duration.ofMillis(20), retryAfter: Duration.ofMillis(1500)))
        def release2 = new CountDownLatch(1)
        def held2 = new CountDownLatch(1)
        Thread.start { noWait.run { held2.countDown(); release2.await(30, TimeUnit.SECONDS) } }
        held2.await(10, TimeUnit.SECONDS)
        noWait.run { 'never' }

        then: 'Retry-After rounds up to whole seconds'
        def busy = thrown(SearchAdmission.Busy)
        busy.retryAfterSeconds() == 2
        busy.code() == 'search_busy'
        noWait.refused() == 1

        cleanup:
        release2?.countDown()
    }
}
