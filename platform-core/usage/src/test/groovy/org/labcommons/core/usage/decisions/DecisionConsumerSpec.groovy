package org.labcommons.core.usage.decisions

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.apache.kafka.clients.producer.KafkaProducer
import org.apache.kafka.clients.producer.ProducerRecord
import org.apache.kafka.common.serialization.StringSerializer
import org.labcommons.core.events.KernelTopics
import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.IsolationProbe
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import java.time.Instant
import java.time.temporal.ChronoUnit

import static org.labcommons.testkit.TenantWorld.INSTITUTION_ADMIN
import static org.labcommons.testkit.TenantWorld.USER

/**
 * The bridge's decisions (access.decisions.v1, written here as the bridge writes them) kept in access_decision by
 * {@link DecisionConsumer}: once per request, in the decision's tenant, also when PostgreSQL was down while they
 * were produced; listed for the instrument's staff.
 */
class DecisionConsumerSpec extends PlatformSpec {
    @Inject DecisionConsumer consumer

    @Shared TenantWorld world
    @Shared KafkaProducer<String, String> producer

    def setup() {
        if (world != null) {
            return
        }
        world = TenantWorld.build(ctx) {
            institution('decisions-a') {
                person('lab-admin', INSTITUTION_ADMIN)
                person('researcher', USER)
                instrument('Interlocked NMR')
            }
            institution('decisions-b') {
                person('b-admin', INSTITUTION_ADMIN)
            }
        }
        producer = new KafkaProducer<>(['bootstrap.servers': SharedDevStack.get().properties()['labcommons.kafka.bootstrap'],
                                        'acks': 'all', 'key.serializer': StringSerializer.name, 'value.serializer': StringSerializer.name])
    }

    def cleanupSpec() {
        producer?.close()
    }

    String instrumentId() { world.instrument('Interlocked NMR').id }

    Map decision(Map over = [:]) {
        ([tenantId: "${world.tenant('decisions-a').id}", requestId: "${UUID.randomUUID()}", deviceId: "${UUID.randomUUID()}",
         instrumentId: instrumentId(), method: 'card', purpose: 'use', userId: "${world.person('researcher').userId}",
         decision: 'allow', reason: 'own_booking', bookingId: null, sessionId: "${UUID.randomUUID()}",
         decidedAt: "${Instant.now().truncatedTo(ChronoUnit.MILLIS)}", viewVersion: 42] + over)
                .collectEntries { k, v -> [k, v instanceof GString ? v.toString() : v] }
    }

    void send(Map d) {
        producer.send(new ProducerRecord(KernelTopics.ACCESS_DECISIONS, d.deviceId as String, ctx.getBean(JsonMapper).writeValueAsString(d.collectEntries { k, v -> [k, v instanceof GString ? v.toString() : v] }))).get()
    }

    List<Map> stored(String requestId, long timeoutMs = 60_000) {
        long deadline = System.currentTimeMillis() + timeoutMs
        while (true) {
            Map r = world.api().get("/api/v1/usage/decisions?instrument=${instrumentId()}&size=200", world.token('lab-admin'))
            assert r.status == 200
            def found = (r.body.items as List<Map>).findAll { it.requestId == requestId }
            if (found || System.currentTimeMillis() > deadline) {
                return found
            }
            Thread.sleep(200)
        }
    }

    def "a decision is stored once, however often it arrives, and the instrument's staff list it"() {
        given:
        def d = decision()

        when:
        send(d)
        send(d)
        send(decision(requestId: d.requestId, decision: 'deny', reason: 'no_booking'))
        def marker = decision(decision: 'deny', reason: 'booked_by_other', sessionId: null, viewVersion: 43)
        send(marker)
        stored(marker.requestId as String)

        then:
        def rows = stored(d.requestId as String)
        rows.size() == 1
        with(rows[0]) {
            it.decision == 'allow' && it.reason == 'own_booking' && it.userId == d.userId && it.sessionId == d.sessionId
            it.deviceId == d.deviceId && it.method == 'card' && it.purpose == 'use' && it.viewVersion == 42
            Instant.parse(it.decidedAt as String) == Instant.parse(d.decidedAt as String)
        }
        stored(marker.requestId as String)[0].reason == 'booked_by_other'
    }

    def "only the instrument's staff read its decisions"() {
        expect:
        world.api().get("/api/v1/usage/decisions?instrument=${instrumentId()}", world.token('researcher')).status == 403
        world.api().get("/api/v1/usage/decisions?instrument=${UUID.randomUUID()}", world.token('lab-admin')).status == 404
        world.api().get("/api/v1/usage/decisions", world.token('lab-admin')).status == 400
    }

    def "another institution's admin gets exactly what a missing instrument answers, and sees none of A's decisions"() {
        given: 'a decision of A'
        def d = decision()
        send(d)
        assert stored(d.requestId as String).size() == 1

        when:
        def report = IsolationProbe.against(world.api().base, ['Authorization': "Bearer ${world.token('b-admin')}".toString()])
                .listing('GET', '/api/v1/usage/decisions?instrument={id}')
                .run([instrumentId()], [d.requestId as String], { stored(d.requestId as String, 0).size() })

        then:
        report.probesMade() > 0
        report.leaks() == []
        !report.dataOfOwnerChanged()
    }

    def "decisions produced while PostgreSQL is stopped reach access_decision once it is back"() {
        given:
        def d = decision(decision: 'deny', reason: 'not_authorised', sessionId: null)
        def postgres = SharedDevStack.get().postgres()

        when:
        postgres.stop()
        send(d)
        Thread.sleep(2_000)
        postgres.start()

        then:
        stored(d.requestId as String, 90_000).size() == 1

        cleanup:
        postgres.start()
    }

    def "a record that is not a decision is dead-lettered and the stream goes on"() {
        given:
        long before = consumer.deadLettered()
        def after = decision()

        when:
        producer.send(new ProducerRecord(KernelTopics.ACCESS_DECISIONS, 'x', '{"requestId":"not-a-uuid"}')).get()
        send(after)

        then:
        stored(after.requestId as String).size() == 1
        consumer.deadLettered() == before + 1
    }
}
