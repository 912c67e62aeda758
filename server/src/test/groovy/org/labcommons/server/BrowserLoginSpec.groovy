package org.labcommons.server

import groovy.json.JsonSlurper
import io.micronaut.runtime.server.EmbeddedServer
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import io.micronaut.test.support.TestPropertyProvider
import jakarta.inject.Inject
import org.labcommons.devstack.SharedDevStack
import spock.lang.Specification
import spock.lang.Tag

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse

/**
 * Browser sign-in through the authorization code flow with PKCE against the dev identity
 * provider, driven request by request the way a browser does it, then CSRF-protected logout.
 */
@Tag('integration')
@Tag('module-server')   // server has no test kit: its tier and module tags are spelled out
@MicronautTest(transactional = false)
class BrowserLoginSpec extends Specification implements TestPropertyProvider {

    @Inject EmbeddedServer server
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()

    @Override
    Map<String, String> getProperties() {
        SharedDevStack.get().properties() + ['labcommons.demo.enabled': 'true']
    }

    String app(String path) { "http://localhost:${server.port}${path}" }

    HttpResponse<String> get(String url, String cookie = null) {
        def b = HttpRequest.newBuilder(URI.create(url)).GET()
        if (cookie) { b.header('Cookie', cookie) }
        http.send(b.build(), HttpResponse.BodyHandlers.ofString())
    }

    HttpResponse<String> postForm(String url, Map<String, String> form, Map<String, String> headers = [:]) {
        def body = form.collect { k, v -> URLEncoder.encode(k, 'UTF-8') + '=' + URLEncoder.encode(v, 'UTF-8') }.join('&')
        def b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header('Content-Type', 'application/x-www-form-urlencoded')
        headers.each { k, v -> b.header(k, v) }
        http.send(b.build(), HttpResponse.BodyHandlers.ofString())
    }

    static Map<String, String> query(String url) {
        URI.create(url).rawQuery.split('&').collectEntries { p ->
            def (k, v) = p.split('=', 2) as List
            [(URLDecoder.decode(k, 'UTF-8')): URLDecoder.decode(v ?: '', 'UTF-8')]
        }
    }

    /**
     * The browser's part up to the provider's redirect back: {@code /login} (which sets the binding
     * cookie) and the provider's form; the callback URL and the {@code LC_LOGIN} cookie this browser holds.
     */
    Map startSignIn(String username, String returnTo = '/?lang=en', String issuer = null) {
        // /login without an issuer is the institution chooser; null here is the consortium's issuer
        String chosen = issuer ?: SharedDevStack.get().identityProvider().issuer('consortium')
        def start = get(app('/login?returnTo=' + URLEncoder.encode(returnTo, 'UTF-8') + '&issuer=' + URLEncoder.encode(chosen, 'UTF-8')))
        assert start.statusCode() == 303
        String authorize = start.headers().firstValue('Location').get()
        def login = postForm(authorize, [username: username])
        assert login.statusCode() in [302, 303]
        [authorize: authorize, callback: login.headers().firstValue('Location').get(),
         setBinding: setCookie(start, 'LC_LOGIN'), binding: setCookie(start, 'LC_LOGIN')?.split(';')[0]]
    }

    /** Runs the whole sign-in as {@code username} in one browser; returns the callback URL and the final response. */
    Map signIn(String username, String returnTo = '/?lang=en', String issuer = null) {
        Map started = startSignIn(username, returnTo, issuer)
        def done = get(started.callback as String, started.binding as String)
        started + [response: done, cookie: setCookie(done, 'LC_SESSION')?.split(';')[0]]
    }

    /** The Set-Cookie header of the response for cookie {@code name}, or null. */
    static String setCookie(HttpResponse<String> r, String name) {
        r.headers().allValues('Set-Cookie').find { it.startsWith(name + '=') }
    }

