package org.labcommons.iot.interlock

import com.hivemq.client.mqtt.datatypes.MqttQos
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client
import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import jakarta.inject.Inject
import org.apache.kafka.clients.producer.KafkaProducer
import org.apache.kafka.clients.producer.ProducerRecord
import org.apache.kafka.common.serialization.ByteArraySerializer
import org.apache.kafka.common.serialization.StringSerializer
import org.labcommons.core.audit.AuditEntry
import org.labcommons.core.events.KernelTopics
import org.labcommons.core.tenancy.TenantId
import org.labcommons.devstack.SharedDevStack
import org.labcommons.iot.devices.DeviceRegistry
import org.labcommons.iot.devices.NewDevice
import org.labcommons.iot.ingest.KafkaTail
import org.labcommons.iot.ingest.SpecDevice
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared
import spock.lang.Stepwise

import java.nio.charset.StandardCharsets
import java.time.Duration
import java.time.Instant
import java.util.concurrent.TimeUnit

import static java.time.Duration.ofMinutes

/**
 * The interlock of the shared context against the real broker, Kafka and PostgreSQL: a controller (a device of the
 * registry, connected with its own credentials) sends {@code up/auth/req}; the grant records are written straight to
 * access.grants.v1 (as the usage module's publisher writes them); the answer arrives on {@code down/auth/res} and the
 * decision on access.decisions.v1.
 */
@Stepwise
class InterlockSpec extends PlatformSpec {
    @Inject DeviceRegistry registry
    @Inject GrantView view
    @Inject InterlockResponder responder

    @Shared UUID tenant
    @Shared UUID instrument = UUID.randomUUID()
    @Shared SpecDevice device
    @Shared Mqtt5BlockingClient mqtt
    @Shared Mqtt5BlockingClient.Mqtt5Publishes answers
    @Shared KafkaProducer<String, byte[]> grants
    @Shared KafkaTail decisions
    @Shared UUID alice = UUID.randomUUID()
    @Shared UUID bob = UUID.randomUUID()
    @Shared UUID carol = UUID.randomUUID()

    def setupSpec() {
        def bootstrap = SharedDevStack.get().properties()['labcommons.kafka.bootstrap']
        grants = new KafkaProducer<>(['bootstrap.servers': bootstrap, 'acks': 'all', 'key.serializer': StringSerializer.name,
                                      'value.serializer': ByteArraySerializer.name])
    }

    def setup() {
        if (device != null) {
            return
        }
        tenant = TenantWorld.build(ctx) { institution('interlock-a') }.tenant('interlock-a').id
        device = new SpecDevice(tenant)
        def made = registry.create(new TenantId(tenant), AuditEntry.Actor.SYSTEM, null,
                new NewDevice('card_reader', 'interlock reader', instrument, null, device.publicKey(), false))
        device.deviceId = made.device().id()
        waitFor('the responder connected') { responder.connected() }
        assert view.awaitReady(Duration.ofSeconds(60))
        decisions = new KafkaTail(SharedDevStack.get().properties()['labcommons.kafka.bootstrap'], [KernelTopics.ACCESS_DECISIONS])
        mqtt = Mqtt5Client.builder().identifier(device.deviceId.toString()).serverHost('127.0.0.1')
                .serverPort(SharedDevStack.get().mqtt().port())
                .simpleAuth().username(device.deviceId.toString()).password(made.secret().getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().buildBlocking()
        answers = mqtt.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)
        mqtt.connect()
        mqtt.subscribeWith().topicFilter("lc/v1/${tenant}/${device.deviceId}/down/#").qos(MqttQos.AT_LEAST_ONCE).send()
        ['ALICE': alice, 'BOB': bob, 'CAROL': carol].each { name, id ->
            grant("$tenant/credential/card/${name}1", [kind: 'credential', tenantId: "$tenant", credentialKind: 'card',
                                                      value: "${name}1", userId: "$id", validUntil: "${Instant.now().plusSeconds(86400)}"])
        }
        waitFor('the cards in the view') { ['ALICE1', 'BOB1', 'CAROL1'].every { view.userOf(tenant, 'card', it).present } }
        assert view.credentialsOf(tenant, alice) == ['ALICE1']   // reversed for the offline caches
        assert view.credentialsOf(tenant, UUID.randomUUID()) == []
    }

    def cleanupSpec() {
        answers?.close()
        try { mqtt?.disconnect() } catch (ignored) { }
        decisions?.close()
        grants?.close()
    }

