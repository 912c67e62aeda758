package org.labcommons.tenantadmin.onboarding

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.core.directory.TenantDirectory
import org.labcommons.core.org.OrgUnitService
import org.labcommons.core.security.CallerResolver
import org.labcommons.core.security.Role
import org.labcommons.core.security.RoleAssignments
import org.labcommons.core.security.ScopeType
import org.labcommons.core.tenancy.TenantId
import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.Browser
import spock.lang.Shared

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.util.function.BooleanSupplier

/**
 * The bureau's pages as the demo's bureau admin meets them, in zh-CN on a phone (390 px) and a desktop
 * (1280 px): the queue's tabs carry their counts; an application naming Donghu University again is flagged on
 * its card; "approve and provision" stays disabled, with the reason, until the identity-provider test passed
 * (and a forced submit is refused by the server); suspending the new member is a separate, confirmed step that
 * names it and takes a reason; and the account page names a role's unit instead of showing its id.
 */
class BureauBrowserSpec extends DemoManyFormsSpec {

    @Inject JsonMapper json
    @Inject TenantDirectory directory
    @Inject RoleAssignments roles
    @Inject CallerResolver callers
    @Inject OrgUnitService units
    Browser browser = Browser.get()
    @Shared String run = UUID.randomUUID().toString().substring(0, 6)

    def setup() {
        browser.reset()
    }

    String app(String path) { "http://localhost:${server.port}${path}" }

