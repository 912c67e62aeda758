package org.labcommons.core.billing.subsidies

import org.labcommons.testkit.PlatformSpec
import spock.lang.Tag

import java.time.Duration

/**
 * The rate limit of the public voucher balance lookup: per client address and per voucher number (token buckets,
 * VoucherLookupLimiter with its own small settings), and over HTTP the eleventh lookup of one number within the
 * minute is 429 problem+json voucher_lookup_limited with Retry-After (the kernel's defaults: 10 per number, 20 per
 * address); the public page /vouchers/balance asks through the same limiter (429 with a notice).
 */
@Tag('integration')
class VoucherLookupLimitSpec extends PlatformSpec {

    static VoucherLookupLimiter limiter(int perAddress, int perVoucher, Duration window = Duration.ofMinutes(1)) {
        def s = new LookupSettings()
        s.lookupPerAddress = perAddress
        s.lookupPerVoucher = perVoucher
        s.lookupWindow = window
        new VoucherLookupLimiter(s)
    }

    def "an address gets its allowance across numbers, then waits; another address is not affected"() {
        given:
        def l = limiter(3, 100)

        expect:
        (1..3).collect { l.tryAcquire('203.0.113.7', "KJCXQ-${it}") } == [0L, 0L, 0L]
        l.tryAcquire('203.0.113.7', 'KJCXQ-4') in (1L..20L)
        l.tryAcquire('203.0.113.8', 'KJCXQ-4') == 0L
    }

    def "a number gets its allowance across addresses (normalised), and a refusal for the number costs the address nothing"() {
        given:
        def l = limiter(3, 2, Duration.ofHours(1))

        expect:
        l.tryAcquire('198.51.100.1', 'kjcxq-2026-abc') == 0L
        l.tryAcquire('198.51.100.2', ' KJCXQ-2026-ABC ') == 0L
        l.tryAcquire('198.51.100.3', 'KJCXQ-2026-ABC') >= 1_000L    // an hour's window: about 30 minutes to the next token
        // 198.51.100.3 still has its three lookups for other numbers
        (1..3).collect { l.tryAcquire('198.51.100.3', "OTHER-${it}") } == [0L, 0L, 0L]
        l.tryAcquire('198.51.100.3', 'OTHER-4') > 0L
    }

    def "over HTTP the eleventh lookup of one number within the minute is 429 problem+json with Retry-After"() {
        given:
        String number = "KJCXQ-2099-${UUID.randomUUID().toString().substring(0, 8).toUpperCase()}"
        def body = [number: number, taxId: '91440300708461136T']

        when:
        def answers = (1..10).collect { api.post('/api/v1/public/vouchers/balance', null, body).status }
        def http = java.net.http.HttpClient.newHttpClient()
        def limited = http.send(java.net.http.HttpRequest.newBuilder(URI.create(baseUrl + '/api/v1/public/vouchers/balance'))
                .header('Content-Type', 'application/json').header('Accept-Language', 'en')
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(api.write(body))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())
        def problem = api.send('POST', '/api/v1/public/vouchers/balance', null, body)
        def page = http.send(java.net.http.HttpRequest.newBuilder(URI.create(baseUrl +
                "/vouchers/balance?lang=en&number=${number}&taxId=91440300708461136T")).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())

        then:
        answers.every { it == 404 }
        limited.statusCode() == 429
        limited.headers().firstValue('Content-Type').get().startsWith('application/problem+json')
        limited.headers().firstValue('Retry-After').get().toLong() in (1L..60L)
        problem.status == 429
        problem.body.code == 'voucher_lookup_limited'
        problem.body.title == 'Too many lookups'
        // the page asks through the same limiter (the number's bucket is empty; the address keeps its tokens)
        page.statusCode() == 429
        page.headers().firstValue('Retry-After').isPresent()
        page.body().contains('id="voucher-lookup-limited"')
        !page.body().contains('id="voucher-not-found"')
    }
}
