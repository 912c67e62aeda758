package org.labcommons.tenantadmin.onboarding

import io.micronaut.context.ApplicationContext
import io.micronaut.json.JsonMapper
import io.micronaut.runtime.server.EmbeddedServer
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback
import org.labcommons.core.security.Role
import org.labcommons.core.tenancy.TenantId
import org.labcommons.devstack.SharedDevStack
import org.labcommons.devstack.mail.DevMailServer
import org.labcommons.testkit.TenantWorld

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration

/**
 * Two provincial networks (A and B), each trusting its own issuer with a network admin signed in,
 * and one institution (a member of A) with an institution admin: the callers of the onboarding API.
 * A {@link TenantWorld} recipe.
 */
class NetworkFixture {
    final TenantWorld world
    final String run
    final HttpClient http = HttpClient.newHttpClient()
    final String base
    final JsonMapper json
    TenantId networkA, networkB, memberOfA
    String tokenA, tokenB, tokenInstitutionAdmin

    NetworkFixture(ApplicationContext ctx) {
        base = "http://localhost:${ctx.getBean(EmbeddedServer).port}"
        json = ctx.getBean(JsonMapper)
        world = TenantWorld.build(ctx) {
            network('net-a', nameZh: '甲省共享网', nameEn: 'Network A', regionCode: '330000') {
                person('admin-a', Role.NETWORK_ADMIN, claims: NAMED)
                institution('member', nameZh: '甲省大学', nameEn: 'University of A', regionCode: '330000') {
                    person('inst-admin', Role.INSTITUTION_ADMIN, claims: NAMED)
                }
            }
            network('net-b', nameZh: '乙省共享网', nameEn: 'Network B', regionCode: '330000') {
                person('admin-b', Role.NETWORK_ADMIN, claims: NAMED)
            }
        }
        run = world.run
        networkA = new TenantId(world.tenant('net-a').id)
        networkB = new TenantId(world.tenant('net-b').id)
        memberOfA = new TenantId(world.tenant('member').id)
        tokenA = world.token('admin-a')
        tokenB = world.token('admin-b')
        tokenInstitutionAdmin = world.token('inst-admin')
    }

    /** The token claims of the fixture's people: a display name "User <subject>". */
    private static final Closure<Map> NAMED = { String subject -> [name: "User ${subject}".toString()] }

    static String token(String issuerId, String subject) {
        SharedDevStack.get().identityProvider().server().issueToken(issuerId, 'client', new DefaultOAuth2TokenCallback(
                issuerId, subject, 'JWT', ['labcommons'], [name: "User ${subject}".toString()], 3600)).serialize()
    }

    String issuer(String issuerId) {
        SharedDevStack.get().identityProvider().issuer(issuerId)
    }

    /** Runs {@code work} on a plain connection of the runtime role (outside any tenant binding: global tables only). */
    def direct(Closure work) {
        TenantWorld.jdbc(work)
    }

    /** A complete application as the public form sends it. */
    Map application(String slug, Map more = [:]) {
        [network: "net-a-${run}".toString(), slug: slug, nameZh: '钱塘理工大学', nameEn: 'Qiantang University of Technology',
         regionCode: '330100', timeZone: 'Asia/Shanghai', contactName: '陈老师', contactEmail: "contact-${slug}@qiantang.example".toString(),
         language: 'zh-CN', issuerUrl: issuer("uni-${slug}"), clientId: 'labcommons',
         adminEmails: ["admin1-${slug}@qiantang.example".toString(), "admin2-${slug}@qiantang.example".toString()]] + more
    }

    Map send(String method, String path, String token, String body = null, Map<String, String> headers = [:]) {
        def b = HttpRequest.newBuilder(URI.create(base + path))
        if (!headers.containsKey('Accept-Language')) { b.header('Accept-Language', 'en') }
        if (token != null) { b.header('Authorization', 'Bearer ' + token) }
        headers.each { k, v -> b.header(k, v) }
        if (body != null && !headers.containsKey('Content-Type')) { b.header('Content-Type', 'application/json') }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString())
        [status: r.statusCode(), body: r.body() ? json.readValue(r.body(), Object) : [:], headers: r.headers()]
    }

    Map sendBytes(String path, String token, byte[] body, String contentType, String lang = 'en') {
        def b = HttpRequest.newBuilder(URI.create(base + path)).header('Accept-Language', lang)
                .header('Authorization', 'Bearer ' + token).header('Content-Type', contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString())
        [status: r.statusCode(), body: r.body() ? json.readValue(r.body(), Object) : [:]]
    }

    Map post(String path, String token, Map body) {
        send('POST', path, token, json.writeValueAsString(body))
    }

    /**
     * What a reviewer does to approve: tests the identity provider the application names (approval needs it
     * passed), then approves. The approval's answer.
     */
    Map approve(Object applicationId, String token = tokenA) {
        def tested = send('POST', "/api/v1/onboarding/applications/${applicationId}/identity-provider/test", token)
        assert tested.status == 200 && tested.body.ok: "the identity-provider test answered ${tested}"
        send('POST', "/api/v1/onboarding/applications/${applicationId}/approve", token)
    }

    Map apply(Map application) {
        send('POST', '/api/v1/public/onboarding/applications', null, json.writeValueAsString(application))
    }

    static DevMailServer.ReceivedMail mailTo(String address, Closure<Boolean> which = { true }) {
        def m = SharedDevStack.get().mail().await({ it.to().contains(address) && which(it) }, Duration.ofSeconds(10))
        assert m != null: "no mail to ${address}"
        m
    }

    /** The token in a link of the mail (the last path segment, or the value of {@code param}). */
    static String linkIn(DevMailServer.ReceivedMail mail) {
        def m = mail.text() =~ /(https?:\/\/\S+)/
        assert m.find(): "no link in: ${mail.text()}"
        m.group(1)
    }

    long count(TenantId tenant, String sql) {
        TenantWorld.inTenant(tenant.value()) { c ->
            def rs = c.prepareStatement(sql).executeQuery()
            rs.next()
            rs.getLong(1)
        }
    }
}
