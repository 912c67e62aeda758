package org.labcommons.core.web

import jakarta.inject.Inject
import org.labcommons.core.directory.TenantDirectory
import org.labcommons.core.security.CallerResolver
import org.labcommons.core.security.Role
import org.labcommons.core.security.RoleAssignments
import org.labcommons.core.security.ScopeType
import org.labcommons.core.tenancy.TenantId
import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.Browser
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse

/**
 * The web kit in a real browser (headless Chromium): the layout in zh-CN and en, the language
 * switch, sign-in through the identity provider's form and sign-out, pages that need sign-in or
 * an action, htmx with the CSRF header, webjars, maps, a suspended institution, and a phone's
 * viewport without sideways scrolling.
 */
class WebKitBrowserSpec extends PlatformSpec {
    static final String RUN = UUID.randomUUID().toString().substring(0, 8)
    static final String SUSPENDED_ISSUER = "web-kit-susp-${RUN}".toString()
    static final String TILES = NO_MAP_TILES['labcommons.maps.tile-url']

    @Inject TenantDirectory directory
    @Inject RoleAssignments roles
    @Inject CallerResolver callers
    Browser browser = Browser.get()
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()

    @Override
    Map<String, String> ownProperties() {
        ['labcommons.demo.enabled': 'true', 'labcommons.test.web-kit-pages': 'true'] + NO_MAP_TILES + loginIssuers(SUSPENDED_ISSUER)
    }

    def setup() {
        browser.reset()
    }

    String app(String path) { baseUrl + path }

    HttpResponse<String> get(String path, String cookie = null) {
        def b = HttpRequest.newBuilder(URI.create(app(path))).GET()
        if (cookie) { b.header('Cookie', cookie) }
        http.send(b.build(), HttpResponse.BodyHandlers.ofString())
    }

    String sessionCookie() { 'LC_SESSION=' + browser.cookie('LC_SESSION').value }

    def "the home page is in Chinese by default, drawn with a Chinese font"() {
        when:
        browser.open(app('/'))

        then:
        browser.attribute('html', 'lang') == 'zh-CN'
        browser.text('h1') == '成员单位'
        browser.text('.brand') == 'LabCommons 大型仪器共享平台'
        browser.text('#tenants').contains('东湖大学')
        browser.text('#login') == '登录'
        browser.renderedFonts('h1').any { it.contains('WenQuanYi') || it.contains('CJK') }

        cleanup:
        browser.screenshot('home-zh-desktop')
    }

    def "?lang=en shows English, and the choice is remembered for later pages"() {
        when:
        browser.open(app('/?lang=en'))

        then:
        browser.attribute('html', 'lang') == 'en'
        browser.text('h1') == 'Members'
        browser.text('#tenants').contains('Donghu University')
        browser.text('#lang-switch') == '中文'

        when: 'a link without lang is followed'
        browser.open(app('/'))

        then:
        browser.text('h1') == 'Members'
    }

    def "the language switch keeps the path and the query"() {
        when:
        browser.open(app('/?view=cards&lang=en&page=2'))
        browser.click('#lang-switch')

        then:
        browser.pathAndQuery() == '/?view=cards&page=2&lang=zh-CN'
        browser.text('h1') == '成员单位'

        when: 'on a page that needs sign-in'
        browser.signIn(app(''), null, "switch-${RUN}", '/account?lang=zh-CN')
        browser.click('#lang-switch')

        then:
        browser.pathAndQuery() == '/account?lang=en'
        browser.text('h1') == 'My account'
    }

    def "a person signs in through the identity provider's form, and signs out"() {
        when:
        browser.signIn(app(''), 'consortium', "web-kit-${RUN}", '/?lang=en')

        then: 'back where they started, signed in, with the CSRF token for htmx in the page'
        browser.url() == app('/?lang=en')
        browser.text('#account-link') == "Signed in as: web-kit-${RUN}"
        browser.attribute('meta[name=csrf-token]', 'content').length() >= 43
        !browser.exists('#login')

        when:
        browser.signOut(app(''))

        then: 'the session is gone here and at the identity provider'
        browser.exists('#login')
        browser.cookie('LC_SESSION') == null
        !browser.exists('meta[name=csrf-token]')

        when: 'a page that needs sign-in is opened again'
        browser.open(app('/account'))

        then: 'the sign-in page asks where they belong; the consortium account leads to its provider, which asks who it is'
        browser.exists('#chooser')
        browser.click('#outside-login')
        browser.waitForUrl { it.startsWith(SharedDevStack.get().identityProvider().issuer('consortium')) }
        browser.exists('input[name=username]')
    }

