package org.labcommons.tenantadmin.onboarding

import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.Browser
import spock.lang.Shared
import spock.lang.Stepwise

/**
 * The bureau admin onboards a new university end to end in a real browser, with the demo data
 * (the demo login bureau-admin holds network admin on the Zhejiang network): the university
 * applies on the public form (a mistake is shown next to its field first), the bureau admin
 * reviews it, tests its identity provider and approves; the invitation mail is read from the
 * SMTP server; the invited admin opens the link, signs in with the university's own identity
 * provider, accepts, and lands on their account page as institution admin. Then the bureau
 * admin sees the university among the members and suspends it (a confirmed step) and reactivates it from its page.
 */
@Stepwise
class OnboardingBrowserSpec extends DemoManyFormsSpec {

    Browser browser = Browser.get()
    @Shared String run = UUID.randomUUID().toString().substring(0, 6)
    @Shared String slug = "hzu-${run}".toString()
    @Shared String admin = "admin-${run}@hzu.example.edu".toString()
    @Shared String invitationLink

    String app(String path) { "http://localhost:${server.port}${path}" }

    String issuer() { SharedDevStack.get().identityProvider().issuer("sso-${slug}") }

    def "a university applies on the public form, on a phone, and a mistake is shown next to its field"() {
        given:
        browser.reset()
        browser.phone().open(app('/onboarding/apply?lang=en'))
        browser.assertNoHorizontalScroll()

        when: 'the form is filled with a bad region code'
        browser.js("document.getElementById('network').value = arguments[0]", 'zj-network')
        browser.type('#nameZh', '杭州理工大学')
        browser.type('#nameEn', 'Hangzhou Institute of Technology')
        browser.type('#slug', slug)
        browser.type('#regionCode', '3301')
        browser.type('#contactName', '陈老师')
        browser.type('#contactEmail', "office-${run}@hzu.example.edu".toString())
        browser.js("document.getElementById('language').value = 'en'")
        browser.type('#issuerUrl', issuer())
        browser.type('#adminEmails', admin)
        browser.click('#apply-submit')
        browser.waitUntil('the region code error', { !browser.text('[data-error-for=regionCode]').isEmpty() } as java.util.function.BooleanSupplier)

        then:
        browser.screenshot('onboarding-apply-phone-error')
        browser.text('[data-error-for=regionCode]') == 'must be a 6-digit administrative division code'
        !browser.visible('#apply-done')

        when: 'it is corrected'
        browser.type('#regionCode', '330100')
        browser.click('#apply-submit')
        browser.waitUntil('the receipt', { browser.visible('#apply-done') } as java.util.function.BooleanSupplier)

        then:
        browser.text('#apply-ref') ==~ /[0-9a-f-]{36}/
        browser.assertNoHorizontalScroll()
    }

    def "the bureau admin reviews it in the queue, tests its identity provider and approves it"() {
        when:
        browser.reset()
        browser.signIn(app(''), 'consortium', 'bureau-admin', '/onboarding?network=zj-network&lang=en')

        then:
        browser.screenshot('onboarding-queue')
        browser.text('#network-name') == 'Zhejiang Large Instrument Sharing Network'
        browser.exists("#applications li[data-slug='${slug}']")

        when:
        browser.click("#applications li[data-slug='${slug}'] a")
        browser.find('#app-name')

        then:
        browser.text('#app-name') == 'Hangzhou Institute of Technology'
        browser.attribute('#app-status', 'data-status') == 'submitted'
        browser.text('#app-issuer') == issuer()

        when: 'the identity provider is tested'
        browser.click('#test-idp')
        browser.find('#idp-result')

        then:
        browser.attribute('#idp-result', 'data-code') == 'ok'

        when: 'rejecting without a reason is refused; approving provisions it'
        browser.click('#reject')
        browser.find('#reason-error')
        String refusal = browser.text('#reason-error')
        browser.click('#approve')
        browser.waitUntil('approval', { browser.exists('#done') } as java.util.function.BooleanSupplier)

        then:
        browser.screenshot('onboarding-approved')
        refusal == 'is required'
        browser.attribute('#app-status', 'data-status') == 'approved'
        browser.exists('#to-member')
    }

    def "the invitation mail arrives in English with a single-use link"() {
        when:
        def mail = NetworkFixture.mailTo(admin)
        invitationLink = NetworkFixture.linkIn(mail)

        then:
        mail.subject() == 'You are invited to administer Hangzhou Institute of Technology on LabCommons instrument sharing'
        invitationLink.startsWith(app('/onboarding/invitations/'))
    }

    def "the invited admin signs in with the university's own provider, accepts, and is institution admin"() {
        when: 'they open the link signed out'
        browser.reset()
        browser.open(invitationLink)

        then:
        browser.text('#invitation-what').contains('Hangzhou Institute of Technology')
        browser.exists('#sign-in-tenant')
        !browser.exists('#accept')

        when: "they sign in with the university's provider (the dev provider's form) and come back"
        browser.click('#sign-in-tenant')
        browser.waitUntil('the identity provider', { browser.url().startsWith(issuer()) } as java.util.function.BooleanSupplier)
        browser.type('input[name=username]', "chen-${run}".toString())
        browser.click('input[type=submit]')
        browser.waitUntil('back on the invitation', { browser.url().startsWith(app('/onboarding/invitations/')) } as java.util.function.BooleanSupplier)
        browser.click('#accept')
        browser.waitUntil('the account page', { browser.url().startsWith(app('/account')) } as java.util.function.BooleanSupplier)

        then:
        browser.screenshot('onboarding-accepted-account')
        browser.exists("#roles li[data-role='institution_admin']")
        browser.text('#account-tenant') == 'Hangzhou Institute of Technology'

        when: 'the link is opened again'
        browser.open(invitationLink)

        then: 'it is used up'
        browser.exists('#invitation-unknown')
    }

    def "the bureau admin sees the university among the members and suspends and reactivates it"() {
        when:
        browser.reset()
        browser.signIn(app(''), 'consortium', 'bureau-admin', '/onboarding/members?network=zj-network&lang=zh-CN')

        then:
        browser.screenshot('onboarding-members')
        browser.exists("#members tr[data-slug='${slug}']")
        browser.text("#members tr[data-slug='${slug}'] .count") == '0'
        browser.text("#members tr[data-slug='donghu'] .count") != '0'

        when:
        browser.click("#members tr[data-slug='${slug}'] a")
        browser.find('#member-name')
        browser.click('#suspend-open')
        browser.click('#status-submit')
        browser.find('#reason-error')

        then: 'a reason is required'
        browser.text('#reason-error') == '必填'
        browser.attribute('#member-status', 'data-status') == 'active'

        when:
        browser.type('#status-reason', '未按期提交年度报告')
        browser.click('#status-submit')
        browser.click('#suspend-confirm-submit')
        browser.waitUntil('suspended', { browser.exists('#done') } as java.util.function.BooleanSupplier)

        then:
        browser.attribute('#member-status', 'data-status') == 'suspended'
        browser.text('#member-reason').startsWith('未按期提交年度报告')

        when:
        browser.type('#status-reason', '已补交')
        browser.click('#status-submit')
        browser.waitUntil('reactivated', { browser.attribute('#member-status', 'data-status') == 'active' } as java.util.function.BooleanSupplier)

        then:
        browser.phone().screenshot('onboarding-member-phone')
        browser.text('#done') == '已恢复该单位。'
        browser.phone().assertNoHorizontalScroll()
    }
}
