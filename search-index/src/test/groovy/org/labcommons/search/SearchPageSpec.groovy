package org.labcommons.search

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.core.catalog.CatalogueMessages
import org.labcommons.core.i18n.KernelMessages
import org.labcommons.core.i18n.Messages
import org.labcommons.core.web.auth.WebSessions
import org.labcommons.testkit.PlatformSpec
import spock.lang.Shared

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Paths

/**
 * The search page over plain HTTP: what a visitor and a signed-in member see (the member's
 * session widens the hits exactly as a token does, with the member's rate group), facets as links
 * that add and remove a selection, the synonym hint, distance, paging, the empty state, wrong
 * parameters as a 400 page naming the field in the page's language, the session-aware
 * suggestions, the links to the page from the navigation, the front page and the catalogue, and
 * every text in both message bundles.
 */
class SearchPageSpec extends PlatformSpec {
    @Inject JsonMapper json
    @Inject WebSessions sessions
    @Shared SearchFixture f
    @Shared SearchPageFixture p
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()

    def setup() {
        if (f == null) {
            f = new SearchFixture(ctx)
            p = new SearchPageFixture(f, sessions)
        }
    }

    HttpResponse<String> get(String path, Map params = [:], String cookie = null, String language = 'zh-CN,zh;q=0.9') {
        String query = params.collect { k, v -> "${k}=${URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8)}" }.join('&')
        def r = HttpRequest.newBuilder(URI.create("http://localhost:${server.port}${path}${query ? '?' + query : ''}"))
                .header('Accept-Language', language).GET()
        if (cookie) { r.header('Cookie', cookie) }
        http.send(r.build(), HttpResponse.BodyHandlers.ofString())
    }

    /** The markup of the hit with this id (from its list item to the next hit or the end of the list). */
    static String hit(String html, String id) {
        int start = html.indexOf("data-id=\"${id}\"")
        if (start < 0) {
            return null
        }
        int next = html.indexOf('class="hit"', start + 10)
        int end = next < 0 ? html.indexOf('</ol>', start) : next
        html.substring(start, end)
    }

    static String text(String html, String id) {
        def m = html =~ /(?s)id="${id}"[^>]*>(.*?)<\//
        m.find() ? m.group(1).trim() : null
    }

    def "a visitor finds the English-named TEM of another institution by its Chinese synonym, with facets, the hint and the external rate"() {
        when:
        def r = get('/search', [q: '透射电镜'])
        String html = r.body()

        then:
        r.statusCode() == 200
        r.headers().firstValue('Content-Type').get().startsWith('text/html')
        html.contains('<html lang="zh-CN"')
        text(html, 'interpreted') == '已按以下仪器类型理解：TEM'
        text(html, 'result-count') ==~ /共找到 \d+ 台仪器/

        and: "B's TEM, found only through the synonym: its Chinese name first, the English one beside it, owner, services, class"
        String b = hit(html, p.id('temB'))
        b != null
        b.contains('>高分辨电子显微镜</a>')
        b.contains('Transmission electron microscope JEM-F200')
        b.contains("href=\"/t/${p.slug('b')}/instruments/${p.id('temB')}\"")
        b.contains('>乙大学<')
        b.contains('高分辨成像、电子衍射')
        b.contains('分析仪器 › 电子光学仪器 › 其他')
        b.contains("JEM-F200 ${p.marker} · JEOL")
        b.contains('材料楼 101')
        b.contains('data-lat="30.2741"')
        b.contains('data-rate-group="external"')
        b.contains('>校外价<')
        b.contains('价格面议')
        b.contains('>在用<')

        and: "A's TEM under repair, C's too; the consortium-only entry is not there"
        hit(html, p.id('temA')).contains('>维修中<')
        hit(html, p.id('temC')) != null
        hit(html, p.id('temBMembers')) == null
        !html.contains(p.id('temBMembers'))

        and: 'facets are links with counts that add the selection; the map is there'
        html =~ /(?s)href="\/search\?q=%E9%80%8F%E5%B0%84%E7%94%B5%E9%95%9C&amp;institution=${p.slug('b')}"[^>]*data-key="${p.slug('b')}"[^>]*>\s*<span class="facet-label">乙大学<\/span>\s*<span class="facet-count">1<\/span>/
        html =~ /data-key="${p.slug('a')}"[^>]*>\s*<span class="facet-label">甲大学<\/span>\s*<span class="facet-count">1<\/span>/
        html.contains('id="facet-classL1"')
        !html.contains('id="facet-classL2"')
        html.contains('id="results-map"')
        html.contains('/static/search.js')
        html.contains('/webjars/leaflet/1.9.4/dist/leaflet.js')

        and: 'without a position the radius is left to the script (which asks for one)'
        html.contains('<div class="near-field" id="radius-field" hidden="hidden">')
    }

