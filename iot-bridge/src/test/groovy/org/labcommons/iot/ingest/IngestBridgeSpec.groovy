package org.labcommons.iot.ingest

import com.hivemq.client.mqtt.MqttClientState
import com.hivemq.client.mqtt.datatypes.MqttQos
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client
import jakarta.inject.Inject
import org.apache.kafka.clients.consumer.ConsumerRecord
import org.labcommons.core.audit.AuditEntry
import org.labcommons.core.tenancy.TenantId
import org.labcommons.devstack.SharedDevStack
import org.labcommons.devstack.mqtt.MqttAccessPolicy
import org.labcommons.devstack.mqtt.MqttGrant
import org.labcommons.devstack.mqtt.StaticMqttAccessPolicy
import org.labcommons.iot.devices.DeviceRegistry
import org.labcommons.iot.devices.NewDevice
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.charset.StandardCharsets
import java.time.Instant

import static org.labcommons.iot.ingest.KafkaTail.eventId
import static org.labcommons.iot.ingest.KafkaTail.header

/**
 * The bridge of the shared context (real broker, Kafka and database; devices provisioned through the
 * registry): what reaches Kafka, with which key and headers; every dead-letter reason; anomalies; device
 * activity; the PUBACK only after Kafka's acknowledgement; and two bridges in one share group. Messages are
 * published by a raw MQTT account this specification adds to the broker's policy (publish on every topic),
 * so topics a device's own ACL would refuse (another tenant's) reach the bridge too.
 */
class IngestBridgeSpec extends PlatformSpec {
    static final String RAW_USER = 'ingest-spec-raw'
    static final String RAW_PASSWORD = UUID.randomUUID().toString()

    @Inject IngestService ingest
    @Inject DeviceRegistry registry

    @Shared KafkaTail tail
    @Shared Mqtt5BlockingClient raw
    @Shared MqttAccessPolicy previousPolicy
    @Shared UUID tenantA
    @Shared UUID tenantB
    @Shared SpecDevice good
    @Shared SpecDevice keyless
    /** A power meter of an instrument (the other devices are room devices, without one). */
    @Shared SpecDevice metered
    @Shared UUID meteredInstrument
    @Shared SpecDevice revoked

