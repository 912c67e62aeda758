package org.labcommons.tenantadmin.onboarding

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.core.security.RoleAssignments
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.tenancy.TenantTransactions
import spock.lang.Shared

/**
 * Onboarding end to end through the API: an institution applies (or is invited and completes
 * the application), the network admin reviews, approval provisions the tenant, the first admins
 * receive their invitation mail (read back from the SMTP server) and accept it after signing in
 * with the new tenant's own identity provider.
 */
class OnboardingApiSpec extends ManyFormsSpec {

    @Inject TenantTransactions tenants
    @Inject RoleAssignments roles
    @Inject JsonMapper json
    @Shared NetworkFixture f

    def setup() {
        if (f == null) {
            f = new NetworkFixture(ctx)
        }
    }

    String slug(String what) { "${what}-${f.run}".toString() }

    long audited(TenantId tenant, String action, String target) {
        f.count(tenant, "select count(*) from audit_event where action = '${action}' and target_id = '${target}'")
    }

    def "an institution applies, is approved and provisioned; its first admin accepts the mailed invitation and becomes institution admin"() {
        given:
        String s = slug('qt')
        def application = f.application(s)

        when: 'the public form is submitted (no sign-in)'
        def submitted = f.apply(application)

        then:
        submitted.status == 201
        submitted.body.status == 'submitted'
        submitted.body.keySet() == ['id', 'status'] as Set

        when: 'the network admin sees it in the queue'
        def queue = f.send('GET', '/api/v1/onboarding/applications?status=submitted', f.tokenA)

        then:
        queue.status == 200
        queue.body.items*.slug.contains(s)
        queue.body.total >= 1
        audited(f.networkA, 'onboarding.application.submitted', submitted.body.id as String) == 1

        when: 'it is approved'
        def approved = f.approve(submitted.body.id)
        def tenant = new TenantId(UUID.fromString(approved.body.provisionedTenantId as String))

        then: 'the tenant exists, is active, belongs to the network, and starts with units, issuer, rate groups and invitations'
        approved.status == 200
        approved.body.status == 'approved'
        f.direct { c ->
            def rs = c.prepareStatement("select slug, kind, status, parent_id, region_code, time_zone, name_en from tenant where id = '${tenant}'").executeQuery()
            rs.next()
            [rs.getString(1), rs.getString(2), rs.getString(3), rs.getObject(4), rs.getString(5), rs.getString(6), rs.getString(7)]
        } == [s, 'institution', 'active', f.networkA.value(), '330100', 'Asia/Shanghai', 'Qiantang University of Technology']
        f.count(tenant, "select count(*) from org_unit") == 2
        f.count(tenant, "select count(*) from rate_group where code in ('internal', 'consortium', 'external')") == 3
        f.count(tenant, "select count(*) from trusted_issuer where issuer = '${f.issuer("uni-${s}")}' and client_id = 'labcommons' and name_claim = 'name'") == 1
        f.count(tenant, "select count(*) from admin_invitation where sent_at is not null and token_hash is not null") == 2
        audited(f.networkA, 'onboarding.application.approved', submitted.body.id as String) == 1
        audited(f.networkA, 'tenant.activated', tenant.toString()) == 1
        audited(tenant, 'tenant.provisioned', tenant.toString()) == 1
        f.count(tenant, "select count(*) from audit_event where action = 'admin_invitation.sent'") == 2

        when: 'the first admin reads the invitation mail (Chinese, as the application asked)'
        def mail = NetworkFixture.mailTo("admin1-${s}@qiantang.example".toString())
        String link = NetworkFixture.linkIn(mail)
        String token = link.replaceAll(/.*\/onboarding\/invitations\/[0-9a-f-]+\/([A-Za-z0-9_-]+).*/, '$1')

        then:
        mail.subject() == '邀请您担任钱塘理工大学在LabCommons 大型仪器共享平台的机构管理员'
        mail.text().contains('有效期至')
        link.startsWith("http://localhost:${server.port}/onboarding/invitations/${tenant}/")
        token.length() == 43

        when: 'they sign in with the new university identity provider and accept through the API'
        String theirToken = NetworkFixture.token("uni-${s}", "alice-${f.run}")
        def accepted = f.post('/api/v1/onboarding/invitations/accept', theirToken, [tenantId: tenant.toString(), token: token])
        def me = f.send('GET', '/api/v1/me', theirToken)

        then:
        accepted.status == 200
        accepted.body.role == 'institution_admin'
        accepted.body.tenantSlug == s
        me.body.actingTenant == tenant.toString()
        me.body.roles*.role == ['institution_admin']
        f.count(tenant, "select count(*) from admin_invitation where accepted_at is not null") == 1
        f.count(tenant, "select count(*) from audit_event where action = 'admin_invitation.accepted'") == 1

        when: 'the same link is used again'
        def again = f.post('/api/v1/onboarding/invitations/accept', NetworkFixture.token("uni-${s}", "mallory-${f.run}"),
                [tenantId: tenant.toString(), token: token])

        then: 'single use'
        again.status == 409
        again.body.code == 'invitation_used'

        when: 'approving again'
        def twice = f.send('POST', "/api/v1/onboarding/applications/${submitted.body.id}/approve", f.tokenA)

        then:
        twice.status == 409
        twice.body.code == 'wrong_state'
    }