    def "a facet narrows the hits and shows as a chip that removes it; a class level opens the level below"() {
        when:
        def r = get('/search', [q: '透射电镜', institution: p.slug('b')])
        String html = r.body()

        then:
        r.statusCode() == 200
        text(html, 'result-count') == '共找到 1 台仪器'
        hit(html, p.id('temB')) != null
        hit(html, p.id('temA')) == null
        html =~ /(?s)<ul class="chips" id="chips".*?href="\/search\?q=%E9%80%8F%E5%B0%84%E7%94%B5%E9%95%9C".*?所属单位: 乙大学/
        html =~ /data-key="${p.slug('b')}"[^>]*class="selected"/
        html.contains("<input type=\"hidden\" name=\"institution\" value=\"${p.slug('b')}\" data-facet-input=\"true\">")

        when: 'the first class level chosen: its level 2 appears; removing level 1 would clear the levels below'
        html = get('/search', [q: p.marker, classL1: '010000', classL2: '010100']).body()

        then:
        html.contains('id="facet-classL2"')
        html.contains('id="facet-classL3"')
        html =~ /(?s)<a href="\/search\?q=${p.marker}"[^>]*data-facet="classL1"/
        html =~ /(?s)<a href="\/search\?q=${p.marker}&amp;classL1=010000"[^>]*data-facet="classL2"/
    }

    def "a signed-in member's session widens the hits like a token: the consortium entry appears with the member rate, the own one at the internal rate"() {
        when:
        def r = get('/search', [q: p.marker, size: 50], p.memberCookie)
        String html = r.body()
        def api = f.search(f.userA, [q: p.marker, size: 50]).body

        then:
        r.statusCode() == 200
        text(html, 'result-count') == '共找到 5 台仪器'
        html.findAll(/data-id="([0-9a-f-]{36})"/) { m, id -> id } as Set == api.items*.id as Set
        hit(html, p.id('temBMembers')).contains('data-rate-group="consortium"')
        hit(html, p.id('temBMembers')).contains('>联盟成员价<')
        hit(html, p.id('temBMembers')).contains('>联盟<')
        hit(html, p.id('temA')).contains('>校内价<')
        hit(html, p.id('temC')).contains('>联盟成员价<')
        html.contains('结果包括公开共享的仪器')

        when: 'the same search without the session'
        html = get('/search', [q: p.marker, size: 50]).body()

        then:
        text(html, 'result-count') == '共找到 4 台仪器'
        !html.contains(p.id('temBMembers'))
        html.contains('您以访客身份看到公开共享的仪器')
    }

