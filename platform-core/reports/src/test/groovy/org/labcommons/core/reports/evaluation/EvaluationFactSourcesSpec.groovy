package org.labcommons.core.reports.evaluation

import org.labcommons.core.catalog.InstrumentService
import org.labcommons.core.reports.facts.FactsFixture
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.usage.UsageTopics
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld

import java.time.Instant

import static org.labcommons.testkit.TenantWorld.*

/**
 * The evaluation's figures from the platform's own facts (CombinedEvaluationFacts over the wired sources): measured
 * hours from the rollups, marked as such; a year the rollups hold nothing of gives no figure (its items stay "not
 * available"), and no rating gives no rating mean.
 */
class EvaluationFactSourcesSpec extends PlatformSpec {

    def "a year's measured sessions reach the evaluation's inputs from the rollups; an empty year gives none"() {
        given:
        def world = TenantWorld.build(ctx) {
            institution('efs-donghu') {
                unit('efs-lab')
                person('efs-admin', INSTITUTION_ADMIN)
                instrument('Evaluation Facts NMR', unit: 'efs-lab')
            }
        }
        UUID tenant = world.tenant('efs-donghu').id
        UUID nmr = UUID.fromString(world.instrument('Evaluation Facts NMR').id as String)
        def fx = new FactsFixture(ctx, tenant)
        def instrument = ctx.getBean(InstrumentService).find(new TenantId(tenant), nmr).get()

        when: 'two sessions of an own user in 2025: 90 and 45 minutes'
        fx.deliver(UsageTopics.USAGE_SESSION, fx.session(UUID.randomUUID(), 1, nmr, Instant.parse('2025-05-11T01:00:00Z'),
                Instant.parse('2025-05-11T02:30:00Z'), [userId: UUID.randomUUID()]))
        fx.deliver(UsageTopics.USAGE_SESSION, fx.session(UUID.randomUUID(), 1, nmr, Instant.parse('2025-09-02T06:00:00Z'),
                Instant.parse('2025-09-02T06:45:00Z'), [userId: UUID.randomUUID()]))
        def inputs = ctx.getBean(CombinedEvaluationFacts).inputs(new TenantId(tenant), instrument, 2025)
        def empty = ctx.getBean(CombinedEvaluationFacts).inputs(new TenantId(tenant), instrument, 2019)

        then:
        inputs.figure(EvaluationInputs.EFFECTIVE_HOURS) == 2.25
        inputs.sources()[EvaluationInputs.EFFECTIVE_HOURS] == 'rollups'
        inputs.figure(EvaluationInputs.RESEARCHERS) == 2
        inputs.figure(EvaluationInputs.EXTERNAL_HOURS) == 0
        inputs.figure(EvaluationInputs.RATING_MEAN) == null

        and:
        empty.figure(EvaluationInputs.EFFECTIVE_HOURS) == null
        empty.figure(EvaluationInputs.RESEARCHERS) == null
    }
}