    def "an invitation is accepted only by a person of the invited tenant's identity provider, and not after it expires"() {
        given: 'an approved institution'
        String s = slug('idp')
        def id = f.apply(f.application(s)).body.id
        def tenant = new TenantId(UUID.fromString(f.approve(id).body.provisionedTenantId as String))
        String token = NetworkFixture.linkIn(NetworkFixture.mailTo("admin2-${s}@qiantang.example".toString()))
                .replaceAll(/.*\/onboarding\/invitations\/[0-9a-f-]+\/([A-Za-z0-9_-]+).*/, '$1')

        when: 'a network admin (another identity provider) tries the link'
        def foreign = f.post('/api/v1/onboarding/invitations/accept', f.tokenB, [tenantId: tenant.toString(), token: token])

        then:
        foreign.status == 403
        foreign.body.code == 'wrong_identity_provider'

        when: 'an invented token, or the right token for another tenant'
        def invented = f.post('/api/v1/onboarding/invitations/accept', NetworkFixture.token("uni-${s}", 'x'), [tenantId: tenant.toString(), token: 'A' * 43])
        def wrongTenant = f.post('/api/v1/onboarding/invitations/accept', NetworkFixture.token("uni-${s}", 'x'), [tenantId: f.memberOfA.toString(), token: token])

        then:
        invented.status == 404
        wrongTenant.status == 404

        when: 'the invitation has expired'
        tenants.inTenant(tenant) { c -> c.prepareStatement("update admin_invitation set expires_at = now() - interval '1 minute' where email like 'admin2-%'").executeUpdate() }
        def late = f.post('/api/v1/onboarding/invitations/accept', NetworkFixture.token("uni-${s}", "bob-${f.run}"), [tenantId: tenant.toString(), token: token])

        then:
        late.status == 410
        late.body.code == 'invitation_expired'

        when: 'the network admin sends it again: a new link, the old one is dead'
        def invitations = f.send('GET', "/api/v1/onboarding/members/${tenant}/invitations", f.tokenA).body
        def target = invitations.find { it.email == "admin2-${s}@qiantang.example".toString() }
        def resent = f.send('POST', "/api/v1/onboarding/members/${tenant}/invitations/${target.id}/resend", f.tokenA)
        String fresh = NetworkFixture.linkIn(NetworkFixture.mailTo("admin2-${s}@qiantang.example".toString()) { !it.text().contains(token) })
                .replaceAll(/.*\/onboarding\/invitations\/[0-9a-f-]+\/([A-Za-z0-9_-]+).*/, '$1')
        def old = f.post('/api/v1/onboarding/invitations/accept', NetworkFixture.token("uni-${s}", "bob-${f.run}"), [tenantId: tenant.toString(), token: token])
        def ok = f.post('/api/v1/onboarding/invitations/accept', NetworkFixture.token("uni-${s}", "bob-${f.run}"), [tenantId: tenant.toString(), token: fresh])

        then:
        invitations*.state.toSet() == ['expired', 'sent'] as Set
        resent.status == 200
        resent.body.state == 'sent'
        fresh != token
        old.status == 404
        ok.status == 200
    }

