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
 * Prices on the pages: the editor's price rows (rate group from the tenant's groups, unit, amount
 * in yuan converted exactly to fen, machine time or a service of the same form, even a new one),
 * its field errors on the right row, and the public instrument page listing the prices per group.
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
         'prices[0].service': '', 'prices[0].rateGroup': 'internal', 'prices[0].unit': 'hour', 'prices[0].amount': '80',
         'prices[1].service': '', 'prices[1].rateGroup': 'consortium', 'prices[1].unit': 'hour', 'prices[1].amount': '1,234.50',
         'prices[2].service': '#1', 'prices[2].rateGroup': 'external', 'prices[2].unit': 'sample', 'prices[2].amount': '150.5',
         'prices[2].noteZh': '含制样', 'prices[2].noteEn': 'sample preparation included'] + more
    }

    Instrument stored(String asset) {
        service.list(a.tenant, new InstrumentQuery(asset, null, null, null, null, null, null, null, null, null, null, false,
                'assetNumber', false, 0, 5)).items().find { it.assetNumber() == asset }
    }

    def "the editor creates prices in yuan, exactly as fen, for machine time and for a service typed in the same form"() {
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

        when: 'the editor opens with the rows filled in, two decimals, the service chosen by its id'
        def page = get("/admin/instruments/${i.id()}/edit?lang=en", adminA).body()

        then:
        page.contains('value="80.00"')
        page.contains('value="1234.50"')
        page.contains('value="150.50"')
        page =~ /(?s)<option value="${i.services()[1].id()}" selected="selected">13C spectrum<\/option>/
        page.contains('Consortium member users (consortium)')

        when: 'saved again unchanged: nothing changes'
        def again = post("/admin/instruments/${i.id()}/edit?lang=en", adminA, editorForm(asset, [version: '1',
                'services[0].id': i.services()[0].id().toString(), 'services[1].id': i.services()[1].id().toString(),
                'prices[2].service': i.services()[1].id().toString()]))

        then:
        again.statusCode() == 303
        stored(asset).version() == 1
        stored(asset).prices()*.id() == i.prices()*.id()
    }

    def "a removed service row takes the price that named it along to its new position; a price row can be removed"() {
        given:
        String asset = "PP-2-${a.run}"

        when: 'row 0 removed: the price that named row #1 now names the only service left'
        def r = post('/admin/instruments/new?lang=en', adminA, editorForm(asset, ['services[0]._remove': 'on', 'prices[0]._remove': 'on']))
        def i = stored(asset)

        then:
        r.statusCode() == 303
        i.services()*.nameEn() == ['13C spectrum']
        i.prices().size() == 2
        i.prices()[1].serviceId() == i.services()[0].id()
    }

    def "bad price rows: each problem next to its own row, blank rows skipped, nothing written"() {
        given:
        String asset = "PP-3-${a.run}"

        when:
        def r = post('/admin/instruments/new?lang=en', adminA, editorForm(asset, [
                'prices[0].amount': '', 'prices[0].rateGroup': 'internal',                    // a blank row: ignored
                'prices[1].amount': '12.345',                                                  // three decimals
                'prices[2].rateGroup': 'vip',                                                  // not a group of this tenant
                'prices[3].service': '', 'prices[3].rateGroup': 'internal', 'prices[3].unit': 'hour', 'prices[3].amount': '2000000',
                'prices[4].service': '', 'prices[4].rateGroup': 'internal', 'prices[4].unit': 'hour', 'prices[4].amount': '-1']))
        def page = r.body()

        then:
        r.statusCode() == 400
        page.contains('href="#f-prices[1].amount"')
        page.contains('href="#f-prices[2].rateGroup"')
        page.contains('href="#f-prices[3].amount"')
        page.contains('href="#f-prices[4].amount"')
        page.contains('href="#f-prices[4].rateGroup"')                               // the same as row #4 (machine time, internal, hour)
        !page.contains('href="#f-prices[0].')
        !page.contains('href="#f-prices[2].amount"')
        text(page).contains('repeats price #4 (same service, rate group and unit)')
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
        def form = editorForm(bare).findAll { !it.key.startsWith('prices[') }
        assert post('/admin/instruments/new?lang=en', adminA, form).statusCode() == 303
        def none = get("/t/${a.slug}/instruments/${stored(bare).id()}?lang=en").body()

        then:
        none.contains('id="no-prices"')
        !none.contains('class="price-group"')
    }
}