    /** A callback request as a browser sends it (asking for a page, in English), with these cookies. */
    HttpResponse<String> browserGet(String url, String cookie) {
        def b = HttpRequest.newBuilder(URI.create(url)).GET().header('Accept', 'text/html')
                .header('Accept-Language', 'en')
        if (cookie) { b.header('Cookie', cookie) }
        http.send(b.build(), HttpResponse.BodyHandlers.ofString())
    }

    def "sign-in uses the authorization code flow with PKCE S256, state and nonce"() {
        when:
        def start = get(app('/login?issuer=' + URLEncoder.encode(SharedDevStack.get().identityProvider().issuer('consortium'), 'UTF-8')))
        def q = query(start.headers().firstValue('Location').get())

        then:
        start.statusCode() == 303
        start.headers().firstValue('Location').get().startsWith(SharedDevStack.get().identityProvider().issuer('consortium'))
        q.response_type == 'code'
        q.code_challenge_method == 'S256'
        q.code_challenge ==~ /[A-Za-z0-9_-]{43}/
        q.state.length() >= 32 && q.nonce.length() >= 32
        q.redirect_uri == app('/login/callback')
        q.scope.split(' ').contains('openid')
    }

    def "a person signs in, sees their name on the page, and is returned where they asked"() {
        when:
        def s = signIn('donghu-admin', '/?lang=en')

        then:
        s.response.statusCode() == 303
        s.response.headers().firstValue('Location').get() == '/?lang=en'
        s.response.headers().firstValue('Set-Cookie').get().toLowerCase().contains('httponly')
        s.response.headers().firstValue('Set-Cookie').get().contains('SameSite=Lax')

        when:
        def page = get(app('/?lang=en'), s.cookie)

        then:
        page.body().contains('Signed in as: donghu-admin')
        page.body().contains('name="_csrf"')
        !page.body().contains('id="login"')
    }

    def "a university's own issuer is offered; an unknown issuer is refused"() {
        when:
        def ok = signIn('xiling-researcher', '/', SharedDevStack.get().identityProvider().issuer('xiling'))
        def refused = get(app('/login?issuer=' + URLEncoder.encode('http://evil.example/idp', 'UTF-8')))

        then:
        ok.response.statusCode() == 303
        ok.cookie != null
        refused.statusCode() == 400
        new JsonSlurper().parseText(refused.body()).code == 'unknown_issuer'
    }

    def "a callback cannot be replayed, and an invented state is refused"() {
        given:
        def s = signIn('donghu-nmr-staff')

        when: 'even the browser that signed in sends it again, with its binding cookie'
        def replay = get(s.callback, s.binding)
        def invented = get(app('/login/callback?code=abc&state=' + 'x' * 43))

        then:
        replay.statusCode() == 400
        new JsonSlurper().parseText(replay.body()).code == 'login_failed'
        invented.statusCode() == 400
    }