    def setup() {
        if (tail != null) {
            tail.seen.clear()   // each feature looks only at what arrives from now on
            return
        }
        def world = TenantWorld.build(ctx) { institution('ingest-a'); institution('ingest-b') }
        tenantA = world.tenant('ingest-a').id
        tenantB = world.tenant('ingest-b').id
        good = provision(tenantA, 'good', true)
        keyless = provision(tenantA, 'keyless', false)
        meteredInstrument = UUID.randomUUID()   // iot-bridge's schema has no catalogue: any id is an instrument here
        metered = provision(tenantA, 'metered', true, meteredInstrument)
        revoked = provision(tenantA, 'revoked', true)
        registry.revoke(new TenantId(tenantA), AuditEntry.Actor.SYSTEM, null, revoked.deviceId)
        installRawAccount()
        def bridge = ingest.bridge()
        waitFor('the bridge connected') { bridge.state() == MqttClientState.CONNECTED }
        tail = new KafkaTail(SharedDevStack.get().properties()['labcommons.kafka.bootstrap'])
        raw = Mqtt5Client.builder().identifier(RAW_USER + '-' + UUID.randomUUID()).serverHost('127.0.0.1')
                .serverPort(SharedDevStack.get().mqtt().port())
                .simpleAuth().username(RAW_USER).password(RAW_PASSWORD.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .buildBlocking()
        raw.connect()
        // the shared subscription follows the bridge's CONNACK: a first message shows it is in place
        def probe = good.telemetry()
        publish(good.topic('telemetry'), probe.payload)
        tail.await(1, 60_000, eventId(probe.eventId))
    }

    def cleanupSpec() {
        raw?.disconnect()
        tail?.close()
        def broker = SharedDevStack.get().mqtt()
        if (previousPolicy != null) {
            broker.setPolicy(previousPolicy)
        }
    }

    private SpecDevice provision(UUID tenant, String name, boolean withKey, UUID instrument = null) {
        def device = new SpecDevice(tenant)
        def made = registry.create(new TenantId(tenant), AuditEntry.Actor.SYSTEM, null,
                new NewDevice('power_interlock', "ingest-${name}", instrument, instrument ? null : 'room 101', withKey ? device.publicKey() : null, false))
        device.deviceId = made.device().id()
        device
    }

    /** The broker's policy plus an account that may publish anywhere (the other accounts as before). */
    private void installRawAccount() {
        def broker = SharedDevStack.get().mqtt()
        previousPolicy = broker.respondsTo('policy') ? broker.policy() : serviceAccountOnly()
        MqttAccessPolicy previous = previousPolicy
        def grant = new MqttGrant(RAW_USER, ['#'], [])
        broker.setPolicy([
                authenticate       : { String clientId, String username, byte[] password ->
                    username == RAW_USER && new String(password, StandardCharsets.UTF_8) == RAW_PASSWORD
                            ? Optional.of(grant) : previous.authenticate(clientId, username, password)
                },
                clientsToDisconnect: { Instant since -> previous.respondsTo('clientsToDisconnect') ? previous.clientsToDisconnect(since) : [] as Set },
        ] as MqttAccessPolicy)
    }

    /** The dev stack's own policy: the bridge's service account only. */
    private static MqttAccessPolicy serviceAccountOnly() {
        def p = SharedDevStack.get().properties()
        new StaticMqttAccessPolicy().account(p['labcommons.mqtt.user'], p['labcommons.mqtt.password'],
                new MqttGrant(p['labcommons.mqtt.user'], ['lc/v1/+/+/down/#'], ['#']))
    }

    private void publish(String topic, byte[] payload) {
        raw.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send()
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

    /** The value of a counter in /prometheus (0 when absent). */
    private double metric(String name, String label, String value) {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("${baseUrl}/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString())
        assert r.statusCode() == 200
        def line = r.body().readLines().find { it.startsWith(name + '{') && it.contains("${label}=\"${value}\"") }
        line == null ? 0d : (line.substring(line.lastIndexOf(' ') + 1) as double)
    }

    def "valid telemetry, events and state reach their topics keyed by device, with the payload unchanged and the headers"() {
        given:
        def sample = good.telemetry()
        def login = good.login()
        def state = good.state(true, '2.1.0')
        def meterSample = metered.telemetry()
        def meterLogin = metered.login()
        def received = Instant.now()

        when:
        publish(good.topic('telemetry'), sample.payload)
        publish(good.topic('event'), login.payload)
        publish(good.topic('state'), state.payload)
        publish(metered.topic('telemetry'), meterSample.payload)
        publish(metered.topic('event'), meterLogin.payload)
        ConsumerRecord t = tail.await(1, eventId(sample.eventId))[0]
        ConsumerRecord e = tail.await(1, eventId(login.eventId))[0]
        ConsumerRecord s = tail.await(1, eventId(state.eventId))[0]
        ConsumerRecord mt = tail.await(1, eventId(meterSample.eventId))[0]
        ConsumerRecord me = tail.await(1, eventId(meterLogin.eventId))[0]

        then:
        t.topic() == IotTopics.TELEMETRY
        e.topic() == IotTopics.EVENTS
        s.topic() == IotTopics.EVENTS
        [t, e, s]*.key() == [good.deviceId.toString()] * 3
        t.value() == sample.payload
        e.value() == login.payload
        s.value() == state.payload
        [t, e, s].collect { header(it, IngestHeaders.CHANNEL) } == ['telemetry', 'event', 'state']
        [t, e, s].every { header(it, IngestHeaders.TENANT) == tenantA.toString() && header(it, IngestHeaders.DEVICE) == good.deviceId.toString() }
        [t, e, s].every { !Instant.parse(header(it, IngestHeaders.RECEIVED_AT)).isBefore(received.minusSeconds(1)) }
        [t, e, s].every { Math.abs(header(it, IngestHeaders.SKEW_MS) as long) < 2000 && header(it, IngestHeaders.ANOMALY) == null }
        header(e, IngestHeaders.SEQ) == login.seq.toString()

        and: 'a device of an instrument names it (lc-instrument); a room device has none'
        mt.topic() == IotTopics.TELEMETRY && me.topic() == IotTopics.EVENTS
        [mt, me].every { header(it, IngestHeaders.INSTRUMENT) == meteredInstrument.toString() && header(it, IngestHeaders.DEVICE) == metered.deviceId.toString() }
        [t, e, s].every { header(it, IngestHeaders.INSTRUMENT) == null }
    }

    def "a bad message goes to the dead letters with its reason (#reason), is counted, and the stream goes on"() {
        given:
        def (String topic, byte[] payload) = bad.call(this)
        double before = metric('labcommons_iot_deadletter_total', 'reason', reason)
        def after = good.telemetry()

        when:
        publish(topic, payload)
        publish(good.topic('telemetry'), after.payload)
        def letter = tail.await(1) { ConsumerRecord r -> r.topic() == IotTopics.DEADLETTER && header(r, IngestHeaders.MQTT_TOPIC) == topic }[0]

        then:
        header(letter, IngestHeaders.REASON) == reason
        header(letter, IngestHeaders.DETAIL)
        letter.value() == payload
        header(letter, IngestHeaders.RECEIVED_AT)

        and: 'the next message of the stream arrives'
        tail.await(1, eventId(after.eventId))[0].topic() == IotTopics.TELEMETRY

        and:
        metric('labcommons_iot_deadletter_total', 'reason', reason) == before + 1

        where:
        reason              | bad
        'malformed_json'    | { s -> [s.good.topic('telemetry'), '{"v":"LC-IC/1","seq":'.getBytes(StandardCharsets.UTF_8)] }
        'oversize'          | { s -> [s.good.topic('telemetry'), ('{"pad":"' + 'x' * 70_000 + '"}').getBytes(StandardCharsets.UTF_8)] }
        'schema'            | { s -> [s.good.topic('telemetry'), s.good.message('power.sample', [watts: -1]).payload] }
        'unknown_device'    | { s -> [s.good.topic('telemetry', s.tenantA, UUID.randomUUID()), s.good.telemetry().payload] }
        'revoked_device'    | { s -> [s.revoked.topic('event'), s.revoked.login().payload] }
        'tenant_mismatch'   | { s -> [s.good.topic('event', s.tenantB), s.good.login().payload] }
        'bad_signature'     | { s -> [s.good.topic('event'), s.good.login(key: s.revoked.keys.private).payload] }
        'missing_signature' | { s -> [s.good.topic('event'), s.good.login(signed: false).payload] }
        'foreign_topic'     | { s -> ["lc/v1/${s.tenantA}/not-a-device/up/event".toString(), s.good.login().payload] }
    }

    def "a signed message of a device with no public key is a bad signature; its unsigned telemetry passes"() {
        given:
        def signed = keyless.login()
        def unsigned = keyless.telemetry()

        when:
        publish(keyless.topic('event'), signed.payload)
        publish(keyless.topic('telemetry'), unsigned.payload)

        then:
        header(tail.await(1) { r -> r.topic() == IotTopics.DEADLETTER && header(r, IngestHeaders.DEVICE) == keyless.deviceId.toString() }[0],
                IngestHeaders.REASON) == 'bad_signature'
        tail.await(1, eventId(unsigned.eventId))[0].topic() == IotTopics.TELEMETRY
    }

    def "duplicates, gaps and a clock 10 minutes off are flagged in headers, forwarded, and counted"() {
        given:
        def device = provision(tenantA, "anomalies-${UUID.randomUUID()}", true)
        def first = device.login()
        def gap = device.login(seq: first.seq + 4)
        def slow = device.login(deviceTime: Instant.now().minusSeconds(600))
        double duplicates = metric('labcommons_iot_anomalies_total', 'kind', 'duplicate')
        double gaps = metric('labcommons_iot_anomalies_total', 'kind', 'gap')
        double skews = metric('labcommons_iot_anomalies_total', 'kind', 'clock_skew')
        double events = metric('labcommons_iot_messages_total', 'channel', 'event')

        when:
        publish(device.topic('event'), first.payload)
        tail.await(1, eventId(first.eventId))
        publish(device.topic('event'), first.payload)
        publish(device.topic('event'), gap.payload)
        publish(device.topic('event'), slow.payload)
        def copies = tail.await(2, eventId(first.eventId))
        def gapped = tail.await(1, eventId(gap.eventId))[0]
        def skewed = tail.await(1, eventId(slow.eventId))[0]

        then: 'both copies are in Kafka; the second is marked (consumers de-duplicate on tenant, device and eventId)'
        copies*.value() == [first.payload, first.payload]
        copies.collect { header(it, IngestHeaders.ANOMALY) } == [null, 'duplicate']
        header(gapped, IngestHeaders.ANOMALY) == 'gap'
        header(skewed, IngestHeaders.ANOMALY) == 'clock_skew'
        Math.abs((header(skewed, IngestHeaders.SKEW_MS) as long) - 600_000) < 5_000
        Math.abs(Instant.parse(header(skewed, IngestHeaders.CORRECTED_TIME)).toEpochMilli()
                - Instant.parse(header(skewed, IngestHeaders.RECEIVED_AT)).toEpochMilli()) < 5
        metric('labcommons_iot_anomalies_total', 'kind', 'duplicate') == duplicates + 1
        metric('labcommons_iot_anomalies_total', 'kind', 'gap') == gaps + 1
        metric('labcommons_iot_anomalies_total', 'kind', 'clock_skew') == skews + 1
        metric('labcommons_iot_messages_total', 'channel', 'event') == events + 4
    }

    def "device activity is written coalesced: last seen, highest seq with its boot, firmware and online from state, last event"() {
        given:
        def device = provision(tenantA, "activity-${UUID.randomUUID()}", true)
        def state = device.state(true, '3.0.1')
        def samples = (1..5).collect { device.telemetry() }
        def login = device.login()

        when:
        publish(device.topic('state'), state.payload)
        samples.each { publish(device.topic('telemetry'), it.payload) }
        publish(device.topic('event'), login.payload)
        tail.await(1, eventId(login.eventId))
        ingest.bridge().flushActivity()
        def seen = registry.find(new TenantId(tenantA), device.deviceId).orElseThrow()

        then:
        seen.firmware() == '3.0.1'
        seen.online()
        seen.lastSeq() == login.seq
        seen.lastBootId() == device.bootId.toString()
        seen.lastEventType() == 'pc.login'
        seen.receivedCount() == 7
        seen.lastSeenAt() != null
    }

    def "two bridges in one share group both take messages, and every message arrives"() {
        given:
        def first = ingest.bridge()
        def second = ingest.newBridge("ingest-spec-second-${UUID.randomUUID()}").start()
        waitFor('the second bridge connected') { second.state() == MqttClientState.CONNECTED }
        Thread.sleep(500) // its subscriptions follow the CONNACKs
        long firstBefore = first.acknowledgedCount()
        def devices = (1..4).collect { provision(tenantA, "shared-${it}-${UUID.randomUUID()}", true) }
        List sent = []

        when: 'rounds of 20 messages (HiveMQ CE hands a member a whole batch of what is queued, so one round may go to one bridge)'
        int rounds = 0
        while (rounds < 3 || (rounds < 15 && (first.acknowledgedCount() == firstBefore || second.acknowledgedCount() == 0))) {
            def round = (1..20).collect { i -> def d = devices[i % 4]; [d, d.telemetry()] }
            round.each { d, m -> publish(d.topic('telemetry'), m.payload) }
            round.each { d, m -> tail.await(1, eventId(m.eventId)) }
            sent.addAll(round)
            rounds++
        }
        def arrived = sent.collect { d, m -> tail.await(1, eventId(m.eventId))[0] }

        then: 'both bridges acknowledged messages, and every message is in Kafka with its payload'
        first.acknowledgedCount() > firstBefore
        second.acknowledgedCount() > 0
        first.acknowledgedCount() - firstBefore + second.acknowledgedCount() >= sent.size()
        arrived.size() == sent.size()
        [sent, arrived].transpose().every { pair, record -> record.value() == pair[1].payload && record.topic() == IotTopics.TELEMETRY }

        cleanup:
        second?.stop()
    }

    def "no PUBACK before Kafka: messages the bridge dies with before sending them come again when it restarts"() {
        given:
        def bridge = ingest.bridge()
        def device = provision(tenantA, "crash-${UUID.randomUUID()}", true)
        def messages = (1..5).collect { device.telemetry() }
        bridge.setFaultHook { phase, topic ->
            if (phase == IngestBridge.Phase.BEFORE_SEND && topic.contains(device.deviceId.toString())) {
                throw new IngestBridge.Killed('crash before the Kafka send')
            }
        }

        when:
        messages.each { publish(device.topic('telemetry'), it.payload) }
        waitFor('the bridge died') { !bridge.running }

        then: 'none of them reached Kafka'
        tail.during(1_000) { r -> messages*.eventId*.toString().contains(header(r, IngestHeaders.EVENT_ID)) } == []

        when: 'the bridge starts again with the same client id: its session still holds what it had not acknowledged'
        bridge.setFaultHook(null)
        bridge.start()

        then:
        messages.every { m -> tail.await(1, eventId(m.eventId))[0].value() == m.payload }

        cleanup:
        bridge.setFaultHook(null)
        if (!bridge.running) {
            bridge.start()
        }
    }

    def "while Kafka refuses the records nothing is acknowledged; the bridge retries and everything arrives once Kafka takes them"() {
        given:
        def bridge = ingest.bridge()
        def device = provision(tenantA, "refused-${UUID.randomUUID()}", true)
        def messages = (1..3).collect { device.telemetry() }
        def refusing = new java.util.concurrent.atomic.AtomicBoolean(true)
        long acknowledged = bridge.acknowledgedCount()
        double retries = metric('labcommons_iot_retries_total', 'cause', 'kafka')
        bridge.setFaultHook { phase, topic ->
            if (refusing.get() && phase == IngestBridge.Phase.BEFORE_SEND && topic.contains(device.deviceId.toString())) {
                throw new org.apache.kafka.common.errors.TimeoutException('Kafka refuses (test)')
            }
        }

        when:
        messages.each { publish(device.topic('telemetry'), it.payload) }
        waitFor('the bridge retried') { metric('labcommons_iot_retries_total', 'cause', 'kafka') >= retries + 3 }

        then: 'what the bridge received is held, un-acknowledged (the broker holds back the rest of its batch), and not in Kafka'
        bridge.inFlight() >= 1
        bridge.acknowledgedCount() == acknowledged
        tail.during(500) { r -> messages*.eventId*.toString().contains(header(r, IngestHeaders.EVENT_ID)) } == []

        when:
        refusing.set(false)

        then:
        messages.every { m -> tail.await(1, eventId(m.eventId)).size() == 1 }
        waitFor('all acknowledged') { bridge.inFlight() == 0 }

        cleanup:
        bridge.setFaultHook(null)
    }

}
