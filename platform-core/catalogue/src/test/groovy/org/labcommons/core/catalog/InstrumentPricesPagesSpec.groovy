package org.labcommons.core.catalog

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.core.security.Role
import org.labcommons.testkit.PlatformSpec
import spock.lang.Shared

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.charset.StandardCharsets

/**
 * Prices on the pages: the editor's price grid (a row per thing charged for and its unit, a column
 * per rate group of the tenant, an amount in yuan per cell converted exactly to fen, an empty cell
 * not offered; machine time or a service of the same form, even a new one), its field errors on the
 * right cell, and the public instrument page listing the prices per group.
 */
class InstrumentPricesPagesSpec extends PlatformSpec {
    static final String FORM = 'application/x-www-form-urlencoded'

    @Inject JsonMapper json
    @Inject InstrumentService service

    @Shared CatalogueFixture a
    @Shared CatalogueFixture.Session adminA
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()

    def setup() {
        if (a == null) {
            a = new CatalogueFixture('p', ctx)
            a.world.within('p') {
                rateGroup('internal', nameZh: '校内用户', nameEn: 'Internal users')
                rateGroup('consortium', nameZh: '联盟成员单位用户', nameEn: 'Consortium member users')
                rateGroup('external', nameZh: '校外用户', nameEn: 'External users')
            }
            adminA = a.session("admin-p-${a.run}".toString(), Role.INSTITUTION_ADMIN)
        }
    }

    String app(String path) { "http://localhost:${server.port}${path}" }

    HttpResponse<String> get(String path, CatalogueFixture.Session s = null) {
        def r = HttpRequest.newBuilder(URI.create(app(path))).GET()
        if (s) { r.header('Cookie', s.cookie) }
        http.send(r.build(), HttpResponse.BodyHandlers.ofString())
    }

