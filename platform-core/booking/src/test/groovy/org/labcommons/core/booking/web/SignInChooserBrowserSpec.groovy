package org.labcommons.core.booking.web

import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.Browser
import org.labcommons.testkit.PlatformSpec

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse

/**
 * Signing in as a member of one's institution, in headless Chromium, in Chinese, at a phone's and
 * a desktop's width, against the demo institutions (东湖大学 Donghu, 西岭理工大学 Xiling, each with
 * its own issuer of the dev identity provider): "登录" opens the institution chooser; typing part of
 * a name leaves that institution; its own provider signs the person in and they are back as its
 * member ("我的预约" works); after signing out the chooser remembers the institution. The outside
 * user's choice goes to the consortium's provider, and "我的预约" then explains (403) how to sign in
 * through one's institution instead of answering 404.
 */
class SignInChooserBrowserSpec extends PlatformSpec {
    static final String RUN = UUID.randomUUID().toString().substring(0, 8)

    Browser browser = Browser.get()
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()

    @Override
    Map<String, String> ownProperties() {
        ['labcommons.demo.enabled': 'true'] + NO_MAP_TILES
    }

    def setup() {
        browser.reset()
    }

    String app(String path) { baseUrl + path }

    String idp(String issuer) { SharedDevStack.get().identityProvider().issuer(issuer) }

    void resize(String size) {
        size == 'phone' ? browser.phone() : browser.desktop()
    }

    /** The visible entries of the chooser's list, by slug. */
    List<String> shownInstitutions() {
        browser.findAll('#institutions li[data-slug]').findAll { it.displayed }.collect { it.getAttribute('data-slug') }
    }

    /** On the dev provider's form: the user name, then back at the app. */
    void signInAtProvider(String username) {
        browser.type('input[name=username]', username)
        browser.click('input[type=submit]')
        browser.waitForUrl { it.startsWith(app('/')) && !it.contains('/login') }
    }

    def "a Xiling researcher clicks 登录, finds their university by part of its name, signs in there and is back as its member; the chooser remembers it (#size)"() {
        given:
        resize(size)
        String researcher = "xiling-researcher-${RUN}-${size}"

        when: 'the home page, in Chinese, and its 登录 link'
        browser.open(app('/?lang=zh-CN'))
        browser.click('#login')

        then: 'the institution chooser, not the consortium provider'
        browser.pathAndQuery().startsWith('/login?returnTo=')
        browser.text('#chooser h1') == '选择您所在的单位'
        shownInstitutions().containsAll(['donghu', 'xiling'])
        browser.text('#institutions li[data-slug=xiling] .login-name') == '西岭理工大学'
        browser.text('#institutions li[data-slug=xiling] .login-other') == 'Xiling University of Technology'
        browser.text('#outside-login') == '我不是成员单位用户，使用联盟账户登录'
        !browser.exists('#continue')
        browser.assertNoHorizontalScroll()
        browser.screenshot("sign-in-chooser-opens-${size}")

        when: 'part of the name is typed'
        browser.type('#institution-q', '西岭')

        then: 'only that university is left'
        shownInstitutions() == ['xiling']
        browser.screenshot("sign-in-chooser-filtered-by-name-${size}")

        when: 'the English initials work as well'
        browser.type('#institution-q', 'xut')

        then:
        shownInstitutions() == ['xiling']

        when: 'it is chosen'
        browser.click('#institutions li[data-slug=xiling] a')

        then: "the university's own provider asks who it is"
        browser.waitForUrl { it.startsWith(idp('xiling')) }
        browser.screenshot("sign-in-chooser-university-provider-${size}")

        when:
        signInAtProvider(researcher)

        then: 'back on the home page, signed in'
        browser.pathAndQuery() == '/?lang=zh-CN'
        browser.text('#account-link') == "当前用户: ${researcher}"

        when: '我的预约'
        browser.open(app('/my/bookings'))

        then: 'their bookings at Xiling, as its member'
        browser.exists('#my-bookings')
        !browser.exists('#membership-required')
        browser.text('#mine-scope').contains('西岭理工大学')
        browser.screenshot("sign-in-chooser-member-my-bookings-${size}")

        when: 'the account page'
        browser.open(app('/account'))

        then:
        browser.text('#account-tenant') == '西岭理工大学'

        when: 'signed out, and 登录 again'
        browser.signOut(app(''))
        browser.click('#login')

        then: 'the chooser remembers the university: one click continues as its member, and it heads the list'
        browser.text('#continue') == '以西岭理工大学成员身份继续'
        shownInstitutions().first() == 'xiling'
        browser.cookie('LC_INSTITUTION').value == 'xiling'
        browser.cookie('LC_INSTITUTION').httpOnly
        browser.assertNoHorizontalScroll()
        browser.screenshot("sign-in-chooser-remembers-institution-${size}")

        when:
        browser.click('#continue')

        then:
        browser.waitForUrl { it.startsWith(idp('xiling')) }

        where:
        size << ['phone', 'desktop']
    }