    def "in English: labels, names, the rate group and the count"() {
        when:
        def r = get('/search', [q: 'TEM', lang: 'en', institution: p.slug('b')], p.memberCookie)
        String html = r.body()

        then:
        r.statusCode() == 200
        html.contains('<html lang="en"')
        html.contains('>Find instruments across the consortium</h1>')
        text(html, 'result-count') == '2 instruments found'
        text(html, 'interpreted') == 'Interpreted as the instrument type: TEM'
        hit(html, p.id('temB')).contains('>Transmission electron microscope JEM-F200</a>')
        hit(html, p.id('temB')).contains('高分辨电子显微镜')
        hit(html, p.id('temB')).contains('HRTEM imaging, Electron diffraction')
        hit(html, p.id('temB')).contains('>Consortium member rate<')
        hit(html, p.id('temB')).contains('Price on request')
        hit(html, p.id('temB')).contains('Analytical instruments › Electron optical instruments')
        html.contains('Institution: University B')
        // the address keeps lang, so the facet links stay in English
        html.contains("href=\"/search?q=TEM&amp;lang=en\"")
    }

    def "the map says how many listed results have a location, in the page's language; each hit carries its map position"() {
        when: 'four listed, three located (the NMR has no place)'
        String zh = get('/search', [q: p.marker]).body()
        String en = get('/search', [q: p.marker, lang: 'en']).body()

        then:
        text(zh, 'map-located') == '共 4 条结果，其中 3 条有位置信息'
        text(en, 'map-located') == '3 of 4 results have a location'
        text(zh, 'map-note') == '地图底图无法加载，仅显示位置标记'   // hidden until the script finds no tiles
        text(en, 'map-note') == 'Map tiles could not be loaded; showing markers only'
        zh.contains('id="map-note" role="status" hidden')
        zh =~ /id="results-map"[^>]*data-coordinate-system="wgs84"/
        zh =~ /id="results-map"[^>]*data-tile-timeout="8000"/
        // WGS-84 tiles: the map position is the stored one
        hit(zh, p.id('temB')).contains('data-lat="30.2741" data-lon="120.1551" data-map-lat="30.2741" data-map-lon="120.1551"')

        when: 'every listed result located: no such line'
        String one = get('/search', [q: p.marker, institution: p.slug('b')]).body()

        then:
        one.contains('id="results-map"')
        !one.contains('id="map-located"')
    }

    def "distance from a point: nearest first, a radius leaves far instruments out, the hits show their distance"() {
        when:
        String html = get('/search', [q: p.marker, lat: '30.2741', lon: '120.1551', sort: 'distance']).body()
        def ids = html.findAll(/data-id="([0-9a-f-]{36})"/) { m, id -> id }

        then:
        ids.first() == p.id('temB')
        ids.indexOf(p.id('temA')) < ids.indexOf(p.id('temC'))
        hit(html, p.id('temB')).contains('>0.0 公里<')
        hit(html, p.id('temC')) =~ />\d{3}\.\d 公里</
        html.contains('距离从您的位置（30.2741, 120.1551）算起。')
        html.contains('<input type="hidden" name="lat" value="30.2741">')
        html =~ /<option value="distance" selected="selected">由近到远<\/option>/
        html.contains('<div class="near-field" id="radius-field">')

        when:
        html = get('/search', [q: p.marker, lat: '30.2741', lon: '120.1551', radiusKm: '50']).body()

        then:
        hit(html, p.id('temA')) != null
        hit(html, p.id('temC')) == null
        html =~ /<option value="50" selected="selected">50 公里以内<\/option>/
    }

    def "pages of results: the pager moves by page and keeps the search"() {
        given: '22 more instruments at C'
        def ids = (1..22).collect { n -> f.create(f.adminC, [assetNumber: "SP-${p.run}-X${n}", nameZh: "X射线衍射仪${n}", nameEn: "X-ray diffractometer ${n}",
                                                           model: "XRD-${p.run}", classificationCode: '010399']).id }
        SearchFixture.eventually(20) { f.search(null, [institution: p.slug('c'), size: 50]).body.total == 23 }

        when:
        String first = get('/search', [institution: p.slug('c')]).body()
        String second = get('/search', [institution: p.slug('c'), page: '1']).body()

        then:
        text(first, 'result-count') == '共找到 23 台仪器'
        first.findAll(/class="hit"/).size() == 20
        first.contains("href=\"/search?institution=${p.slug('c')}&amp;page=1\"")
        first.contains('第 1 / 2 · 23 条')
        second.findAll(/class="hit"/).size() == 3
        second.contains("href=\"/search?institution=${p.slug('c')}&amp;page=0\"")
        second.contains('<ol class="cards hits" id="result-list" start="21">')
        ids.size() == 22
    }

