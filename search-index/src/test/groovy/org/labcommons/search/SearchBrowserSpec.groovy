package org.labcommons.search

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.core.web.auth.WebSessions
import org.labcommons.testkit.Browser
import org.labcommons.testkit.PlatformSpec
import org.openqa.selenium.Cookie
import org.openqa.selenium.Keys
import org.openqa.selenium.chromium.HasCdp
import spock.lang.Shared

/**
 * The search page in headless Chromium: a visitor types "透射电镜" and finds another
 * institution's instrument named only "Transmission electron microscope …" (the synonym), reads
 * the facet counts and narrows the list with one, gets an autocomplete list for a prefix and picks
 * from it with the keyboard, sees the located hits as markers on the map (no tile loads in tests;
 * the markers still do), sorts by distance from the browser's position ("near me"), reads the page
 * in English and on a phone without sideways scrolling; a signed-in member sees a
 * consortium-scoped entry the visitor does not, at the consortium member rate.
 */
class SearchBrowserSpec extends PlatformSpec {
    @Inject JsonMapper json
    @Inject WebSessions sessions
    @Shared SearchFixture f
    @Shared SearchPageFixture p
    Browser browser = Browser.get()

    @Override
    Map<String, String> ownProperties() {
        NO_MAP_TILES
    }

    def setup() {
        if (f == null) {
            f = new SearchFixture(ctx)
            p = new SearchPageFixture(f, sessions)
        }
        browser.reset()
    }

    String app(String path) { "http://localhost:${server.port}${path}" }

    String hit(String key) { "#result-list .hit[data-id='${p.id(key)}']" }

    List<String> hitIds() { browser.findAll('#result-list .hit')*.getDomAttribute('data-id') }

    def "a visitor finds another institution's TEM by its Chinese synonym, reads the facets and narrows the list with one"() {
        when: 'the search typed into the box and sent with Enter'
        browser.open(app('/search'))
        browser.type('#q', '透射电镜')
        browser.find('#q').sendKeys(Keys.ENTER)
        browser.waitForUrl { it.contains('q=%E9%80%8F%E5%B0%84%E7%94%B5%E9%95%9C') }

        then: "B's instrument, named in English only as a TEM, with its Chinese name first"
        browser.attribute('html', 'lang') == 'zh-CN'
        browser.text('#interpreted') == '已按以下仪器类型理解：TEM'
        browser.text("${hit('temB')} a.name") == '高分辨电子显微镜'
        browser.text("${hit('temB')} .other-name") == 'Transmission electron microscope JEM-F200'
        browser.text("${hit('temB')} .owner") == '乙大学'
        browser.text("${hit('temB')} .services") == '高分辨成像、电子衍射'
        browser.text("${hit('temB')} .rate-group") == '校外价'
        browser.text("${hit('temB')} .price-on-request") == '价格面议'
        browser.text("${hit('temA')} .status") == '维修中'
        !browser.exists(hit('temBMembers'))

        and: 'the facet counts'
        browser.text("#facet-institution a[data-key='${p.slug('a')}'] .facet-count") == '1'
        browser.text("#facet-institution a[data-key='${p.slug('b')}'] .facet-count") == '1'
        browser.text("#facet-institution a[data-key='${p.slug('c')}'] .facet-count") == '1'
        browser.text("#facet-institution a[data-key='${p.slug('b')}'] .facet-label") == '乙大学'
        browser.texts('#facet-status .facet-label').containsAll(['在用', '维修中'])
        browser.screenshot('search-zh-visitor')

        when: "B's institution chosen"
        browser.click("#facet-institution a[data-key='${p.slug('b')}']")
        browser.waitForUrl { it.contains("institution=${p.slug('b')}") }

        then: 'only B remains, the choice shows as a chip'
        browser.text('#result-count') == '共找到 1 台仪器'
        hitIds() == [p.id('temB')]
        browser.text('#chips [data-facet=institution]').contains('所属单位: 乙大学')
        browser.attribute("#facet-institution a[data-key='${p.slug('b')}']", 'aria-current') == 'true'

        when: 'the chip removes it again'
        browser.click('#chips [data-facet=institution]')
        browser.waitForUrl { !it.contains('institution=') }

        then:
        hitIds().containsAll([p.id('temA'), p.id('temB'), p.id('temC')])
    }

    def "the autocomplete lists suggestions for a prefix; the keyboard picks one and searches it"() {
        given:
        browser.open(app('/search'))

        when:
        browser.type('#q', '高分辨电子')
        browser.waitUntil('suggestions shown') { browser.visible('#suggestions [role=option]') }

        then:
        browser.attribute('#q', 'aria-expanded') == 'true'
        browser.texts('#suggestions [role=option] .suggestion-text').contains('高分辨电子显微镜')

        when: 'arrow down to that suggestion, Enter'
        int n = browser.texts('#suggestions [role=option] .suggestion-text').indexOf('高分辨电子显微镜')
        (n + 1).times { browser.find('#q').sendKeys(Keys.ARROW_DOWN) }
        String active = browser.attribute('#q', 'aria-activedescendant')
        browser.find('#q').sendKeys(Keys.ENTER)
        browser.waitForUrl { it.contains('/search?q=') && it.contains('%E9%AB%98%E5%88%86%E8%BE%A8%E7%94%B5%E5%AD%90%E6%98%BE%E5%BE%AE%E9%95%9C') }

        then:
        active == "suggestion-${n}".toString()
        browser.attribute('#q', 'value') == '高分辨电子显微镜'
        hitIds().contains(p.id('temB'))

        when: 'Escape closes the list'
        browser.type('#q', 'Transmission')
        browser.waitUntil('suggestions shown') { browser.visible('#suggestions [role=option]') }
        browser.find('#q').sendKeys(Keys.ESCAPE)

        then:
        !browser.visible('#suggestions')
        browser.attribute('#q', 'aria-expanded') == 'false'
    }

