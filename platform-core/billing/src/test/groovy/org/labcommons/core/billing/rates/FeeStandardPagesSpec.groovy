package org.labcommons.core.billing.rates

import org.labcommons.core.web.auth.WebSessions
import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.PageForms
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import java.net.http.HttpClient
import java.net.http.HttpResponse
import java.time.Duration
import java.time.LocalDate
import java.time.ZoneId

import static org.labcommons.testkit.TenantWorld.*

/**
 * The fee standards' pages over HTTP, signed in through the institution: the rate-card editor (a draft created,
 * edited and submitted), the department's queue (approve), the committee's queue (approve, file with the reference);
 * form errors answer 422 with the message under the field; zh-CN by default, en on request; each queue only for its
 * approvers.
 */
class FeeStandardPagesSpec extends PlatformSpec {
    @Shared TenantWorld world
    @Shared UUID nmr
    @Shared Map<String, Map> web = [:]
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()

    def setup() {
        if (world != null) {
            return
        }
        def made = TenantWorld.build(ctx) {
            institution('feep-donghu') {
                rateGroup('internal')
                rateGroup('external')
                unit('feep-chem')
                person('feep-committee', INSTITUTION_ADMIN)
                person('feep-manager', INSTRUMENT_ADMIN, unit: 'feep-chem')
                person('feep-head', PLATFORM_ADMIN, unit: 'feep-chem')
                person('feep-user', USER)
                instrument('NMR page fees', nameZh: '核磁共振谱仪', unit: 'feep-chem')
            }
        }
        nmr = UUID.fromString(made.instrument('NMR page fees').id as String)
        world = made
        ['feep-committee', 'feep-manager', 'feep-head', 'feep-user'].each { name ->
            def created = ctx.getBean(WebSessions).create(SharedDevStack.get().identityProvider().issuer(made.tenant('feep-donghu').issuerId),
                    made.person(name).subject, name, Duration.ofHours(2))
            web[name] = [cookie: "LC_SESSION=${created.rawId()}".toString(), csrf: created.session().csrfToken()]
        }
    }

    HttpResponse<String> get(String who, String path) { PageForms.get(http, baseUrl + path, web[who]) }

    HttpResponse<String> post(String who, String path, Map fields) { PageForms.post(http, baseUrl + path, web[who], fields) }

    String editor() { "/admin/fee-standards/instruments/${nmr}" }

    static String today() { LocalDate.now(ZoneId.of('Asia/Shanghai')).toString() }

    String cardId(String html, String status) {
        def m = html =~ /data-card="([0-9a-f-]{36})" data-status="${status}"/
        assert m.find(): "no card in status ${status}"
        m.group(1)
    }

    def "a draft is made in the editor, approved in both queues and filed; the editor then shows it in effect"() {
        when: "the manager opens the editor (zh-CN) and saves a draft"
        def page = get('feep-manager', editor())
        def saved = post('feep-manager', editor(), [serviceId: '', rateGroup: 'external', unit: 'hour', priceFen: '15000',
                                                   minimumFen: '5000', rounding: '30', assistedSurchargeFen: '0',
                                                   timeBands: '[{"days":[6,7],"from":"00:00","to":"24:00","priceFen":18000}]',
                                                   effectiveFrom: today(), note: '成本核算表已附'])
        def after = get('feep-manager', editor()).body()
        String id = cardId(after, 'draft')

        then:
        page.statusCode() == 200
        page.body().contains('收费标准：核磁共振谱仪')
        page.body().contains('新建草稿')
        saved.statusCode() == 303
        saved.headers().firstValue('Location').get().startsWith(editor())
        after.contains('草稿')

        when: "edited as a draft, then submitted"
        def editForm = get('feep-manager', "${editor()}?edit=${id}").body()
        def edited = post('feep-manager', editor(), [edit: id, unit: 'hour', priceFen: '16000', minimumFen: '5000', rounding: '30',
                                                    assistedSurchargeFen: '0', timeBands: '', effectiveFrom: today()])
        def submitted = post('feep-manager', "/admin/fee-standards/${id}/submit", [back: 'editor'])

        then:
        editForm.contains('value="15000"')
        edited.statusCode() == 303
        submitted.statusCode() == 303
        get('feep-manager', editor()).body().contains('待院系审批')

        when: "the department's head approves it in the department's queue"
        def deptQueue = get('feep-head', '/admin/fee-standards/department').body()
        def approved = post('feep-head', "/admin/fee-standards/${id}/approve-department", [back: 'department', note: '同意'])

        then:
        deptQueue.contains("data-card=\"${id}\"")
        deptQueue.contains('院系审批通过')
        approved.statusCode() == 303
        approved.headers().firstValue('Location').get().startsWith('/admin/fee-standards/department')
        !get('feep-head', '/admin/fee-standards/department').body().contains("data-card=\"${id}\"")

        when: "the committee approves it, tries to file without a reference, then files it"
        def committeeQueue = get('feep-committee', '/admin/fee-standards/committee').body()
        def approvedC = post('feep-committee', "/admin/fee-standards/${id}/approve-committee", [back: 'committee'])
        def noRef = post('feep-committee', "/admin/fee-standards/${id}/file", [back: 'committee', filingRef: '', effectiveFrom: today()])
        def filed = post('feep-committee', "/admin/fee-standards/${id}/file", [back: 'committee', filingRef: '鄂价费〔2026〕9号', effectiveFrom: today()])

        then:
        committeeQueue.contains("data-card=\"${id}\"")
        approvedC.statusCode() == 303
        noRef.statusCode() == 422
        noRef.body().contains("id=\"error-filingRef-${id}\"")
        noRef.body().contains('不能为空')
        filed.statusCode() == 303
        get('feep-manager', editor()).body().with { contains('现行') && contains('鄂价费〔2026〕9号') && contains('16000') }
        get('feep-manager', editor() + '?lang=en').body().contains('In effect')
    }

    def "a bad form answers 422 with the message under its field, the entered values kept"() {
        when:
        def r = post('feep-manager', editor() + '?lang=en', [rateGroup: 'internal', unit: 'sample', priceFen: '-5', rounding: '1',
                                                            minimumFen: 'ten', timeBands: '[oops', effectiveFrom: today()])

        then:
        r.statusCode() == 422
        PageForms.byId(r.body(), 'error-priceFen') == 'must be at least 0'
        PageForms.byId(r.body(), 'error-minimumFen') == 'must be a whole number'
        PageForms.byId(r.body(), 'error-timeBands').startsWith('must be a JSON array')
        r.body().contains('value="-5"')
    }

    def "each queue is for its approvers: a user is refused, the manager sees no approve button, the head no committee queue"() {
        expect:
        get('feep-user', '/admin/fee-standards/department').statusCode() == 403
        get('feep-user', editor()).statusCode() == 403
        get('feep-head', '/admin/fee-standards/committee').statusCode() == 403
        !get('feep-manager', '/admin/fee-standards/department').body().contains('step-approve-department')
        get('feep-committee', '/admin/fee-standards/committee').statusCode() == 200
    }
}