    def "a page that needs sign-in goes through sign-in and comes back to itself"() {
        when:
        browser.open(app('/account?lang=en'))

        then: 'the sign-in page, keeping the way back'
        browser.pathAndQuery().startsWith('/login?returnTo=')
        browser.exists('#chooser')

        when: 'the consortium account is chosen'
        browser.click('#outside-login')

        then:
        browser.waitForUrl { it.startsWith(SharedDevStack.get().identityProvider().baseUrl()) }

        when:
        browser.type('input[name=username]', "returning-${RUN}").click('input[type=submit]')
        browser.waitForUrl { it.startsWith(app('/account')) }

        then:
        browser.pathAndQuery() == '/account?lang=en'
        browser.text('#account-name') == "returning-${RUN}"
        browser.text('#account-tenant') == 'Yangtze Delta Instrument Sharing Consortium'
        browser.exists('#no-roles')
    }

    def "a page that needs an action answers 403 in the caller's language; its menu link shows only with the role"() {
        given:
        String subject = "plain-${RUN}"
        browser.signIn(app(''), null, subject, '/?lang=en')

        expect: 'no link to what the caller may not do'
        !browser.exists('a[href="/test/web-kit/organisation"]')

        when:
        browser.open(app('/test/web-kit/organisation?lang=en'))

        then:
        browser.attribute('#forbidden', 'data-reason') == 'forbidden'
        browser.text('#forbidden') == 'You may not open this page'
        get('/test/web-kit/organisation', sessionCookie()).statusCode() == 403
        get('/test/web-kit/organisation', sessionCookie()).headers().firstValue('Content-Type').get().startsWith('text/html')

        when:
        browser.open(app('/test/web-kit/organisation?lang=zh-CN'))

        then:
        browser.text('#forbidden') == '无权访问此页面'

        when: 'the caller becomes an institution admin'
        def issuer = SharedDevStack.get().identityProvider().issuer('consortium')
        def consortium = directory.findActive('consortium').get()
        def userId = callers.resolveSession(issuer, subject, null, null).caller().get().userId()
        roles.grant(consortium, userId, Role.INSTITUTION_ADMIN, ScopeType.TENANT, null, null)
        browser.open(app('/?lang=en'))

        then:
        browser.exists('a[href="/test/web-kit/organisation"]')

        when:
        browser.click('a[href="/test/web-kit/organisation"]')

        then:
        browser.text('#organisation') == subject
    }

    def "htmx sends the session's CSRF token on unsafe requests"() {
        given:
        browser.signIn(app(''), null, "htmx-${RUN}", '/?lang=en')
        browser.js('''const d = document.createElement('div'); d.id = 'ping-target'; document.querySelector('main').appendChild(d);''')

        expect: 'htmx and the helper are loaded'
        browser.js('return typeof htmx') == 'object'
        browser.js('return LabCommons.csrfToken()') == browser.attribute('meta[name=csrf-token]', 'content')

        and: 'a POST without the token is refused'
        browser.js('''return fetch('/test/web-kit/ping', {method: 'POST'}).then(r => r.status);''') == 403

        when:
        browser.js('''htmx.ajax('POST', '/test/web-kit/ping', {target: '#ping-target', swap: 'innerHTML'});''')

        then:
        browser.waitForText('#ping-target', 'pong')

        when: 'the session ends and htmx asks for a page that needs sign-in'
        browser.js('''return fetch('/logout', {method: 'POST', headers: {'X-CSRF-Token': LabCommons.csrfToken()}, redirect: 'manual'}).then(r => r.type);''')
        browser.js('''htmx.ajax('GET', '/account', {target: '#ping-target', swap: 'innerHTML'});''')

        then: 'the whole page goes to sign-in, not just the fragment'
        browser.waitForUrl { it.startsWith(app('/login?')) }
        browser.exists('#chooser')

        when:
        browser.click('#outside-login')
        browser.waitForUrl { it.startsWith(SharedDevStack.get().identityProvider().baseUrl()) }
        browser.type('input[name=username]', "htmx-${RUN}").click('input[type=submit]')

        then: 'and comes back to the page, not to the fragment'
        browser.waitForUrl { it.startsWith(app('/')) && !it.contains('/login') }
        browser.pathAndQuery() == '/?lang=en'
    }