    def "the located hits are markers on the map, with the name in the popup; near me sorts by distance"() {
        when:
        browser.open(app("/search?q=${p.marker}"))
        browser.waitUntil('markers drawn') { browser.findAll('#results-map .leaflet-marker-icon').size() > 0 }

        then: 'one marker per located hit (A, B and C have a place; the NMR has none)'
        browser.findAll('#result-list .hit[data-lat]').size() == 3
        browser.findAll('#results-map .leaflet-marker-icon').size() == 3

        when:
        // markers near each other may overlap at this zoom: click this one directly
        browser.js("document.querySelector('#results-map .leaflet-marker-icon[title=\"透射电子显微镜\"]').click()")
        browser.waitUntil('popup open') { browser.visible('#results-map .leaflet-popup-content a') }

        then:
        browser.text('#results-map .leaflet-popup-content a') == '透射电子显微镜'
        browser.attribute('#results-map .leaflet-popup-content a', 'href') == "/t/${p.slug('a')}/instruments/${p.id('temA')}".toString()
        browser.text('#results-map .leaflet-popup-content').contains('甲大学')

        when: "near me, with the browser placed at B's TEM"
        def cdp = (HasCdp) browser.driver()
        cdp.executeCdpCommand('Browser.grantPermissions', [origin: app(''), permissions: ['geolocation']])
        cdp.executeCdpCommand('Emulation.setGeolocationOverride', [latitude: 30.2741d, longitude: 120.1551d, accuracy: 10])
        browser.click('#near-me')
        browser.waitForUrl { it.contains('sort=distance') && it.contains('lat=30.2741') }

        then: 'nearest first, each with its distance'
        hitIds().first() == p.id('temB')
        browser.text("${hit('temB')} .distance") == '0.0 公里'
        browser.text('#near-active').contains('距离从您的位置（30.2741')
        browser.js("return document.getElementById('sort').value") == 'distance'
        browser.findAll('#results-map path.leaflet-interactive').size() == 1   // the circle where the browser is

        when: 'a radius of 50 km leaves Wuhan out'
        browser.js("var s = document.getElementById('radius'); s.value = '50'; s.dispatchEvent(new Event('change'))")
        browser.waitForUrl { it.contains('radiusKm=50') }

        then:
        hitIds().containsAll([p.id('temA'), p.id('temB')])
        !hitIds().contains(p.id('temC'))

        cleanup:
        try { ((HasCdp) browser.driver()).executeCdpCommand('Emulation.clearGeolocationOverride', [:]) } catch (ignored) { }
    }

    def "the English page"() {
        when:
        browser.open(app("/search?lang=en&q=TEM&institution=${p.slug('b')}"))

        then:
        browser.attribute('html', 'lang') == 'en'
        browser.text('h1') == 'Find instruments across the consortium'
        browser.text('#result-count') == '1 instrument found'
        browser.text("${hit('temB')} a.name") == 'Transmission electron microscope JEM-F200'
        browser.text("${hit('temB')} .other-name") == '高分辨电子显微镜'
        browser.text("${hit('temB')} .rate-group") == 'External rate'
        browser.text("${hit('temB')} .price-on-request") == 'Price on request'
        browser.text("${hit('temB')} .status") == 'In service'
        browser.text('#interpreted') == 'Interpreted as the instrument type: TEM'
        browser.text('#search-submit') == 'Search'
        browser.openNav().texts('#nav a').contains('Find instruments')
        browser.screenshot('search-en-desktop')
    }

    def "on a phone: no sideways scrolling, the facets folded away until opened"() {
        when:
        browser.phone().open(app("/search?q=${URLEncoder.encode('透射电镜', 'UTF-8')}"))
        browser.find("${hit('temB')}")

        then:
        browser.viewportWidth() <= 390
        browser.assertNoHorizontalScroll()
        browser.attribute('#facets', 'open') == null
        !browser.visible('#facet-institution')

        when:
        browser.click('#facets summary')

        then:
        browser.visible('#facet-institution')
        browser.assertNoHorizontalScroll()
        browser.screenshot('search-zh-phone')
    }

    def "a signed-in member sees the consortium-scoped entry at the consortium member rate; the visitor does not see it"() {
        when: "A's plain user, signed in"
        browser.open(app('/search'))
        browser.driver().manage().addCookie(new Cookie(org.labcommons.core.web.auth.WebSession.COOKIE, p.memberSessionId, '/'))
        browser.open(app("/search?q=${URLEncoder.encode('透射电镜', 'UTF-8')}"))

        then:
        browser.exists('#logout')
        browser.text("${hit('temBMembers')} a.name") == "冷冻透射电镜${p.marker}".toString()
        browser.text("${hit('temBMembers')} .rate-group") == '联盟成员价'
        browser.text("${hit('temBMembers')} .scope") == '联盟'
        browser.text("${hit('temB')} .rate-group") == '联盟成员价'
        browser.text("${hit('temA')} .rate-group") == '校内价'
        browser.text("#facet-institution a[data-key='${p.slug('b')}'] .facet-count") == '2'
        browser.text('#visibility').contains('结果包括公开共享的仪器')
        browser.screenshot('search-zh-member')

        when: 'signed out: a visitor again'
        browser.reset()
        browser.open(app("/search?q=${URLEncoder.encode('透射电镜', 'UTF-8')}"))

        then:
        browser.exists(hit('temB'))
        !browser.exists(hit('temBMembers'))
        browser.text("#facet-institution a[data-key='${p.slug('b')}'] .facet-count") == '1'
    }
}