    def "nothing found: the empty state with hints; a visitor is offered to sign in"() {
        when:
        def r = get('/search', [q: "${p.marker}nothing"])

        then:
        r.statusCode() == 200
        r.body().contains('id="no-results"')
        r.body().contains('没有找到符合条件的仪器。')
        r.body().contains('登录后可以看到联盟成员之间共享的更多仪器。')
        text(r.body(), 'result-count') == '共找到 0 台仪器'
        !r.body().contains('id="results-map"')
        !r.body().contains('id="result-list"')
    }

    def "a wrong parameter is a 400 page that names the field in the page's language, never a stack trace"() {
        when:
        def r = get('/search', params, null, language)

        then:
        r.statusCode() == 400
        r.headers().firstValue('Content-Type').get().startsWith('text/html')
        r.body().contains('id="search-problem"')
        r.body().contains(message)
        !r.body().contains('Exception')
        !r.body().contains('id="result-list"')
        r.body().contains('id="q"')

        where:
        params                                       | language | message
        [status: 'bogus']                            | 'zh-CN'  | '状态: 格式不正确'
        [q: 'NMR', lat: '30.1']                      | 'zh-CN'  | '经度: 经度和纬度须同时给出'
        [sort: 'distance']                           | 'en'     | 'Latitude: sorting by distance or limiting the radius needs a location (lat, lon)'
        [radiusKm: '9999', lat: '30', lon: '120']    | 'en'     | 'Within (km): must be at most 5000'
        [page: 'two']                                | 'en'     | 'Page: has the wrong format'
        [page: '500']                                | 'zh-CN'  | '页码: 不能大于 499'
        [institution: 'Bad Slug!', valueBand: 'lots'] | 'en'     | 'Original value: has the wrong format'
    }

    def "suggestions follow the session: a member is offered the consortium entry, a visitor only what is public"() {
        when:
        def member = json.readValue(get('/search/suggest', [q: '冷冻透射', lang: 'zh', size: '20'], p.memberCookie).body(), Map)
        def visitor = json.readValue(get('/search/suggest', [q: '冷冻透射', lang: 'zh', size: '20']).body(), Map)
        def english = json.readValue(get('/search/suggest', [q: 'Transmission electron', lang: 'en', size: '20'], p.memberCookie).body(), Map)

        then:
        member.items*.text.contains("冷冻透射电镜${p.marker}".toString())
        !visitor.items*.text.any { it.contains(p.marker) }
        english.items*.text.contains('Transmission electron microscope JEM-F200')
        json.readValue(get('/search/suggest', [q: '']).body(), Map).items == []
    }

    def "the navigation, the front page and the catalogue lead to the search"() {
        when:
        String search = get('/search').body()
        String home = get('/').body()
        String english = get('/', [lang: 'en']).body()
        String catalogue = get("/t/${p.slug('a')}/instruments", [q: 'NMR']).body()

        then:
        search =~ /<a href="\/search"[^>]*class="active"[^>]*>搜索仪器<\/a>/
        home =~ /<a href="\/search"[^>]*>搜索仪器<\/a>/
        english =~ /<a href="\/search"[^>]*>Find instruments<\/a>/
        home.contains('<form class="filters home-search" id="home-search" method="get" action="/search"')
        catalogue.contains('<a id="search-all" href="/search?q=NMR">在全联盟搜索</a>')
    }