    /** Writes a grant record and waits until the view holds it. */
    long grant(String key, Map value) {
        grants.send(new ProducerRecord(KernelTopics.ACCESS_GRANTS, key, value == null ? null : JsonOutput.toJson(value).getBytes(StandardCharsets.UTF_8))).get()
        long applied = view.applied()
        if (value?.kind == 'instrument') {
            waitFor("version ${value.version} in the view") { view.instrument(tenant, instrument).map { it.version() == value.version }.orElse(false) }
        }
        applied
    }

    static long version = System.currentTimeMillis()

    Map instrumentRecord(Map over = [:]) {
        def now = Instant.now()
        [kind: 'instrument', tenantId: "$tenant", instrumentId: "$instrument", version: ++version, generatedAt: "$now",
         validUntil: "${now.plusSeconds(172800)}", tenantActive: true, instrumentStatus: 'in_service', customsSupervised: false,
         policy: [walkUp: false, failMode: 'closed', earlyGraceMin: 15, endGraceMin: 10, warnBeforeMin: 10],
         authorised: ["$alice", "$bob", "$carol"], bookings: [], blocks: [], blockedUsers: [], overrides: []] + over
    }

    static Map booking(UUID user, Instant start, Instant end, UUID userTenant) {
        [bookingId: "${UUID.randomUUID()}", userId: "$user", userTenantId: "$userTenant", start: "$start", end: "$end", status: 'approved']
    }

    /** Sends an access request and answers [answer JSON, ms from publish to receipt]. */
    List ask(String card, String method = 'card') {
        def requestId = UUID.randomUUID().toString()
        def msg = device.message('auth.request', [requestId: requestId, method: method, credential: card, purpose: 'use'])
        long t0 = System.nanoTime()
        mqtt.publishWith().topic(device.topic('auth/req')).qos(MqttQos.AT_LEAST_ONCE).payload(msg.payload).send()
        long deadline = System.currentTimeMillis() + 15_000
        while (System.currentTimeMillis() < deadline) {
            def p = answers.receive(500, TimeUnit.MILLISECONDS)
            if (p.present) {
                def answer = new JsonSlurper().parse(p.get().payloadAsBytes) as Map
                if (answer.requestId == requestId) {
                    assert p.get().topic.toString() == "lc/v1/${tenant}/${device.deviceId}/down/auth/res"
                    return [answer, (System.nanoTime() - t0) / 1_000_000d]
                }
            }
        }
        throw new AssertionError("no answer to request ${requestId}")
    }

    Map decided(String requestId) {
        def r = decisions.await(1, 30_000) { new JsonSlurper().parse(it.value()).requestId == requestId }[0]
        assert r.key() == device.deviceId.toString()
        new JsonSlurper().parse(r.value()) as Map
    }

