package org.labcommons.core.verification

import io.micronaut.json.JsonMapper
import io.micronaut.runtime.server.EmbeddedServer
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import org.labcommons.core.events.OutboxFixtures
import org.labcommons.core.org.TwoTenantFixture
import org.labcommons.core.security.RoleAssignments
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.devstack.SharedDevStack
import spock.lang.Specification

import javax.sql.DataSource
import java.time.Duration

/** The sweep on its schedule: a campaign past its deadline is closed without anyone calling it. */
@MicronautTest(transactional = false)
class VerificationSweepScheduleSpec extends Specification implements io.micronaut.test.support.TestPropertyProvider {

    @Inject EmbeddedServer server
    @Inject DataSource dataSource
    @Inject TenantTransactions tenants
    @Inject RoleAssignments roles
    @Inject JsonMapper json

    @Override
    Map<String, String> getProperties() {
        SharedDevStack.get().properties() + ['micronaut.server.port'                     : '-1',
                                             'labcommons.verification.sweep-interval'     : '300ms',
                                             'labcommons.verification.sweep-initial-delay': '100ms']
    }

    def "the scheduled sweep closes a campaign soon after its deadline and flags what was not confirmed"() {
        given:
        String base = "http://localhost:${server.port}"
        def v = new VerificationFixture(new TwoTenantFixture(base, dataSource, tenants, roles, json), base, json, tenants, roles)
        def unit = v.unit()
        def confirmed = v.instrument(unit)
        def forgotten = v.instrument(unit)
        def campaign = v.start(unit).body
        v.confirm(campaign.id, confirmed.id)

        when:
        v.pastDeadline(campaign.id)
        def closed = OutboxFixtures.await('the sweep to close the campaign', Duration.ofSeconds(30)) {
            def c = v.send('GET', "/api/v1/verification-campaigns/${campaign.id}", v.f.tokenA).body
            c.state == 'closed' ? c : null
        }

        then:
        closed.closeReason == 'deadline'
        v.freshness([confirmed.id, forgotten.id]).collectEntries { k, x -> [(k): x.staleSince != null] } ==
                [(confirmed.id): false, (forgotten.id): true]
        v.audits('verification_campaign.closed', campaign.id) == 1
    }
}