    def "return addresses outside the platform are replaced by the home page (#target)"() {
        expect:
        signIn('bureau-admin', target).response.headers().firstValue('Location').get() == '/'

        where:
        target << ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)']
    }

    def "logout needs the session's CSRF token and a same-origin request"() {
        given:
        def s = signIn('zj-network-admin')
        String csrf = (get(app('/'), s.cookie).body() =~ /name="_csrf" value="([^"]+)"/)[0][1]

        when: 'the token is missing'
        def noToken = postForm(app('/logout'), [:], [Cookie: s.cookie])

        then:
        noToken.statusCode() == 403
        new JsonSlurper().parseText(noToken.body()).code == 'csrf'

        when: 'another site posts the right form'
        def crossSite = postForm(app('/logout'), [_csrf: csrf], [Cookie: s.cookie, Origin: 'https://evil.example'])

        then:
        crossSite.statusCode() == 403

        when: 'a wrong token is sent'
        def wrong = postForm(app('/logout'), [_csrf: csrf.reverse()], [Cookie: s.cookie])

        then:
        wrong.statusCode() == 403
        get(app('/'), s.cookie).body().contains('name="_csrf"')

        when: 'the page itself posts it'
        def out = postForm(app('/logout'), [_csrf: csrf], [Cookie: s.cookie, Origin: app('')])

        then: 'the session is gone and the browser is sent to the provider to end its session too'
        out.statusCode() == 303
        out.headers().firstValue('Set-Cookie').get().startsWith('LC_SESSION=;')
        !get(app('/'), s.cookie).body().contains('name="_csrf"')
        get(app('/'), s.cookie).body().contains('id="login"')
    }

    def "a callback URL sent to another browser signs nobody in there, and the page says why (login CSRF)"() {
        given: 'an attacker starts a sign-in with their own account and stops before the callback'
        def attacker = startSignIn('zj-network-admin', '/?lang=en')

        when: 'the victim opens the callback URL in their own browser (no binding cookie)'
        def victim = browserGet(attacker.callback as String, null)

        then: 'refused: no session cookie, a page in the browser language that explains and offers a new sign-in'
        victim.statusCode() == 400
        setCookie(victim, 'LC_SESSION') == null
        victim.headers().firstValue('Content-Type').get().startsWith('text/html')
        victim.body().contains('data-code="login_not_bound"')
        victim.body().contains('It was started in another browser, or it has expired')
        victim.body().contains('id="login-again" href="/login?returnTo=%2F"')
        setCookie(victim, 'LC_LOGIN').contains('Max-Age=0')

        when: 'the attacker tries to complete it after all'
        def late = get(attacker.callback as String, attacker.binding as String)

        then: 'the pending sign-in was used up by the refused callback'
        late.statusCode() == 400
        setCookie(late, 'LC_SESSION') == null

        when: 'a sign-in completed in the browser that started it'
        def same = signIn('zj-network-admin', '/?lang=en')

        then:
        same.response.statusCode() == 303
        same.cookie != null
        get(app('/?lang=en'), same.cookie as String).body().contains('Signed in as: zj-network-admin')
    }

    def "a callback with #what binding cookie is refused and signs nobody in"() {
        given:
        def started = startSignIn('donghu-admin', '/?lang=en')
        def other = startSignIn('donghu-admin', '/?lang=en')
        String cookie = [none    : null,
                         another : other.binding,
                         tampered: (started.binding as String)[0..-2] + ((started.binding as String)[-1] == 'A' ? 'B' : 'A'),
                         empty   : 'LC_LOGIN='][what]

        when:
        def r = browserGet(started.callback as String, cookie)

        then:
        r.statusCode() == 400
        setCookie(r, 'LC_SESSION') == null
        r.body().contains('data-code="login_not_bound"')

        where:
        what << ['none', 'another', 'tampered', 'empty']
    }

    def "the binding cookie holds the hash of the state, only for the callback, HttpOnly, SameSite=Lax, for 10 minutes, and is cleared"() {
        when:
        def started = startSignIn('bureau-admin', '/')
        String state = query(started.authorize as String).state
        String set = started.setBinding

        then:
        started.binding == 'LC_LOGIN=' + Base64.urlEncoder.withoutPadding().encodeToString(
                java.security.MessageDigest.getInstance('SHA-256').digest(state.getBytes('UTF-8')))
        set.toLowerCase().contains('httponly')
        set.contains('SameSite=Lax')
        set.contains('Path=/login/callback')
        set.contains('Max-Age=600')
        !set.toLowerCase().contains('secure')   // plain http here; https addresses get Secure

        when:
        def done = get(started.callback as String, started.binding as String)

        then: 'signed in, and the binding is gone'
        done.statusCode() == 303
        setCookie(done, 'LC_SESSION') != null
        setCookie(done, 'LC_LOGIN').startsWith('LC_LOGIN=;')
        setCookie(done, 'LC_LOGIN').contains('Max-Age=0')
        setCookie(done, 'LC_LOGIN').contains('Path=/login/callback')
    }
}
