package org.labcommons.core.web.auth

import jakarta.inject.Inject
import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.sql.Connection
import java.time.Duration

/**
 * The sign-in page's institution chooser against the database: which institutions it lists
 * ({@code login_institutions()}), the filter, the start of a sign-in at the chosen institution's
 * own provider, the {@code LC_INSTITUTION} cookie remembering it, and {@code /login?issuer=} as it was.
 */
class InstitutionChooserSpec extends PlatformSpec {
    static final String RUN = UUID.randomUUID().toString().substring(0, 8)

    @Inject InstitutionChooser chooser
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()

    static TenantWorld world

    def setup() {
        if (world == null) {
            world = TenantWorld.build(ctx) {
                institution('ch-north', nameZh: "北湖${RUN}大学", nameEn: "Beihu ${RUN} University")
                institution('ch-south', nameZh: "南山${RUN}理工学院", nameEn: "Nanshan Institute of Technology ${RUN}")
                institution('ch-suspended', nameZh: "停用${RUN}大学", nameEn: "Paused ${RUN} University", status: 'suspended')
                institution('ch-no-idp', nameZh: "无认证${RUN}大学", nameEn: "Noidp ${RUN} University", trustIssuer: false)
                institution('ch-disabled', nameZh: "关闭${RUN}大学", nameEn: "Closed ${RUN} University")
                network('ch-network', nameZh: "网络${RUN}", nameEn: "Network ${RUN}")
            }
            TenantWorld.inTenant(world.tenant('ch-disabled')) { Connection c ->
                c.prepareStatement('update trusted_issuer set enabled = false').executeUpdate()
            }
        }
    }

    HttpResponse<String> get(String path, String cookie = null) {
        def b = HttpRequest.newBuilder(URI.create(baseUrl + path)).GET().header('Accept', 'text/html')
        if (cookie) { b.header('Cookie', cookie) }
        http.send(b.build(), HttpResponse.BodyHandlers.ofString())
    }

    static String enc(String s) { URLEncoder.encode(s, 'UTF-8') }

    static String setCookie(HttpResponse<String> r, String name) {
        r.headers().allValues('Set-Cookie').find { it.startsWith(name + '=') }
    }

    List<String> mine(Locale locale) {
        chooser.all(locale).findAll { it.nameEn().contains(RUN) }*.slug()
    }

    def "the chooser lists active institutions with an enabled identity provider of their own, by name"() {
        expect: 'not a suspended institution, one without a provider or with its provider disabled, nor a network'
        mine(Locale.ENGLISH) == [world.tenant('ch-north').slug, world.tenant('ch-south').slug]
        chooser.find(world.tenant('ch-north').slug).get().issuer() == world.tenant('ch-north').issuer
        chooser.find(world.tenant('ch-suspended').slug).isEmpty()
        chooser.find(world.tenant('ch-network').slug).isEmpty()

        and: "the consortium's own issuer is never an institution on the list"
        !chooser.all(Locale.ENGLISH).any { it.issuer() == SharedDevStack.get().identityProvider().issuer('consortium') }
    }

    def "the sign-in page lists them as links that keep the way back, filters by name without script, and offers the consortium account"() {
        when:
        def page = get("/login?returnTo=${enc('/my/bookings')}&lang=en")
        String north = world.tenant('ch-north').slug

        then:
        page.statusCode() == 200
        page.body().contains('id="chooser"')
        (page.body() =~ /href="\/login\?institution=${north}&amp;returnTo=(%2F|\/)my(%2F|\/)bookings"/).find()
        page.body().contains("Beihu ${RUN} University")
        page.body().contains("北湖${RUN}大学")
        !page.body().contains("Paused ${RUN} University")
        page.body().contains("id=\"outside-login\" href=\"/login?issuer=${enc(SharedDevStack.get().identityProvider().issuer('consortium'))}&amp;returnTo=%2Fmy%2Fbookings\"")

        when: 'searched for by Chinese name, by the initials of the English one'
        def byZh = get("/login?q=${enc('南山' + RUN)}&returnTo=%2F")
        def byInitials = get("/login?q=${enc(RUN + ' NIT')}&returnTo=%2F")

        then:
        byZh.body().contains(world.tenant('ch-south').slug)
        !byZh.body().contains("data-slug=\"${north}\"")
        byInitials.body().contains("data-slug=\"${world.tenant('ch-south').slug}\"")
        !byInitials.body().contains("data-slug=\"${north}\"")
    }

    def "choosing an institution starts the sign-in at its own provider and remembers the choice for a long time"() {
        given:
        def south = world.tenant('ch-south')

        when:
        def start = get("/login?institution=${south.slug}&returnTo=${enc('/my/bookings')}")

        then: 'the authorization code flow with PKCE at the institution provider, bound to this browser'
        start.statusCode() == 303
        start.headers().firstValue('Location').get().startsWith(south.issuer)
        start.headers().firstValue('Location').get().contains('code_challenge_method=S256')
        setCookie(start, 'LC_LOGIN') != null

        and: 'the choice in a long-lived, HttpOnly, SameSite=Lax cookie for the whole site'
        String remembered = setCookie(start, InstitutionChooser.COOKIE)
        remembered.startsWith("LC_INSTITUTION=${south.slug};")
        remembered.contains('Path=/')
        remembered.toLowerCase().contains('httponly')
        remembered.contains('SameSite=Lax')
        remembered.contains("Max-Age=${Duration.ofDays(400).seconds}")

        when: 'the sign-in page is opened again with that cookie'
        def again = get('/login?returnTo=%2F&lang=en', "LC_INSTITUTION=${south.slug}")

        then: 'one click continues as a member of it, and it heads the list'
        (again.body() =~ /id="continue"\s+href="\/login\?institution=${south.slug}&amp;returnTo=(%2F|\/)"/).find()
        again.body().contains("Continue as a member of Nanshan Institute of Technology ${RUN}")
        int list = again.body().indexOf('id="institutions"')
        again.body().indexOf('data-slug="', list) == again.body().indexOf("data-slug=\"${south.slug}\"", list)
    }

    def "a remembered institution that no longer accepts sign-in is not offered; an unknown one is refused"() {
        when:
        def page = get('/login?lang=en', "LC_INSTITUTION=${world.tenant('ch-suspended').slug}")
        def unknown = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl + '/login?institution=no-such-place')).GET()
                .header('Accept', 'application/json').build(), HttpResponse.BodyHandlers.ofString())

        then:
        page.statusCode() == 200
        !page.body().contains('id="continue"')
        unknown.statusCode() == 400
        unknown.body().contains('unknown_institution')
    }

    def "/login with an issuer starts at once, as before, and remembers nothing"() {
        when:
        def start = get("/login?issuer=${enc(world.tenant('ch-north').issuer)}&returnTo=%2F")

        then:
        start.statusCode() == 303
        start.headers().firstValue('Location').get().startsWith(world.tenant('ch-north').issuer)
        setCookie(start, InstitutionChooser.COOKIE) == null
    }
}
