package org.labcommons.core.billing.payers

import org.labcommons.testkit.Browser
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import static org.labcommons.testkit.TenantWorld.*

/**
 * "My projects" in headless Chromium, in Chinese on a phone: a student asks to charge a project account by its code
 * (the page's form), its principal investigator signs in, sees the request with the budget left and approves it; the
 * student's membership is then approved.
 */
class PayerPagesBrowserSpec extends PlatformSpec {
    @Shared TenantWorld world
    Browser browser = Browser.get()

    def setup() {
        if (world == null) {
            world = TenantWorld.build(ctx) {
                institution('payb-donghu') {
                    person('payb-finance', FINANCE)
                    person('payb-pi', USER, claims: [name: '王老师'])
                    person('payb-student', USER, claims: [name: '孙同学'])
                }
            }
        }
        browser.reset()
    }

    void signIn(String who, String returnTo) {
        browser.signIn(baseUrl, world.tenant('payb-donghu').issuerId, world.person(who).subject, returnTo)
    }

    def "a student asks to join by code; the PI approves on a phone, in Chinese"() {
        given:
        def a = api.post('/api/v1/payer-accounts', world.token('payb-finance'), [kind: 'project', code: 'NSFC-B-2026',
                nameZh: '国家自然科学基金面上项目', nameEn: 'NSFC general project', settlement: 'monthly', budgetFen: 8_000_000,
                piUserId: world.person('payb-pi').userId.toString()]).body

        when: 'the student asks on the page'
        browser.phone()
        signIn('payb-student', '/my/projects?lang=zh-CN')
        browser.type('#join-code', 'NSFC-B-2026')
        browser.js("document.getElementById('join-category').value = 'student'")
        browser.submit('#join-submit')
        browser.waitUntil('the request is listed') { browser.exists('#member-of li[data-state="requested"]') }

        then:
        browser.text('h1') == '我的项目'
        browser.text('#member-of li .badge') == '待批准'

        when: 'the PI approves it'
        browser.reset()
        browser.phone()
        signIn('payb-pi', '/my/projects?lang=zh-CN')
        browser.waitUntil('the request is shown') { browser.exists("#led li[data-state=\"requested\"]") }
        browser.assertNoHorizontalScroll()
        browser.screenshot('my-projects-pi-zh-phone')
        String budget = browser.text('#led .budget-left')
        browser.submit('#led li[data-state="requested"] button.approve')
        browser.waitUntil('the member is approved') { browser.exists('#led li[data-state="approved"]') }

        then:
        budget == '80,000.00'
        browser.text('#led li[data-state="approved"] .member-state') == '已批准'
        api.get("/api/v1/payer-accounts/${a.id}/members", world.token('payb-pi')).body.items*.state == ['approved']
        api.get('/api/v1/payer-accounts/mine', world.token('payb-student')).body.items*.role == ['approved']
    }
}
