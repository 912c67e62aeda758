package org.labcommons.core.security

import com.nimbusds.jose.JOSEObjectType
import com.nimbusds.jose.JWSAlgorithm
import com.nimbusds.jose.JWSHeader
import com.nimbusds.jose.crypto.RSASSASigner
import com.nimbusds.jose.jwk.JWKSet
import com.nimbusds.jose.jwk.RSAKey
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator
import com.nimbusds.jwt.JWTClaimsSet
import com.nimbusds.jwt.SignedJWT
import com.sun.net.httpserver.HttpExchange
import com.sun.net.httpserver.HttpServer
import jakarta.inject.Inject
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.charset.StandardCharsets
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicReference

/**
 * A tenant's identity provider that stops answering. Tenant A signs in with the dev stack's working
 * provider; tenant B trusts an issuer served by a tiny HTTP server in this specification, whose
 * discovery document and JWKS can be made to hang. While B's requests wait for that provider, A's
 * are answered as fast as ever; once B's first fetch has failed, B's requests are answered 503 at
 * once, without another fetch; when the provider answers again, B's tokens are accepted once the
 * failure memory has passed.
 */
class SlowIssuerSpec extends PlatformSpec {
    static final long TIMEOUT_MS = 2000
    static final long FAILURE_MEMORY_MS = 3000

    @Inject TenantTransactions tenants

    @Shared HttpServer provider
    @Shared AtomicReference<CountDownLatch> hang = new AtomicReference<>(new CountDownLatch(0)) // count 1: the provider does not answer
    @Shared AtomicInteger providerRequests = new AtomicInteger()
    @Shared RSAKey signingKey = new RSAKeyGenerator(2048).keyID('slow-1').generate()
    @Shared String issuerB
    @Shared HttpClient http = HttpClient.newBuilder().executor(Executors.newCachedThreadPool()).build()

    @Override
    Map<String, String> ownProperties() {
        ['labcommons.security.issuer-keys.timeout'       : "${TIMEOUT_MS}ms".toString(),
         'labcommons.security.issuer-keys.failure-memory': "${FAILURE_MEMORY_MS}ms".toString()]
    }

