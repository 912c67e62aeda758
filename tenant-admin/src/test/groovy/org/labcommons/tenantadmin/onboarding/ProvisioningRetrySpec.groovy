package org.labcommons.tenantadmin.onboarding

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.core.directory.TenantDirectory
import org.labcommons.core.tenancy.TenantId
import org.labcommons.devstack.SharedDevStack
import spock.lang.Shared

import java.sql.DriverManager

/**
 * An approval that fails midway (here: the database refuses to write the rate groups, after the
 * tenant row and before activation) leaves nothing half-done visible, and approving again
 * finishes the job without duplicating anything.
 */
class ProvisioningRetrySpec extends ManyFormsSpec {

    @Inject JsonMapper json
    @Inject TenantDirectory directory
    @Shared NetworkFixture f
    @Shared Map<String, String> props = SharedDevStack.get().properties()

    def setup() {
        if (f == null) {
            f = new NetworkFixture(ctx)
        }
    }

    void asOwner(String sql) {
        DriverManager.getConnection(props['labcommons.db.url'], props['labcommons.db.owner-user'], props['labcommons.db.owner-password'])
                .withCloseable { it.createStatement().execute(sql) }
    }

    def "a failed approval is invisible and is resumed by approving again"() {
        given:
        String s = "retry-${f.run}".toString()
        def id = f.apply(f.application(s)).body.id

        when: 'the rate groups cannot be written'
        asOwner("revoke insert on rate_group from ${props['labcommons.db.user']}")
        def failed = f.approve(id)
        def app = f.send('GET', "/api/v1/onboarding/applications/${id}", f.tokenA).body
        def tenant = new TenantId(UUID.fromString(app.provisionedTenantId as String))

        then: 'the approval failed and says so; the application waits in provisioning'
        failed.status == 500
        app.status == 'provisioning'

        and: 'nothing of the tenant is visible: not listed, not a member, its provider not trusted, nothing inside it'
        !directory.activeTenants()*.slug().contains(s)
        !f.send('GET', '/api/v1/onboarding/members?size=100', f.tokenA).body.items*.slug.contains(s)
        f.send('GET', '/api/v1/public/onboarding/networks', null).status == 200
        f.send('GET', '/api/v1/me', NetworkFixture.token("uni-${s}", 'early-bird')).status == 401
        f.count(tenant, 'select count(*) from org_unit') == 0
        f.count(tenant, 'select count(*) from trusted_issuer') == 0
        f.count(tenant, 'select count(*) from admin_invitation') == 0
        SharedDevStack.get().mail().messagesTo("admin1-${s}@qiantang.example".toString()).isEmpty()

        when: 'the cause is fixed and the admin approves again'
        asOwner("grant insert on rate_group to ${props['labcommons.db.user']}")
        def approved = f.send('POST', "/api/v1/onboarding/applications/${id}/approve", f.tokenA)

        then: 'the same tenant is finished, once'
        approved.status == 200
        approved.body.status == 'approved'
        approved.body.provisionedTenantId == tenant.toString()
        f.direct { c -> def rs = c.prepareStatement("select count(*), min(status) from tenant where slug = '${s}'").executeQuery(); rs.next(); [rs.getLong(1), rs.getString(2)] } == [1L, 'active']
        f.count(tenant, 'select count(*) from org_unit') == 2
        f.count(tenant, 'select count(*) from rate_group') == 3
        f.count(tenant, 'select count(*) from trusted_issuer') == 1
        f.count(tenant, 'select count(*) from admin_invitation') == 2
        NetworkFixture.mailTo("admin1-${s}@qiantang.example".toString()) != null
        SharedDevStack.get().mail().messagesTo("admin1-${s}@qiantang.example".toString()).size() == 1
        f.send('GET', '/api/v1/me', NetworkFixture.token("uni-${s}", 'early-bird')).status == 200

        cleanup:
        asOwner("grant insert on rate_group to ${props['labcommons.db.user']}")
    }

    def "two networks approving applications for the same slug: the second gets a conflict, not a second tenant"() {
        given:
        String s = "race-${f.run}".toString()
        def fromA = f.apply(f.application(s)).body.id
        def fromB = f.apply(f.application(s, [network: "net-b-${f.run}".toString(), issuerUrl: f.issuer("uni-b-${s}")])).body.id

        when:
        def first = f.approve(fromA)
        def second = f.approve(fromB, f.tokenB)

        then:
        first.status == 200
        second.status == 409
        second.body.errors*.field == ['slug']
        f.send('GET', "/api/v1/onboarding/applications/${fromB}", f.tokenB).body.status == 'submitted'
    }
}