    def "htmx and Leaflet are served as webjars, and everything the layout loads is there"() {
        given:
        browser.open(app('/'))
        List<String> assets = browser.js('''return [...document.querySelectorAll('script[src], link[rel=stylesheet]')]
                .map(e => e.getAttribute('src') || e.getAttribute('href'));''') as List<String>

        expect:
        assets.containsAll(['/static/app.css', '/webjars/htmx.org/2.0.4/dist/htmx.min.js', '/static/app.js'])
        (assets + ['/webjars/leaflet/1.9.4/dist/leaflet.js', '/webjars/leaflet/1.9.4/dist/leaflet.css',
                   '/webjars/leaflet/1.9.4/dist/images/marker-icon.png']).every { get(it).statusCode() == 200 }
        get('/webjars/htmx.org/2.0.4/dist/htmx.min.js').body().contains('htmx')
    }

    def "a map element becomes a Leaflet map with the tiles of its data-tile-url (or its plain fallback); its label is text, never HTML"() {
        given:
        browser.open(app('/'))

        when:
        browser.js('''
            const css = document.createElement('link'); css.rel = 'stylesheet'; css.href = '/webjars/leaflet/1.9.4/dist/leaflet.css';
            document.head.appendChild(css);
            const s = document.createElement('script'); s.src = '/webjars/leaflet/1.9.4/dist/leaflet.js';
            document.head.appendChild(s);
            const m = document.createElement('div'); m.className = 'map'; m.id = 'the-map'; m.setAttribute('data-map', '');
            m.dataset.lat = '30.2636'; m.dataset.lon = '120.1236'; m.dataset.label = '<b id="injected">NMR</b>';
            m.dataset.tileUrl = 'TILE_URL';
            document.querySelector('main').appendChild(m);'''.replace('TILE_URL', TILES))
        browser.waitUntil('Leaflet loaded') { browser.js('return typeof L') == 'object' }
        browser.js('''
            window.tileSrcs = [];
            const url = L.TileLayer.prototype.getTileUrl;
            L.TileLayer.prototype.getTileUrl = function (c) { const u = url.call(this, c); window.tileSrcs.push(u); return u; };
            LabCommons.initMaps();''')

        then: 'the tiles were asked from data-tile-url; the address refuses, so the marker stays on the plain background'
        browser.exists('#the-map.leaflet-container')
        List<String> srcs = browser.js('return window.tileSrcs') as List<String>
        !srcs.isEmpty()
        srcs.every { it.startsWith('http://localhost:1/tiles/16/') }
        browser.waitUntil('the fallback') { browser.attribute('#the-map', 'class').contains('map-offline') }
        browser.attribute('#the-map', 'data-fallback') == 'error'
        !browser.exists('#the-map img.leaflet-tile')

        when:
        browser.click('#the-map .leaflet-marker-icon')

        then: 'the popup fades in (its text is invisible to WebDriver until then)'
        browser.waitForText('.leaflet-popup-content', 'NMR')
        browser.text('.leaflet-popup-content') == '<b id="injected">NMR</b>'
        !browser.exists('#injected')
    }

    def "a suspended institution's people are refused on pages too, and are back after reactivation"() {
        given: 'an institution that signs its people in with its own issuer'
        def world = TenantWorld.build(ctx) {
            institution('web-kit', slug: "web-kit-${RUN}", issuer: SUSPENDED_ISSUER, nameZh: '网页测试大学', nameEn: 'Web Kit University')
        }
        def tenant = new TenantId(world.tenant('web-kit').id)
        String token = world.tokenOf('web-kit', "member-${RUN}")

        when:
        browser.signIn(app(''), SUSPENDED_ISSUER, "member-${RUN}", '/account?lang=en')

        then:
        browser.text('#account-tenant') == 'Web Kit University'

        and: 'the API takes the same person'
        apiStatus(token) == 200

        when: 'the institution is suspended'
        setStatus(tenant, 'suspended')
        browser.open(app('/account?lang=en'))

        then: 'its signed-in person gets the suspended page, not another sign-in'
        browser.attribute('#forbidden', 'data-reason') == 'suspended'
        browser.text('#forbidden') == 'Access suspended'
        get('/account', sessionCookie()).statusCode() == 403

        and: 'the API refuses them too'
        apiStatus(token) == 403

        when:
        browser.open(app('/?lang=zh-CN'))

        then:
        browser.text('#suspended-notice').contains('已暂停')

        when: 'it is reactivated'
        setStatus(tenant, 'active')
        browser.open(app('/account?lang=en'))

        then:
        browser.text('#account-tenant') == 'Web Kit University'
        !browser.exists('#suspended-notice')
        apiStatus(token) == 200
    }