    def "published prices of the viewer's rate group read as amount per unit, for machine time or a service; none is price on request"() {
        given:
        String serviceId = UUID.randomUUID().toString()
        def item = { List prices ->
            new SearchService.Item(UUID.randomUUID().toString(), 'uni-x', '甲大学', 'University A', '透射电子显微镜', 'Transmission electron microscope',
                    'JEM-2100F', 'JEOL', '010101', [], null, null, null, null, null, null, 'in_service', 'public', '1m-5m',
                    [[id: serviceId, nameZh: '高分辨成像', nameEn: 'HRTEM imaging']], 'consortium', prices, false, '/t/uni-x/instruments/1')
        }
        def prices = [new SearchService.Price(null, 'consortium', 'hour', 123450L), new SearchService.Price(serviceId, 'consortium', 'sample', 20000L),
                      new SearchService.Price(UUID.randomUUID().toString(), 'consortium', 'day', 100_000_000L)]
        def zh = new SearchPageFormat(bundle(Messages.ZH_CN), true)
        def en = new SearchPageFormat(bundle(Locale.ENGLISH), false)

        when:
        def z = zh.hit(item(prices))
        def e = en.hit(item(prices))

        then:
        z.prices()*.forLabel() == ['机时', '高分辨成像', '测试项目']
        z.prices()*.amount() == ['¥1,234.50/小时', '¥200.00/样', '¥1,000,000.00/天']
        z.rateLabel() == '联盟成员价'
        e.prices()*.forLabel() == ['Machine time', 'HRTEM imaging', 'Service']
        e.prices()*.amount() == ['¥1,234.50/hour', '¥200.00/sample', '¥1,000,000.00/day']
        e.rateLabel() == 'Consortium member rate'
        zh.hit(item([])).prices() == []
    }

    def "the search bundle's zh-CN and en files have the same keys, and no text is empty"() {
        given:
        def zh = Messages.read(new SearchMessages(), Messages.ZH_CN)
        def en = Messages.read(new SearchMessages(), Locale.ENGLISH)

        expect:
        zh.size() > 80
        zh.keySet() == en.keySet()
        (zh + en).findAll { k, v -> !v.trim() } == [:]
    }

    def "every text the page shows is in both bundles, and the two languages differ"() {
        given:
        def zh = bundle(Messages.ZH_CN)
        def en = bundle(Locale.ENGLISH)
        String template = Files.readString(Paths.get('src/main/resources/views/search/page.html'))
        def keys = (template =~ /t\['([a-zA-Z0-9_.\-]+)'\]/).collect { m -> m[1] } as Set
        ['lt100k', '100k-400k', '400k-500k', '500k-1m', '1m-5m', 'ge5m'].each { keys << "search.page.band.${it}".toString() }
        ['internal', 'consortium', 'external'].each { keys << "search.page.rate.${it}".toString() }
        ['hour', 'sample', 'item', 'day'].each { keys << "search.page.per.${it}".toString() }
        SearchService.FACETS.each { keys << "search.page.facet.${it}".toString() }
        (['q', 'page', 'sort', 'lat', 'lon', 'radiusKm'] + SearchService.FACETS).each { keys << "search.page.param.${it}".toString() }
        ['search.page.count', 'search.page.interpreted', 'search.page.sort.relevance', 'search.page.sort.distance',
         'search.page.radius.any', 'search.page.radius.km', 'search.page.near.active', 'search.page.distance_km',
         'search.page.price.machine_time', 'search.page.price.service', 'search.page.home.heading',
         'search.page.catalogue_link', 'nav.search'].each { keys << it }

        expect:
        keys.size() > 80
        keys.findAll { !zh.containsKey(it) } == [] as Set
        keys.findAll { !en.containsKey(it) } == [] as Set
        keys.findAll { zh[it] == en[it] && !it.startsWith('search.page.per.') } == [] as Set
    }

    /** The texts the search page can read in one language: the kernel's, the catalogue's and its own bundle. */
    static Map<String, String> bundle(Locale locale) {
        [new KernelMessages(), new CatalogueMessages(), new SearchMessages()].collectEntries { Messages.read(it, locale) }
    }
}