    HttpResponse<String> post(String path, CatalogueFixture.Session s, Map<String, Object> fields) {
        Map all = ['_csrf': s.csrf] + fields
        String body = all.collect { k, v -> enc(k as String) + '=' + enc(v == null ? '' : v.toString()) }.join('&')
        http.send(HttpRequest.newBuilder(URI.create(app(path))).header('Content-Type', FORM).header('Cookie', s.cookie)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
    }

    static String enc(String s) { URLEncoder.encode(s, StandardCharsets.UTF_8) }

    static String text(String html) {
        html.replaceAll('(?s)<script.*?</script>', '').replaceAll('<[^>]+>', ' ').replaceAll('&amp;', '&')
                .replaceAll('&#39;', "'").replaceAll('\\s+', ' ')
    }

    Map<String, Object> editorForm(String asset, Map<String, Object> more = [:]) {
        [assetNumber: asset, nameZh: '400M核磁共振谱仪', nameEn: '400 MHz NMR spectrometer', originalValue: '3200000',
         cls1: '010000', cls2: '010600', cls3: '010601', orgUnitId: a.units.CHEM.toString(), status: 'in_service',
         purpose: 'general', sharingScope: 'public',
         'services[0].nameZh': '一维氢谱', 'services[0].nameEn': '1D proton spectrum',
         'services[1].nameZh': '碳谱', 'services[1].nameEn': '13C spectrum',
         'grid[0].service': '', 'grid[0].unit': 'hour', 'grid[0].amount.internal': '80', 'grid[0].amount.consortium': '1,234.50',
         'grid[0].amount.external': '',
         'grid[1].service': '#1', 'grid[1].unit': 'sample', 'grid[1].amount.internal': '', 'grid[1].amount.external': '150.5',
         'grid[1].noteZh': '含制样', 'grid[1].noteEn': 'sample preparation included'] + more
    }

    /** The text of the element whose attribute starts at {@code marker}, up to its closing tag. */
    static String between(String html, String marker) {
        int at = html.indexOf(marker)
        at < 0 ? '' : html.substring(at, html.indexOf('</', at))
    }

    Instrument stored(String asset) {
        service.list(a.tenant, new InstrumentQuery(asset, null, null, null, null, null, null, null, null, null, null, false,
                'assetNumber', false, 0, 5)).items().find { it.assetNumber() == asset }
    }

    def "the editor's grid creates prices in yuan, exactly as fen, for machine time and for a service typed in the same form"() {
        given:
        String asset = "PP-1-${a.run}"

        when:
        def r = post('/admin/instruments/new?lang=en', adminA, editorForm(asset))
        def i = stored(asset)

        then:
        r.statusCode() == 303
        i.prices()*.amountFen() == [8_000L, 123_450L, 15_050L]
        i.prices()*.rateGroup() == ['internal', 'consortium', 'external']
        i.prices()*.unit() == ['hour', 'hour', 'sample']
        i.prices()[0].serviceId() == null
        i.prices()[2].serviceId() == i.services()[1].id()
        i.prices()[2].noteZh() == '含制样'

        when: 'the editor opens with the cells filled in, two decimals, the service chosen by its id, one row for the unpriced service'
        def page = get("/admin/instruments/${i.id()}/edit?lang=en", adminA).body()

        then:
        page =~ /name="grid\[0]\.amount\.internal" value="80\.00"/
        page =~ /name="grid\[0]\.amount\.consortium" value="1234\.50"/
        page =~ /name="grid\[0]\.amount\.external" value=""/
        page =~ /name="grid\[1]\.amount\.external" value="150\.50"/
        page =~ /(?s)<option value="${i.services()[1].id()}" selected="selected">13C spectrum<\/option>/
        page =~ /(?s)name="grid\[2]\.service".*?<option value="${i.services()[0].id()}" selected="selected">1D proton spectrum<\/option>/
        page.contains('Consortium member users (consortium)')

        when: 'saved again unchanged: nothing changes'
        def again = post("/admin/instruments/${i.id()}/edit?lang=en", adminA, editorForm(asset, [version: '1',
                'services[0].id': i.services()[0].id().toString(), 'services[1].id': i.services()[1].id().toString(),
                'grid[1].service': i.services()[1].id().toString()]))

        then:
        again.statusCode() == 303
        stored(asset).version() == 1
        stored(asset).prices()*.id() == i.prices()*.id()
    }

    def "a removed service row takes the price row that named it along to its new position; an emptied cell and a removed row are no prices"() {
        given:
        String asset = "PP-2-${a.run}"

        when: 'service row 0 removed: the price row that named service row #1 now names the only service left; one cell emptied'
        def r = post('/admin/instruments/new?lang=en', adminA, editorForm(asset, ['services[0]._remove': 'on',
                'grid[0].amount.internal': '']))
        def i = stored(asset)

        then:
        r.statusCode() == 303
        i.services()*.nameEn() == ['13C spectrum']
        i.prices().size() == 2
        i.prices()*.rateGroup() == ['consortium', 'external']
        i.prices()[1].serviceId() == i.services()[0].id()

        when: 'the machine-time row removed'
        String other = "PP-2b-${a.run}"
        post('/admin/instruments/new?lang=en', adminA, editorForm(other, ['grid[0]._remove': 'on']))

        then:
        stored(other).prices()*.amountFen() == [15_050L]
    }

    def "bad cells of the price grid: each problem on its own cell, empty cells skipped, nothing written"() {
        given:
        String asset = "PP-3-${a.run}"

        when:
        def r = post('/admin/instruments/new?lang=en', adminA, editorForm(asset, [
                'grid[0].amount.internal': '',                                                 // an empty cell: not offered
                'grid[0].amount.consortium': '12.345',                                         // three decimals
                'grid[1].amount.vip': '5',                                                     // not a group of this tenant
                'grid[2].service': '', 'grid[2].unit': 'hour', 'grid[2].amount.internal': '2000000',
                'grid[3].service': '', 'grid[3].unit': 'hour', 'grid[3].amount.internal': '-1']))
        def page = r.body()

        then:
        r.statusCode() == 400
        page.contains('href="#f-grid[0].amount.consortium"')
        page.contains('href="#f-grid[1].amount.vip"')
        page.contains('href="#f-grid[2].amount.internal"')
        page.contains('href="#f-grid[3].amount.internal"')                          // out of range, and the same as row 3's cell
        !page.contains('href="#f-grid[0].amount.internal"')
        !page.contains('href="#f-grid[1].amount.external"')
        page =~ /(?s)<td class="cell has-error"[^>]*>\s*<input[^>]*id="f-grid\[0]\.amount\.consortium"[^>]*aria-invalid="true"/
        between(page, 'id="err-grid[0].amount.consortium"').contains('at most two decimals')
        text(page).contains('repeats price #3 (same service, rate group and unit)')
        text(page).contains('at most two decimals')
        text(page).contains("rate group vip is not one of this institution's rate groups (internal, consortium, external)")
        text(page).contains('between 0 and 1,000,000 RMB')
        stored(asset) == null
    }

    def "the instrument page lists the published prices per rate group, in the page's language"() {
        given:
        String asset = "PP-4-${a.run}"
        assert post('/admin/instruments/new?lang=en', adminA, editorForm(asset)).statusCode() == 303
        def i = stored(asset)
        String path = "/t/${a.slug}/instruments/${i.id()}"

        when: 'a visitor in English'
        def en = text(get(path + '?lang=en').body())

        then:
        en.contains('Internal users Machine time ¥80.00 per hour')
        en.contains('Consortium member users Machine time ¥1,234.50 per hour')
        en.contains('External users 13C spectrum ¥150.50 per sample sample preparation included')

        when: 'in Chinese'
        def zh = text(get(path + '?lang=zh-CN').body())

        then:
        zh.contains('校内用户 机时 ¥80.00 / 小时')
        zh.contains('校外用户 碳谱 ¥150.50 / 样品 含制样')

        when: 'an instrument without prices says so'
        String bare = "PP-5-${a.run}"
        def form = editorForm(bare).findAll { !it.key.startsWith('grid[') }
        assert post('/admin/instruments/new?lang=en', adminA, form).statusCode() == 303
        def none = get("/t/${a.slug}/instruments/${stored(bare).id()}?lang=en").body()

        then:
        none.contains('id="no-prices"')
        !none.contains('class="price-group"')
    }
}
