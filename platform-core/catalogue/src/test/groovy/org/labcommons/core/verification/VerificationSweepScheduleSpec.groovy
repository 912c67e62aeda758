package org.labcommons.core.verification

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.core.events.OutboxFixtures

import org.labcommons.testkit.PlatformSpec
import java.time.Duration

/** The sweep on its schedule: a campaign past its deadline is closed without anyone calling it. */
class VerificationSweepScheduleSpec extends PlatformSpec {

    @Inject JsonMapper json

    @Override
    Map<String, String> ownProperties() {
        ['labcommons.verification.sweep-interval': '300ms',
         'labcommons.verification.sweep-initial-delay': '100ms']
    }

    def "the scheduled sweep closes a campaign soon after its deadline and flags what was not confirmed"() {
        given:
        String base = "http://localhost:${server.port}"
        def v = new VerificationFixture(ctx)
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