    def "a network invites an institution; the contact completes the application from the mailed link"() {
        when:
        String s = slug('inv')
        def invited = f.post('/api/v1/onboarding/applications', f.tokenA, [nameZh: '西湖医学院', nameEn: 'Xihu Medical College',
                contactName: 'Dr. Lin', contactEmail: "lin-${s}@xihu.example".toString(), language: 'en'])

        then:
        invited.status == 201
        invited.body.mailSent == true
        invited.body.application.status == 'invited'
        invited.body.application.source == 'invitation'

        when: 'the contact opens the link (English, as asked)'
        def mail = NetworkFixture.mailTo("lin-${s}@xihu.example".toString())
        String link = NetworkFixture.linkIn(mail)
        String token = URLDecoder.decode((link =~ /invitation=([^&]+)/)[0][1] as String, 'UTF-8')
        def view = f.send('GET', "/api/v1/public/onboarding/invitations/${token}?network=net-a-${f.run}", null)

        then:
        mail.subject() == 'Network A invites Xihu Medical College to join LabCommons instrument sharing'
        mail.text().contains('The link works once')
        link.contains("/onboarding/apply?network=net-a-${f.run}")
        view.status == 200
        view.body.nameEn == 'Xihu Medical College'
        view.body.networkNameEn == 'Network A'

        when: 'an incomplete completion is refused with field problems, then a complete one is accepted'
        def incomplete = f.apply([network: "net-a-${f.run}".toString(), invitationToken: token, nameZh: '西湖医学院', nameEn: 'Xihu Medical College'])
        def done = f.apply(f.application(s, [invitationToken: token, nameZh: '西湖医学院', nameEn: 'Xihu Medical College']))
        def reused = f.apply(f.application(slug('inv2'), [invitationToken: token]))

        then:
        incomplete.status == 400
        incomplete.body.errors*.field.containsAll(['slug', 'regionCode', 'contactName', 'contactEmail', 'issuerUrl', 'clientId', 'adminEmails'])
        done.status == 201
        done.body.id == invited.body.application.id
        reused.status == 404
        f.send('GET', "/api/v1/onboarding/applications/${done.body.id}", f.tokenA).body.status == 'submitted'
    }

    def "rejection needs a reason, is audited, is mailed to the contact, and a rejected application cannot be approved"() {
        given:
        String s = slug('rej')
        def id = f.apply(f.application(s, [language: 'en'])).body.id

        when:
        def noReason = f.post("/api/v1/onboarding/applications/${id}/reject", f.tokenA, [reason: '  '])
        def rejected = f.post("/api/v1/onboarding/applications/${id}/reject", f.tokenA, [reason: 'Not a research institution'])
        def approve = f.send('POST', "/api/v1/onboarding/applications/${id}/approve", f.tokenA)
        def rejectAgain = f.post("/api/v1/onboarding/applications/${id}/reject", f.tokenA, [reason: 'again'])
        def mail = NetworkFixture.mailTo("contact-${s}@qiantang.example".toString())

        then:
        noReason.status == 400
        noReason.body.errors*.field == ['reason']
        rejected.status == 200
        rejected.body.status == 'rejected'
        rejected.body.rejectReason == 'Not a research institution'
        approve.status == 409
        approve.body.code == 'wrong_state'
        approve.body.detail == 'The current state is: rejected'
        rejectAgain.status == 409
        audited(f.networkA, 'onboarding.application.rejected', id as String) == 1
        mail.subject() == 'The application of Qiantang University of Technology was not approved'
        mail.text().contains('Reason: Not a research institution')

        when: 'the slug is free again for a new application'
        def second = f.apply(f.application(s))

        then:
        second.status == 201
    }

    def "the public form validates every field, refuses an unknown network and a taken slug"() {
        when:
        def bad = f.apply([network: 'nowhere', slug: 'A!', nameZh: '', nameEn: 'x', regionCode: '33', timeZone: 'Mars/Olympus',
                           contactName: 'n', contactEmail: 'not-an-address', issuerUrl: 'http://idp.example.org', clientId: 'web',
                           adminEmails: ['a@x.example', 'A@X.example', 'nope'], language: 'fr'])

        then:
        bad.status == 400
        bad.body.code == 'validation_failed'
        bad.body.errors*.field.toSet() == ['network', 'slug', 'nameZh', 'regionCode', 'timeZone', 'contactEmail', 'issuerUrl',
                                           'adminEmails[1]', 'adminEmails[2]', 'language'] as Set
        bad.body.errors.find { it.field == 'issuerUrl' }.message.contains('https://')

        when: 'a slug an existing tenant has'
        def taken = f.apply(f.application("net-b-${f.run}".toString()))

        then:
        taken.status == 409
        taken.body.errors*.field == ['slug']
    }

    def "networks open to applications are listed publicly; the queue is paginated"() {
        when:
        def networks = f.send('GET', '/api/v1/public/onboarding/networks', null)
        def page = f.send('GET', '/api/v1/onboarding/applications?size=1&page=0', f.tokenA)
        def tooBig = f.send('GET', '/api/v1/onboarding/applications?size=1000', f.tokenA)

        then:
        networks.status == 200
        networks.body*.slug.containsAll(["net-a-${f.run}".toString(), "net-b-${f.run}".toString()])
        !networks.body*.slug.contains("member-${f.run}".toString())
        page.body.items.size() == 1
        page.body.size == 1
        tooBig.status == 400
        tooBig.body.errors*.field == ['size']
    }
}