    int apiStatus(String token) {
        http.send(HttpRequest.newBuilder(URI.create(app('/api/v1/me'))).header('Authorization', 'Bearer ' + token).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()
    }

    void setStatus(TenantId tenant, String status) {
        TenantWorld.jdbc { c ->
            c.prepareStatement('update tenant set status = ? where id = ?').withCloseable { ps ->
                ps.setString(1, status); ps.setObject(2, tenant.value()); ps.executeUpdate()
            }
        }
    }

    def "a form page shows a service's problem next to the field, in the page's language"() {
        given:
        browser.signIn(app(''), null, "form-${RUN}", '/test/web-kit/form?lang=en')

        when:
        browser.click('#save')

        then:
        browser.text('#form-problem').startsWith('The request has invalid fields')
        browser.text('#error-name') == 'must not be blank'

        when:
        browser.open(app('/test/web-kit/form?lang=zh-CN')).click('#save')

        then:
        browser.text('#error-name') == '不能为空'

        when: 'the valid form is saved (a POST answered by a redirect, which the browser follows in its own time)'
        browser.type('#name', '核磁共振').click('#save')
        browser.waitForUrl { it.contains('total=') }

        then:
        browser.pathAndQuery() == '/test/web-kit/form?total=1'
        !browser.exists('#form-problem')
    }

    def "the pager keeps the other parameters and moves one page at a time"() {
        when:
        browser.open(app('/test/web-kit/form?q=nmr&lang=en&total=45'))

        then:
        browser.text('#pager .pager-position') == 'Page 1 / 3 · 45 items'
        !browser.exists('#pager a[rel=prev]')

        when:
        browser.click('#pager a[rel=next]')

        then:
        browser.pathAndQuery() == '/test/web-kit/form?q=nmr&lang=en&total=45&page=1'
        browser.text('#pager .pager-position') == 'Page 2 / 3 · 45 items'

        when:
        browser.click('#pager a[rel=next]')

        then:
        browser.pathAndQuery() == '/test/web-kit/form?q=nmr&lang=en&total=45&page=2'
        !browser.exists('#pager a[rel=next]')
        browser.exists('#pager a[rel=prev]')
    }

    def "a problem on a page is an error page for a browser and stays problem+json for the API's clients"() {
        when:
        browser.open(app('/test/web-kit/missing?lang=en'))

        then:
        browser.attribute('#problem', 'data-status') == '404'
        browser.text('#problem') == 'Not found'

        when:
        def json = get('/test/web-kit/missing')

        then:
        json.statusCode() == 404
        json.headers().firstValue('Content-Type').get().startsWith('application/problem+json')
    }

    def "a template error is a 500 answer, not a page that never ends"() {
        when:
        def response = http.sendAsync(HttpRequest.newBuilder(URI.create(app('/test/web-kit/broken'))).GET().build(),
                HttpResponse.BodyHandlers.ofString()).get(10, java.util.concurrent.TimeUnit.SECONDS)

        then:
        response.statusCode() == 500
    }

    def "on a phone, pages fit the screen: no sideways scrolling (#path)"() {
        given:
        browser.phone()
        if (signedIn) {
            browser.signIn(app(''), null, "phone-user-with-a-rather-long-name-${RUN}", path)
        }

        when:
        browser.open(app(path))

        then:
        browser.viewportWidth() == 390
        browser.assertNoHorizontalScroll()

        cleanup:
        browser.screenshot('phone' + path.replaceAll('[^a-z=-]', '-'))

        where:
        path                                    | signedIn
        '/'                                     | false
        '/?lang=en'                             | false
        '/?lang=en'                             | true
        '/account?lang=zh-CN'                   | true
        '/account?lang=en'                      | true
        '/test/web-kit/organisation?lang=en'    | true
        '/test/web-kit/form?lang=zh-CN&total=45'| true
        '/test/web-kit/missing?lang=en'         | false
    }
}
