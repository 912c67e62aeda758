package org.labcommons.core.web

import io.micronaut.http.HttpRequest
import io.micronaut.http.MutableHttpRequest
import spock.lang.Specification
import spock.lang.Tag

/** The language switch's address and the return address of htmx sign-ins, without a server. */
@Tag('fast')
class PagesSpec extends Specification {

    def "the language switch keeps the path and every other parameter (#uri)"() {
        expect:
        Pages.withLang(HttpRequest.GET(uri), 'en') == expected

        where:
        uri                                   | expected
        '/'                                   | '/?lang=en'
        '/catalogue?lang=zh-CN'               | '/catalogue?lang=en'
        '/catalogue?q=%E6%A0%B8%E7%A3%81&lang=zh-CN&page=2' | '/catalogue?q=%E6%A0%B8%E7%A3%81&page=2&lang=en'
        '/x?language=de&langx=1&lang'         | '/x?language=de&langx=1&lang=en'
        '/x?a=1&&lang=en&lang=zh-CN'          | '/x?a=1&lang=en'
    }

    def "one navigation item is active: the longest link path that is the page's path or its prefix (#path)"() {
        given:
        def links = ['/', '/catalogue', '/admin/instruments', '/admin/instruments/import', '/bookings']

        expect:
        Pages.activePath(path, links) == active

        where:
        path                                  | active
        '/'                                   | '/'
        '/catalogue'                          | '/catalogue'
        '/catalogue/123'                      | '/catalogue'
        '/admin/instruments'                  | '/admin/instruments'
        '/admin/instruments/42/edit'          | '/admin/instruments'
        '/admin/instruments/import'           | '/admin/instruments/import'
        '/admin/instruments/import/1/preview' | '/admin/instruments/import'
        '/admin/instrumentsx'                 | null
        '/account'                            | null
    }

    def "a page address changes one parameter and keeps the others"() {
        given:
        def here = PageUrl.of(HttpRequest.GET('/catalogue?q=%E6%A0%B8&page=3&sort=nameEn'))

        expect:
        here.with('page', 4) == '/catalogue?q=%E6%A0%B8&sort=nameEn&page=4'
        here.with('sort', '-nameEn') == '/catalogue?q=%E6%A0%B8&page=3&sort=-nameEn'
        here.with('q', '核磁 NMR') == '/catalogue?page=3&sort=nameEn&q=%E6%A0%B8%E7%A3%81+NMR'
        here.without('page') == '/catalogue?q=%E6%A0%B8&sort=nameEn'
        PageUrl.of(HttpRequest.GET('/catalogue?page=1')).without('page') == '/catalogue'
        here.toString() == '/catalogue?q=%E6%A0%B8&page=3&sort=nameEn'
    }

    def "an htmx sign-in returns to the page it came from, only when that page is ours (#current)"() {
        given:
        MutableHttpRequest<?> request = HttpRequest.GET('/account').header('Host', 'localhost:8080')
        if (current) { request.header('HX-Current-URL', current) }

        expect:
        PageExceptionHandlers.currentPage(request, '/account') == expected

        where:
        current                                     | expected
        'http://localhost:8080/catalogue?lang=en'   | '/catalogue?lang=en'
        'http://evil.example/catalogue'             | '/account'
        'http://localhost:9999/x'                   | '/account'
        'not a url at all'                          | '/account'
        null                                        | '/account'
    }
}
