package org.labcommons.core.reports.outputs

import org.labcommons.core.reports.RatingFixture
import org.labcommons.core.web.auth.WebSessions
import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.PageForms
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import java.net.http.HttpClient
import java.net.http.HttpResponse
import java.time.Duration

import static org.labcommons.testkit.TenantWorld.*

/**
 * The outputs' and ratings' pages over HTTP, signed in through the institution: a user records a paper on
 * /my/outputs for an instrument they booked (a bad DOI answers 422 with the message under the field), the manager
 * confirms it on the instrument's outputs page; the staff pages are the staff's only; English on request.
 */
class OutputPagesSpec extends PlatformSpec {
    @Shared TenantWorld world
    @Shared String nmr
    @Shared Map<String, Map> web = [:]
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()

    def setup() {
        if (world != null) {
            return
        }
        world = TenantWorld.build(ctx) {
            institution('outp-donghu') {
                rateGroup('internal')
                unit('outp-lab')
                person('outp-manager', INSTRUMENT_ADMIN, unit: 'outp-lab')
                person('outp-user', USER)
                instrument('NMR page outputs', nameZh: '成果核磁谱仪', unit: 'outp-lab')
            }
        }
        nmr = world.instrument('NMR page outputs').id
        RatingFixture.booking(world.tenant('outp-donghu').id, nmr, world.person('outp-user').userId as UUID)
        ['outp-manager', 'outp-user'].each { name ->
            def created = ctx.getBean(WebSessions).create(SharedDevStack.get().identityProvider().issuer(world.tenant('outp-donghu').issuerId),
                    world.person(name).subject, name, Duration.ofHours(2))
            web[name] = [cookie: "LC_SESSION=${created.rawId()}".toString(), csrf: created.session().csrfToken()]
        }
    }

    HttpResponse<String> get(String who, String path) { PageForms.get(http, baseUrl + path, web[who]) }

    HttpResponse<String> post(String who, String path, Map fields) { PageForms.post(http, baseUrl + path, web[who], fields) }

    def "a paper recorded on /my/outputs is confirmed by the manager on the instrument's page"() {
        when:
        def page = get('outp-user', '/my/outputs')
        def bad = post('outp-user', '/my/outputs', [instrumentId: nmr, kind: 'paper', title: '固体核磁', year: '2025',
                                                    people: '张三', doi: 'abc'])
        def good = post('outp-user', '/my/outputs', [instrumentId: nmr, kind: 'paper', category: 'journal', title: '固体核磁',
                                                     year: '2025', people: '张三', doi: '10.1000/outp.1'])
        def mine = get('outp-user', '/my/outputs').body()

        then:
        page.statusCode() == 200
        page.body().contains('我的成果')
        page.body().contains('成果核磁谱仪')
        bad.statusCode() == 422
        bad.body() =~ /class="field-error" id="error-doi"[^>]*>不是有效的 DOI/
        good.statusCode() == 303
        mine =~ /data-status="recorded"/

        when:
        def staff = get('outp-manager', "/staff/instruments/${nmr}/outputs")
        String id = (staff.body() =~ /data-output="([0-9a-f-]{36})" data-status="recorded"/).with { it.find() ? it.group(1) : null }
        def confirmed = post('outp-manager', "/staff/instruments/${nmr}/outputs/${id}/confirm", [:])

        then:
        staff.statusCode() == 200
        id != null
        confirmed.statusCode() == 303
        get('outp-manager', "/staff/instruments/${nmr}/outputs").body() =~ /data-output="${id}" data-status="confirmed"/
    }

    def "the staff pages are the staff's; both pages speak English on request"() {
        expect:
        get('outp-user', "/staff/instruments/${nmr}/outputs").statusCode() == 403
        get('outp-user', "/staff/instruments/${nmr}/ratings").statusCode() == 403
        get('outp-manager', "/staff/instruments/${nmr}/outputs?lang=en").body().contains('Import from a spreadsheet')
        get('outp-manager', "/staff/instruments/${nmr}/ratings?lang=en").body().contains('Raters are not shown.')
        get('outp-user', '/my/ratings?lang=en').body().contains('My ratings')
        get('outp-user', '/my/outputs?lang=en').body().contains('Record an output')
    }
}