    def setupSpec() {
        provider = HttpServer.create(new InetSocketAddress('localhost', 0), 0)
        provider.executor = Executors.newCachedThreadPool()
        issuerB = "http://localhost:${provider.address.port}/slow".toString()
        provider.createContext('/slow/') { HttpExchange exchange ->
            providerRequests.incrementAndGet()
            hang.get().await(30, TimeUnit.SECONDS)
            String path = exchange.requestURI.path
            String body = path.endsWith('/.well-known/openid-configuration') ? discovery()
                    : path.endsWith('/jwks') ? new JWKSet(signingKey.toPublicJWK()).toString() : null
            byte[] bytes = (body ?: '{}').getBytes(StandardCharsets.UTF_8)
            exchange.responseHeaders.add('Content-Type', 'application/json')
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length)
            exchange.responseBody.withCloseable { it.write(bytes) }
        }
        provider.start()
    }

    def cleanupSpec() {
        hang.get().countDown()
        provider?.stop(0)
    }

    private String discovery() {
        """{"issuer":"${issuerB}","authorization_endpoint":"${issuerB}/authorize","token_endpoint":"${issuerB}/token",
           "jwks_uri":"${issuerB}/jwks","response_types_supported":["code"],"subject_types_supported":["public"],
           "id_token_signing_alg_values_supported":["RS256"]}"""
    }

    /** A token of tenant B's issuer, signed with the key its JWKS publishes. */
    private String tokenOfB(String subject) {
        long now = System.currentTimeMillis().intdiv(1000) as long
        def jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID('slow-1').type(JOSEObjectType.JWT).build(),
                new JWTClaimsSet.Builder().issuer(issuerB).subject(subject).audience('labcommons')
                        .issueTime(new Date(now * 1000)).expirationTime(new Date((now + 600) * 1000)).build())
        jwt.sign(new RSASSASigner(signingKey))
        jwt.serialize()
    }

    private HttpRequest me(String token) {
        HttpRequest.newBuilder(URI.create("${baseUrl}/api/v1/me")).header('Authorization', 'Bearer ' + token)
                .header('Accept-Language', 'en').timeout(java.time.Duration.ofSeconds(30)).GET().build()
    }

    /** Status, Retry-After, body and how long the call took (ms). */
    private Map ask(String token) {
        long start = System.nanoTime()
        HttpResponse<String> r = http.send(me(token), HttpResponse.BodyHandlers.ofString())
        [status: r.statusCode(), retryAfter: r.headers().firstValue('Retry-After').orElse(null), body: r.body(),
         contentType: r.headers().firstValue('Content-Type').orElse(''), ms: (System.nanoTime() - start).intdiv(1_000_000)]
    }

    def "a hanging identity provider of tenant B slows neither tenant A nor, after its first failure, B; B's tokens work again after it recovers"() {
        given: 'tenant A on the working dev provider, tenant B trusting the issuer of the specification\'s provider'
        def world = TenantWorld.build(ctx) {
            institution('slow-a')
            institution('slow-b', trustIssuer: false)
        }
        TenantId b = new TenantId(world.tenant('slow-b').id)
        tenants.inTenant(b) { c ->
            c.prepareStatement("insert into trusted_issuer (tenant_id, id, issuer, audience, enabled, algorithms) " +
                    "values (app_tenant(), ?, ?, 'labcommons', true, array['RS256'])").with {
                setObject(1, UUID.randomUUID()); setString(2, issuerB); executeUpdate()
            }
        }
        String tokenA = world.tokenOf('slow-a', 'alice')
        String tokenB = tokenOfB('bob')
        assert ask(tokenA).status == 200

        when: 'B\'s provider stops answering and eight requests with B\'s tokens arrive at once'
        hang.set(new CountDownLatch(1))
        List<CompletableFuture<HttpResponse<String>>> pendingB = (1..8).collect {
            http.sendAsync(me(tokenB), HttpResponse.BodyHandlers.ofString())
        }
        Thread.sleep(200)

        and: 'A\'s requests are made while they wait'
        List<Map> duringA = (1..5).collect { ask(tokenA) }
        boolean bStillWaiting = pendingB.any { !it.done }

        then: 'A is answered as usual, well within a second each'
        duringA*.status == [200] * 5
        duringA.every { it.ms < 1000 }
        bStillWaiting

        when: 'B\'s requests come back'
        List<HttpResponse<String>> answeredB = pendingB.collect { it.get(30, TimeUnit.SECONDS) }

        then: 'each is 503 issuer_unavailable with Retry-After: the token may be genuine, its keys cannot be had'
        answeredB*.statusCode() == [503] * 8
        answeredB.every { it.headers().firstValue('Content-Type').orElse('').startsWith('application/problem+json') }
        answeredB.every { it.body().contains('"code":"issuer_unavailable"') }
        answeredB.every { (it.headers().firstValue('Retry-After').orElse('0') as int) in 1..3 }

        when: 'more requests with B\'s tokens follow while the failure is remembered'
        int fetchesSoFar = providerRequests.get()
        List<Map> afterFailure = (1..5).collect { ask(tokenOfB('carol-' + it)) }

        then: 'each is answered 503 at once, and the provider is not asked again'
        afterFailure*.status == [503] * 5
        afterFailure.every { it.ms < 500 && it.retryAfter != null }
        providerRequests.get() == fetchesSoFar

        and: 'a token that cannot be valid (expired) is refused 401 without the keys'
        ask(expiredTokenOfB()).status == 401

        when: 'the provider answers again and the failure memory passes'
        hang.get().countDown()
        Thread.sleep(FAILURE_MEMORY_MS + 500)
        Map recovered = ask(tokenB)

        then: 'B\'s tokens are accepted, and act in tenant B'
        recovered.status == 200
        recovered.body.contains(b.toString())

        and: 'A was never affected'
        ask(tokenA).status == 200
    }

    private String expiredTokenOfB() {
        long now = System.currentTimeMillis().intdiv(1000) as long
        def jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID('slow-1').build(),
                new JWTClaimsSet.Builder().issuer(issuerB).subject('dave').audience('labcommons')
                        .issueTime(new Date((now - 900) * 1000)).expirationTime(new Date((now - 600) * 1000)).build())
        jwt.sign(new RSASSASigner(signingKey))
        jwt.serialize()
    }
}