    def "an outside user signs in with the consortium account; 我的预约 then explains how to sign in as a member instead of 404 (#size)"() {
        given:
        resize(size)
        String outsider = "outside-${RUN}-${size}"

        when: 'the outside user option on the chooser'
        browser.open(app('/?lang=zh-CN'))
        browser.click('#login')
        browser.screenshot("sign-in-chooser-outside-option-${size}")
        browser.click('#outside-login')

        then: "the consortium's provider"
        browser.waitForUrl { it.startsWith(idp('consortium')) }

        when:
        signInAtProvider(outsider)
        browser.open(app('/my/bookings'))

        then: 'a page that says who they are signed in as and what to do, not "not found"'
        browser.text('#membership-required-title') == '此页面需要成员单位的账户'
        browser.text('#membership-required-who').contains(outsider)
        browser.text('#membership-required-who').contains('联盟账户')
        browser.text('#membership-required-who').contains('长三角科研仪器共享联盟')
        browser.text('#choose-institution') == '通过我所在的单位登录'
        browser.exists('#outside-catalogue')
        browser.text('#bookings-at label') == '我在以下单位的预约：'
        browser.texts('#bookings-at-tenant option').containsAll(['东湖大学', '西岭理工大学'])
        browser.findAll('#outside-options a').size() <= 3
        browser.attribute('#bookings-at', 'action').endsWith('/my/bookings')
        !browser.title().contains('未找到')
        browser.assertNoHorizontalScroll()
        browser.screenshot("sign-in-not-member-explains-${size}")

        and: 'answered with 403, not 404'
        myBookingsStatus() == 403

        when: 'they choose to sign in through their institution'
        browser.click('#choose-institution')

        then: 'the chooser, coming back to 我的预约'
        browser.exists('#chooser')
        URLDecoder.decode(browser.pathAndQuery(), 'UTF-8').contains('returnTo=/my/bookings')

        when:
        browser.type('#institution-q', '东湖')
        browser.click('#institutions li[data-slug=donghu] a')
        browser.waitForUrl { it.startsWith(idp('donghu')) }
        signInAtProvider("donghu-${RUN}-${size}")

        then: 'back on 我的预约, now as a member of Donghu (the consortium session replaced)'
        browser.pathAndQuery() == '/my/bookings'
        browser.exists('#my-bookings')
        browser.text('#mine-scope').contains('东湖大学')
        browser.text('#account-link').contains("donghu-${RUN}-${size}")
        browser.screenshot("sign-in-not-member-then-member-${size}")

        where:
        size << ['phone', 'desktop']
    }

    def "the test kit signs in through the chooser as a person would"() {
        when:
        browser.signInWithChooser(app(''), '西岭理工', "kit-${RUN}", '/account?lang=zh-CN')

        then:
        browser.pathAndQuery() == '/account?lang=zh-CN'
        browser.text('#account-tenant') == '西岭理工大学'
        browser.cookie('LC_INSTITUTION').value == 'xiling'
    }

    /** The status of 我的预约 for the browser's current session, asked for as a page. */
    int myBookingsStatus() {
        def r = http.send(HttpRequest.newBuilder(URI.create(app('/my/bookings'))).GET().header('Accept', 'text/html')
                .header('Cookie', 'LC_SESSION=' + browser.cookie('LC_SESSION').value).build(), HttpResponse.BodyHandlers.ofString())
        r.statusCode()
    }
}