    /** Files an application to the Zhejiang network on the public API; its id. */
    String apply(String slug, String nameZh, String nameEn) {
        Map body = [network: 'zj-network', slug: slug, nameZh: nameZh, nameEn: nameEn, regionCode: '330100',
                    timeZone: 'Asia/Shanghai', contactName: '王老师', contactEmail: "office-${slug}@example.edu".toString(),
                    language: 'zh-CN', issuerUrl: SharedDevStack.get().identityProvider().issuer("sso-${slug}"),
                    clientId: 'labcommons', adminEmails: ["admin-${slug}@example.edu".toString()]]
        def r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(app('/api/v1/public/onboarding/applications')))
                .header('Content-Type', 'application/json').POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString())
        assert r.statusCode() == 201: r.body()
        json.readValue(r.body(), Map).id as String
    }

    int tabCount(String status) {
        def m = browser.text("#status-tabs a[data-status='${status}']") =~ /\((\d+)\)/
        assert m.find(): browser.text("#status-tabs a[data-status='${status}']")
        m.group(1) as int
    }

    Browser sized(String size) {
        size == 'phone' ? browser.phone() : browser.desktop()
    }

    def "the queue counts its tabs, flags an application naming Donghu again, and approval waits for a passed identity-provider test (#size)"() {
        given:
        String again = "dh-again-${run}-${size}".toString()
        String fresh = "lin-${run}-${size}".toString()
        apply(again, '东湖大学（东湖校区）', 'Donghu University, East Lake Campus')
        // a name of its own per width: the phone's institution is a member by the time the desktop looks
        String freshId = size == 'phone' ? apply(fresh, '临安农林学院', "Lin'an College of Forestry")
                : apply(fresh, '舟山海洋学院', 'Zhoushan Ocean College')

        when:
        browser.signIn(app(''), 'consortium', 'bureau-admin', '/onboarding?network=zj-network&lang=zh-CN')
        sized(size).open(app('/onboarding?network=zj-network&lang=zh-CN'))
        int approvedBefore = tabCount('approved')

        then: 'every tab says how many it holds; the pending tab holds at least the two new applications'
        browser.screenshot("bureau-queue-counts-${size}")
        browser.text("#status-tabs a[data-status='submitted']").startsWith('待审核 (')
        tabCount('submitted') >= 2
        tabCount('submitted') == (browser.attribute("#status-tabs a[data-status='submitted']", 'data-count') as int)

        and: 'the application naming Donghu University again is flagged on its card, the other is not'
        browser.text("#applications li[data-slug='${again}'] .likely-same").contains('疑似重复')
        browser.text("#applications li[data-slug='${again}'] .likely-same").contains('已有单位 东湖大学')
        !browser.exists("#applications li[data-slug='${fresh}'] .likely-same .likely-same-item[data-kind='tenant']")

        when: "the new institution's application, before any test"
        browser.open(app("/onboarding/applications/${freshId}?network=zj-network&lang=zh-CN"))
        browser.find('#approve')

        then: 'approve is disabled and says why'
        browser.screenshot("bureau-approve-disabled-${size}")
        browser.find('#approve').getAttribute('disabled') != null
        browser.text('#approve-needs-test') == '须先测试身份提供方的连接并通过，才能通过并开通。'

        when: 'the form is forced past the disabled button'
        browser.js("document.getElementById('approve').removeAttribute('disabled')")
        browser.click('#approve')
        browser.waitUntil('the refusal', { browser.pageText().contains('身份提供方的连接测试尚未通过') } as BooleanSupplier)

        then: 'the server refuses it, and nothing changed'
        browser.screenshot("bureau-approve-refused-${size}")
        browser.attribute('#app-status', 'data-status') == 'submitted'

        when: 'the identity provider is tested'
        browser.click('#test-idp')
        browser.find('#idp-result')

        then: 'approve is enabled'
        browser.attribute('#idp-result', 'data-code') == 'ok'
        browser.find('#approve').getAttribute('disabled') == null
        !browser.exists('#approve-needs-test')

        when:
        browser.click('#approve')
        browser.waitUntil('approval', { browser.attribute('#app-status', 'data-status') == 'approved' } as BooleanSupplier)
        browser.open(app('/onboarding?network=zj-network&status=approved&lang=zh-CN'))

        then: 'the approved tab counts one more'
        browser.screenshot("bureau-approved-counts-${size}")
        tabCount('approved') == approvedBefore + 1

        where:
        size << ['phone', 'desktop']
    }

    def "suspending a member is a separate step at the end of its page, confirmed by name with a reason (#size)"() {
        given: 'a member onboarded for this'
        String slug = "sus-${run}-${size}".toString()
        String nameZh = "富春测绘学院${size == 'phone' ? '甲' : '乙'}".toString()
        String id = apply(slug, nameZh, "Fuchun Surveying College ${size}".toString())
        browser.signIn(app(''), 'consortium', 'bureau-admin', "/onboarding/applications/${id}?network=zj-network&lang=zh-CN")
        browser.click('#test-idp')
        browser.find('#idp-result')
        browser.click('#approve')
        browser.waitUntil('approval', { browser.exists('#to-member') } as BooleanSupplier)
        browser.click('#to-member')
        browser.find('#member-name')
        sized(size)

        expect: 'the suspension sits apart, after the routine forms, folded away'
        browser.screenshot("bureau-member-page-${size}")
        browser.js("return !!(document.getElementById('admin-invite').compareDocumentPosition(document.getElementById('status-zone')) & Node.DOCUMENT_POSITION_FOLLOWING)") == true
        !browser.visible('#status-submit')
        browser.attribute('#member-status', 'data-status') == 'active'

        when: 'opened and sent with a reason'
        browser.click('#suspend-open')
        browser.type('#status-reason', '未按期提交年度报告')
        browser.click('#status-submit')
        browser.find('#suspend-confirm')

        then: 'a confirmation names the institution and the reason; nothing happened yet'
        browser.screenshot("bureau-suspend-confirm-${size}")
        browser.text('#suspend-confirm-question') == "确定要暂停“${nameZh}”吗？".toString()
        browser.text('#suspend-confirm-reason') == '未按期提交年度报告'
        browser.attribute('#member-status', 'data-status') == 'active'

        when: 'cancelled'
        browser.click('#suspend-cancel')
        browser.find('#member-name')

        then:
        browser.attribute('#member-status', 'data-status') == 'active'

        when: 'sent again and confirmed'
        browser.click('#suspend-open')
        browser.type('#status-reason', '未按期提交年度报告')
        browser.click('#status-submit')
        browser.find('#suspend-confirm-submit')
        browser.text('#suspend-confirm-submit') == "确认暂停“${nameZh}”".toString()
        browser.click('#suspend-confirm-submit')
        browser.waitUntil('suspended', { browser.exists('#done') } as BooleanSupplier)

        then:
        browser.screenshot("bureau-suspended-${size}")
        browser.attribute('#member-status', 'data-status') == 'suspended'
        browser.text('#member-reason').startsWith('未按期提交年度报告')
        browser.assertNoHorizontalScroll()

        where:
        size << ['phone', 'desktop']
    }

    def "the account page names a role's unit in the page's language and shows no ids (#size)"() {
        given: 'a Donghu person who is instrument admin of one unit'
        String subject = "unit-admin-${run}-${size}".toString()
        browser.signIn(app(''), 'donghu', subject, '/?lang=zh-CN')
        def issuer = SharedDevStack.get().identityProvider().issuer('donghu')
        def donghu = directory.findActive('donghu').get()
        def userId = callers.resolveSession(issuer, subject, null, null).caller().get().userId()
        def unit = units.list(donghu, null, null, 0, 1)[0]
        roles.grant(donghu, userId, Role.INSTRUMENT_ADMIN, ScopeType.ORG_UNIT, unit.id(), null)

        when:
        sized(size).open(app('/account?lang=zh-CN'))
        browser.find('#roles')

        then:
        browser.screenshot("account-unit-names-${size}")
        browser.text("#roles li[data-scope='org_unit'] .figures") == "组织单元 · ${unit.nameZh()}".toString()
        !(browser.text('main') =~ /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/)

        where:
        size << ['phone', 'desktop']
    }
}