    def "a card opens the instrument during the holder's booking, and is refused during someone else's and without a booking"() {
        given:
        def now = Instant.now()
        def end = now.plus(ofMinutes(40)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
        def record = instrumentRecord(bookings: [booking(alice, now.minus(ofMinutes(20)), end, tenant)])
        grant("$tenant/instrument/$instrument", record)

        when:
        def (Map own) = ask('ALICE1')
        def (Map other) = ask('BOB1')
        def (Map none) = ask('CAROL1')

        then: 'Alice is let in until her booking ends, with a fresh session id'
        own.v == 'LC-IC/1'
        own.decision == 'allow'
        Instant.parse(own.until) == end
        own.sessionId ==~ /[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/
        own.message

        and: 'Bob (authorised) is refused while Alice books it: booked_by_other'
        other.decision == 'deny'
        other.reason == 'booked_by_other'
        other.sessionId == null

        when: 'the booking is over'
        grant("$tenant/instrument/$instrument", instrumentRecord(bookings: [booking(alice, now.minus(ofMinutes(90)), now.minus(ofMinutes(1)), tenant)]))
        def (Map after) = ask('ALICE1')

        then:
        after.decision == 'deny'
        after.reason == 'no_booking'

        and: 'each decision is logged on access.decisions.v1, keyed by the device'
        Map logged = decided(own.requestId as String)
        logged.tenantId == tenant.toString() && logged.deviceId == device.deviceId.toString()
        logged.instrumentId == instrument.toString() && logged.userId == alice.toString()
        logged.decision == 'allow' && logged.reason == 'own_booking' && logged.sessionId == own.sessionId
        logged.bookingId == record.bookings[0].bookingId.toString() && logged.viewVersion == record.version
        logged.method == 'card' && logged.purpose == 'use'
        decided(other.requestId).reason == 'booked_by_other'
        decided(none.requestId).reason == 'booked_by_other'
        decided(after.requestId).reason == 'no_booking'
    }

    def "walk-up: an authorised person is let in when the calendar is free and the instrument allows it"() {
        given:
        def now = Instant.now()
        grant("$tenant/instrument/$instrument", instrumentRecord(policy: [walkUp: true, earlyGraceMin: 15],
                bookings: [booking(bob, now.plus(ofMinutes(50)), now.plus(ofMinutes(90)), tenant)]))

        when:
        def (Map walk) = ask('CAROL1')

        then: 'until the next booking starts'
        walk.decision == 'allow'
        Instant.parse(walk.until) == Instant.parse(instrumentRecordBookingStart())
        decided(walk.requestId).reason == 'walk_up'
    }

    private String instrumentRecordBookingStart() {
        view.instrument(tenant, instrument).get().bookings()[0].start().toString()
    }

    def "an unknown card is refused: unknown_credential"() {
        when:
        def (Map answer) = ask('NOBODY-00')

        then:
        answer.decision == 'deny'
        answer.reason == 'unknown_credential'
        decided(answer.requestId).userId == null
    }

    def "a suspended tenant's controllers refuse everyone: tenant_inactive"() {
        given:
        grant("$tenant/instrument/$instrument", instrumentRecord(policy: [walkUp: true, earlyGraceMin: 15]))
        grants.send(new ProducerRecord(KernelTopics.ACCESS_GRANTS, "$tenant/tenant".toString(),
                JsonOutput.toJson([kind: 'tenant', tenantId: "$tenant", active: false, version: ++version]).bytes)).get()
        waitFor('the tenant suspended in the view') { !view.tenantActive(tenant) }

        when:
        def (Map answer) = ask('ALICE1')

        then:
        answer.decision == 'deny'
        answer.reason == 'tenant_inactive'

        cleanup:
        grants.send(new ProducerRecord(KernelTopics.ACCESS_GRANTS, "$tenant/tenant".toString(),
                JsonOutput.toJson([kind: 'tenant', tenantId: "$tenant", active: true, version: ++version]).bytes)).get()
        waitFor('the tenant active again') { view.tenantActive(tenant) }
    }

    def "decisions keep coming while PostgreSQL is stopped"() {
        given: 'the device known to the responder'
        def now = Instant.now()
        grant("$tenant/instrument/$instrument", instrumentRecord(bookings: [booking(alice, now.minus(ofMinutes(5)), now.plus(ofMinutes(30)), tenant)]))
        assert ask('ALICE1')[0].decision == 'allow'
        def postgres = SharedDevStack.get().postgres()

        when:
        postgres.stop()
        def during = (1..3).collect { ask(it % 2 ? 'ALICE1' : 'BOB1')[0] }

        then:
        during*.decision == ['allow', 'deny', 'allow']
        during[1].reason == 'booked_by_other'
        during.every { decided(it.requestId as String) }

        cleanup:
        postgres.start()
    }

    def "a revoked authorisation changes the next decision within the grant topic's propagation time"() {
        given: 'walk-up for the authorised Carol'
        grant("$tenant/instrument/$instrument", instrumentRecord(policy: [walkUp: true, earlyGraceMin: 15]))
        assert ask('CAROL1')[0].decision == 'allow'

        when: 'a new record without her authorisation is produced, and she asks until the answer changes'
        def revoked = instrumentRecord(policy: [walkUp: true, earlyGraceMin: 15], authorised: ["$alice", "$bob"])
        long produced = System.nanoTime()
        grants.send(new ProducerRecord(KernelTopics.ACCESS_GRANTS, "$tenant/instrument/$instrument".toString(),
                JsonOutput.toJson(revoked).getBytes(StandardCharsets.UTF_8))).get()
        Map answer = null
        long deadline = System.currentTimeMillis() + 30_000
        while (System.currentTimeMillis() < deadline) {
            answer = ask('CAROL1')[0] as Map
            if (answer.decision == 'deny') {
                break
            }
        }
        double ms = (System.nanoTime() - produced) / 1_000_000d
        println "interlock: authorisation revoked -> changed decision in ${String.format('%.1f', ms)} ms (record produced to deny received)"

        then:
        answer.reason == 'not_authorised'
        ms < 30_000
    }

    private static void waitFor(String what, long timeoutMs = 60_000, Closure<Boolean> condition) {
        long deadline = System.currentTimeMillis() + timeoutMs
        while (!condition()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting until ${what}")
            }
            Thread.sleep(50)
        }
    }
}
