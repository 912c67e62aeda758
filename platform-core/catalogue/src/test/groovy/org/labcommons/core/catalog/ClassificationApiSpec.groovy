package org.labcommons.core.catalog

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.core.org.TwoTenantFixture
import org.labcommons.core.security.BearerTokenFilter
import org.labcommons.testkit.PlatformSpec
import spock.lang.Shared

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse

class ClassificationApiSpec extends PlatformSpec {

    @Inject JsonMapper json
    @Shared HttpClient http = HttpClient.newHttpClient()

    /** GET without a token unless one is given. */
    Map get(String path, Map<String, String> headers = [:]) {
        def b = HttpRequest.newBuilder(URI.create("http://localhost:${server.port}${path}")).GET()
        headers.each { k, v -> b.header(k, v) }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString())
        [status : r.statusCode(), type: r.headers().firstValue('Content-Type').orElse(''),
         cache  : r.headers().firstValue('Cache-Control').orElse(null),
         body   : r.body() ? json.readValue(r.body(), Object) : null]
    }

    def "without a token, the top level lists the 15 classes with their child counts, cacheable"() {
        when:
        def r = get('/api/v1/classifications')

        then:
        r.status == 200
        r.cache == 'public, max-age=3600'
        r.body.parent == null
        r.body.items.size() == 15
        r.body.items[0] == [code: '010000', parentCode: null, level: 1, nameZh: '分析仪器', nameEn: 'Analytical instruments', childCount: 13]
        r.body.items*.code.last() == '990000'
        r.body.items.find { it.code == '990000' }.childCount == 0
    }

    def "a parent lists its children in code order, each knowing whether it is a leaf"() {
        when:
        def level2 = get('/api/v1/classifications?parent=010000')
        def level3 = get('/api/v1/classifications?parent=010100')

        then:
        level2.status == 200
        level2.body.parent.code == '010000'
        level2.body.items.size() == 13
        level2.body.items*.code == level2.body.items*.code.sort(false)
        level2.body.items.find { it.code == '010600' } == [code: '010600', parentCode: '010000', level: 2,
                nameZh: '波谱仪器', nameEn: 'Magnetic resonance spectroscopy instruments', childCount: 3]
        level3.body.items*.code == ['010101', '010102', '010103', '010104', '010199']
        level3.body.items.every { it.childCount == 0 && it.level == 3 }
        level3.body.items.last().nameEn == 'Other electron optical instruments'
    }

    def "one code comes with its path from the top and its children"() {
        when:
        def leaf = get('/api/v1/classifications/010101')
        def middle = get('/api/v1/classifications/010600')

        then:
        leaf.status == 200
        leaf.cache == 'public, max-age=3600'
        leaf.body.nameEn == 'Transmission electron microscopes (TEM)'
        leaf.body.parentCode == '010100'
        leaf.body.path*.code == ['010000', '010100', '010101']
        leaf.body.path*.nameZh == ['分析仪器', '电子光学仪器', '透射电镜']
        leaf.body.children == []
        middle.body.children*.code == ['010601', '010602', '010699']
        middle.body.path*.level == [1, 2]
    }

    def "search finds Chinese and English names in any case, best match first, with the path for display"() {
        expect:
        first(get('/api/v1/classifications/search?q=' + enc('透射电镜'))) == '010101'
        first(get('/api/v1/classifications/search?q=transmission%20ELECTRON')) == '010101'
        first(get('/api/v1/classifications/search?q=flow%20cytometer')) == '011012'
        first(get('/api/v1/classifications/search?q=' + enc('核磁'))) == '010601'
        codes(get('/api/v1/classifications/search?q=nmr')).containsAll(['010601', '060205', '060608'])
        codes(get('/api/v1/classifications/search?q=icp-ms')) == ['010202']

        and: 'exact names first (the most specific level first), then a word that starts with the query'
        codes(get('/api/v1/classifications/search?q=' + enc('激光器'))) == ['140101', '140100', '140000']
        codes(get('/api/v1/classifications/search?q=LASERS')) == ['140101', '140100', '140000', '149900']
        codes(get('/api/v1/classifications/search?q=' + enc('离心'))) == ['011023']
        codes(get('/api/v1/classifications/search?q=spectrometers%20(nmr')) == ['010601']

        and: 'accents and full-width forms are folded; a code prefix works too'
        first(get('/api/v1/classifications/search?q=mossbauer')) == '100402'
        codes(get('/api/v1/classifications/search?q=' + enc('声速／声衰减'))) == ['020401']
        codes(get('/api/v1/classifications/search?q=0106')) == ['010601', '010602', '010699', '010600']

        and: 'every match carries its path'
        def m = get('/api/v1/classifications/search?q=' + enc('扫描电镜')).body.items[0]
        m.path*.nameEn == ['Analytical instruments', 'Electron optical instruments', 'Scanning electron microscopes (SEM)']
    }

    def "search returns at most 20 matches, fewer on request, and none for a query that matches nothing"() {
        expect:
        get('/api/v1/classifications/search?q=instruments').body.items.size() == 20
        get('/api/v1/classifications/search?q=instruments&limit=5').body.items.size() == 5
        get('/api/v1/classifications/search?q=zzzqqq').body == [q: 'zzzqqq', items: []]
    }

    def "a bad code, parent or query is problem+json in the caller's language"() {
        when:
        def r = get(path, ['Accept-Language': lang])

        then:
        r.status == status
        r.type.startsWith('application/problem+json')
        r.body.code == code
        r.body.status == status
        field == null || r.body.errors*.field == [field]
        text == null || ([r.body.title, r.body.detail] + (r.body.errors*.message ?: [])).join(' ').contains(text)

        where:
        path                                                    | lang    | status | code                     | field   | text
        '/api/v1/classifications/999999'                        | 'en'    | 404    | 'unknown_classification' | null    | '999999 is not a code of the national instrument classification'
        '/api/v1/classifications/999999'                        | 'zh-CN' | 404    | 'unknown_classification' | null    | '分类代码不存在'
        '/api/v1/classifications?parent=990100'                 | 'en'    | 404    | 'unknown_classification' | null    | '990100'
        '/api/v1/classifications/01010'                         | 'en'    | 400    | 'validation_failed'      | 'code'  | null
        '/api/v1/classifications/abcdef'                        | 'en'    | 400    | 'validation_failed'      | 'code'  | null
        '/api/v1/classifications?parent=12'                     | 'en'    | 400    | 'validation_failed'      | 'parent'| null
        '/api/v1/classifications/search?q=%20%20'               | 'en'    | 400    | 'validation_failed'      | 'q'     | null
        '/api/v1/classifications/search?q=nmr&limit=21'         | 'en'    | 400    | 'validation_failed'      | 'limit' | 'at most 20'
        '/api/v1/classifications/search?q=' + 'x' * 51          | 'en'    | 400    | 'validation_failed'      | 'q'     | null
    }

    def "the public exception is narrow: a valid token is welcome, a bad one is refused, nothing else becomes public"() {
        given:
        def f = new TwoTenantFixture(ctx)

        expect: 'a member with a token reads the same reference data'
        get('/api/v1/classifications/010101', [Authorization: 'Bearer ' + f.tokenA]).body.code == '010101'

        and: 'a token that is sent is still validated'
        get('/api/v1/classifications/010101', [Authorization: 'Bearer not.a.token']).status == 401

        and: 'paths that only start like the public one still need a token'
        get('/api/v1/classifications/010101/children').status == 401
        get('/api/v1/classifications/..%2forg-units').status == 401
        get('/api/v1/classifications/%2e%2e/org-units').status in [400, 401, 404]
        get('/api/v1/classificationsX').status == 401
        get('/api/v1/org-units').status == 401

        and: 'the rule itself'
        BearerTokenFilter.isPublic('/api/v1/classifications')
        BearerTokenFilter.isPublic('/api/v1/classifications/010101')
        BearerTokenFilter.isPublic('/api/v1/classifications/search')
        !BearerTokenFilter.isPublic('/api/v1/classifications/')
        !BearerTokenFilter.isPublic('/api/v1/classifications/../org-units')
        !BearerTokenFilter.isPublic('/api/v1/classifications/%2e%2e')
        !BearerTokenFilter.isPublic('/api/v1/classifications/010101/x')
        !BearerTokenFilter.isPublic('/api/v1/me')
        BearerTokenFilter.isPublic('/api/v1/search/instruments')
        BearerTokenFilter.isPublic('/api/v1/search/suggest')
        !BearerTokenFilter.isPublic('/api/v1/search/reindex')
        !BearerTokenFilter.isPublic('/api/v1/search/instruments/x')
    }

    def "a dot-segment request through the public path never reaches a protected endpoint"() {
        when: 'a raw request line with ../ (java.net.http would keep it, but be explicit with a socket)'
        def s = new Socket('localhost', server.port)
        def response = s.withCloseable {
            it.outputStream.write("GET /api/v1/classifications/../org-units HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes('US-ASCII'))
            it.outputStream.flush()
            it.inputStream.getText('UTF-8')
        }

        then:
        !response.startsWith('HTTP/1.1 200')
        !response.contains('"items"')
    }

    static String enc(String s) { URLEncoder.encode(s, 'UTF-8') }

    static String first(Map r) { r.body.items[0].code }

    static List<String> codes(Map r) { r.body.items*.code }
}
