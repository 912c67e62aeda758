package org.labcommons.iot.device

import com.hivemq.client.mqtt.MqttGlobalPublishFilter
import com.hivemq.client.mqtt.datatypes.MqttQos
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client
import groovy.json.JsonOutput
import org.labcommons.devstack.mqtt.EmbeddedMqttBroker
import org.labcommons.devstack.mqtt.MqttGrant
import org.labcommons.devstack.mqtt.StaticMqttAccessPolicy
import org.labcommons.iot.protocol.EnvelopeReader
import org.labcommons.iot.protocol.Signatures
import org.labcommons.iot.protocol.Topic
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir
import spock.util.concurrent.PollingConditions

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.time.Instant
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.TimeUnit

/**
 * The reference device against the real broker (dev-stack's embedded HiveMQ CE, which enforces the
 * device's grant): what it publishes is read back by a platform-side subscriber and checked with
 * the protocol's own reader and the device's registered key.
 */
class ReferenceDeviceSpec extends Specification {
    static final UUID TENANT = UUID.fromString('0190f2a4-7c00-7000-8000-0000000000aa')
    @Shared @TempDir Path brokerDir
    @Shared StaticMqttAccessPolicy policy = new StaticMqttAccessPolicy()
    @Shared EmbeddedMqttBroker broker
    @Shared Mqtt5AsyncClient platform
    @Shared List<Received> received = new CopyOnWriteArrayList<>()

    /** A message the platform side received (printed short in failures). */
    static class Received {
        Topic topic
        byte[] payload
        boolean retain

        String toString() { "$topic ${new String(payload, 'UTF-8')}" }
    }
    @TempDir Path dir
    EnvelopeReader reader = new EnvelopeReader()
    PollingConditions within = new PollingConditions(timeout: 30, delay: 0.1)
    List<ReferenceDevice> devices = []

    def setupSpec() {
        policy.account('platform', 'platform-secret',
                new MqttGrant('platform', ['lc/v1/+/+/down/#'], ['lc/v1/+/+/up/#']))
        broker = new EmbeddedMqttBroker(brokerDir, 0, false, policy, 'labcommons-bridge', 'unused')
        broker.start()
        platform = Mqtt5Client.builder().identifier('platform-' + UUID.randomUUID()).serverHost('127.0.0.1')
                .serverPort(broker.port()).buildAsync()
        platform.publishes(MqttGlobalPublishFilter.SUBSCRIBED) { p ->
            received << new Received(topic: Topic.parse(p.topic.toString()).orElseThrow(), payload: p.payloadAsBytes, retain: p.retain)
        }
        platform.connectWith().simpleAuth().username('platform').password('platform-secret'.bytes).applySimpleAuth()
                .send().get(30, TimeUnit.SECONDS)
        platform.subscribeWith().topicFilter('lc/v1/+/+/up/#').qos(MqttQos.AT_LEAST_ONCE).retainAsPublished(true).send().get(30, TimeUnit.SECONDS)
    }

    def cleanupSpec() {
        platform?.disconnect()?.get(5, TimeUnit.SECONDS)
        broker?.close()
    }

    def cleanup() {
        devices*.close()
    }

    /** A device account on the broker and its config file, as provisioning hands it out. */
    Path provision(String kind = 'power_interlock') {
        UUID id = UUID.randomUUID()
        String secret = 'secret-' + id
        policy.account(id.toString(), secret, new MqttGrant(id.toString(), [Topic.uplinkFilter(TENANT, id)],
                [Topic.downlinkFilter(TENANT, id)]))
        Path file = dir.resolve("device-${id}.json")
        Files.writeString(file, JsonOutput.toJson([protocol: 'LC-IC/1', brokerUrl: broker.url(), tenantId: TENANT.toString(),
                deviceId: id.toString(), kind: kind, username: id.toString(), clientId: id.toString(), password: secret,
                topicPrefix: "lc/v1/$TENANT/$id/".toString(), keys: [algorithm: 'Ed25519', publicKey: '', privateKey: '']]))
        file
    }

    ReferenceDevice open(Path config) {
        def device = ReferenceDevice.open(config, ReferenceDevice.Options.defaults())
        devices << device
        device
    }

    /** What the platform received from a device, read by the protocol's reader. */
    List<EnvelopeReader.Ok> from(UUID deviceId, String channel = null) {
        received.findAll { it.topic.deviceId() == deviceId && (channel == null || it.topic.channel() == channel) }
                .collect { reader.read(it.topic.channel(), it.payload) as EnvelopeReader.Ok }
    }

    def "a device connects, publishes its signed birth (retained) and its events; every signature verifies with its registered key"() {
        given:
        def config = provision()
        def device = open(config)
        byte[] registered = Signatures.fromBase64url(device.publicKeyText())   // what the admin registers

        when:
        def live = device.connect(Duration.ofSeconds(30))
        def acked = device.event('card.swipe', [cardId: '04A1B2C3D4']).get(10, TimeUnit.SECONDS)

        then:
        live
        acked
        Files.exists(DeviceConfigFile.read(config).keyFile())
        Signatures.rawPublicKey(Signatures.fromPem(Files.readString(DeviceConfigFile.read(config).keyFile()))) == registered
        within.eventually {
            assert from(device.deviceId(), 'event').size() == 1
        }
        def birth = from(device.deviceId(), 'state')[0]
        birth.envelope().type() == 'state'
        birth.envelope().bodyJson().contains('"cause":"connect"')
        received.find { it.topic.deviceId() == device.deviceId() && it.topic.channel() == 'state' }.retain
        def event = from(device.deviceId(), 'event')[0]
        event.envelope().seq() == birth.envelope().seq() + 1
        event.envelope().bootId() == device.bootId()
        [birth, event].every { Signatures.verify(registered, it.signedBytes(), Signatures.fromBase64url(it.envelope().sig())) }
        !Signatures.verify(Signatures.rawPublicKey(Signatures.newKeyPair().public), event.signedBytes(),
                Signatures.fromBase64url(event.envelope().sig()))
    }

    def "seq survives a restart: the state file carries it, the new boot has a new bootId"() {
        given:
        def config = provision()
        def first = open(config)
        first.connect(Duration.ofSeconds(30))
        3.times { first.event('pc.login', [user: "u$it"]).get(10, TimeUnit.SECONDS) }
        long lastBeforeRestart = first.lastSeq()
        UUID firstBoot = first.bootId()
        first.close()

        when:
        def second = open(config)
        second.connect(Duration.ofSeconds(30))
        second.event('pc.logout', [user: 'u2']).get(10, TimeUnit.SECONDS)

        then:
        second.bootId() != firstBoot
        second.lastSeq() > lastBeforeRestart
        within.eventually {
            assert from(second.deviceId(), 'event').size() == 4
        }
        def seqs = from(second.deviceId()).findAll { !it.envelope().bodyJson().contains('"cause":"will"') }
                .collect { it.envelope().seq() }
        seqs == seqs.toSorted()
        seqs.toSet().size() == seqs.size()           // no number used twice across the restart
        Files.readString(DeviceConfigFile.read(config).stateFile()).contains("reserved=${second.lastSeq()}")
    }

    def "numbers are reserved in blocks, and a clean stop gives the unused rest back: the next boot continues without a hole"() {
        given:
        def config = provision()
        def first = ReferenceDevice.open(config, ReferenceDevice.Options.defaults().withSeqBlock(1000))
        first.connect(Duration.ofSeconds(30))
        first.event('pc.login', [user: 'a']).get(10, TimeUnit.SECONDS)

        expect: 'the state file holds the whole block while the device runs'
        Files.readString(DeviceConfigFile.read(config).stateFile()).contains('reserved=1000')

        when:
        first.close()
        long last = first.lastSeq()
        def second = open(config)
        second.connect(Duration.ofSeconds(30))

        then:
        Files.readString(DeviceConfigFile.read(config).stateFile()).contains("reserved=${last + 1}")
        within.eventually {
            assert from(second.deviceId(), 'state').any { it.envelope().bootId() == second.bootId() }
        }
        from(second.deviceId(), 'state').find { it.envelope().bootId() == second.bootId() }.envelope().seq() == last + 1
    }

    def "offline messages are buffered in a file and replayed after the birth, historical and in seq order"() {
        given: 'a device that has not reached the broker yet'
        def config = provision()
        def device = open(config)
        5.times { device.event('card.swipe', [cardId: "CARD$it"]) }
        device.telemetry(120.5, 1000)

        expect:
        device.bufferedNow() == 6
        Files.readAllLines(DeviceConfigFile.read(config).bufferFile()).size() == 6

        when:
        device.connect(Duration.ofSeconds(30))

        then:
        within.eventually {
            assert from(device.deviceId(), 'event').size() == 5
            assert from(device.deviceId(), 'telemetry').size() == 1
        }
        def replayed = from(device.deviceId()).findAll { it.envelope().historical() }
        replayed*.envelope()*.seq() == (1L..6L).toList()
        from(device.deviceId(), 'event').every {
            it.envelope().historical() &&
                    Signatures.verify(device.publicKey(), it.signedBytes(), Signatures.fromBase64url(it.envelope().sig()))
        }
        from(device.deviceId(), 'event')*.envelope()*.bodyJson() == (0..4).collect { "{\"cardId\":\"CARD$it\"}".toString() }
        !Files.exists(DeviceConfigFile.read(config).bufferFile())
        device.counters().replayed.get() == 6
        device.isLive()

        when: 'new messages go straight out again'
        device.event('door.open', [cause: 'button']).get(10, TimeUnit.SECONDS)

        then:
        within.eventually {
            assert from(device.deviceId(), 'event').any { !it.envelope().historical() && it.envelope().type() == 'door.open' }
        }
    }

    def "down/cmd is answered on up/cmd/res: unlock moves the relay, an expired command is not acted on"() {
        given:
        def device = open(provision())
        device.connect(Duration.ofSeconds(30))
        def unlock = UUID.randomUUID().toString()
        def stale = UUID.randomUUID().toString()
        def cmdTopic = Topic.down(TENANT, device.deviceId(), 'cmd').toString()

        when:
        platform.publishWith().topic(cmdTopic).qos(MqttQos.AT_LEAST_ONCE).payload(JsonOutput.toJson([v: 'LC-IC/1', cmdId: unlock,
                issuedAt: Instant.now().toString(), type: 'unlock', body: [user: 'zhang.wei']]).bytes).send().get(10, TimeUnit.SECONDS)
        platform.publishWith().topic(cmdTopic).qos(MqttQos.AT_LEAST_ONCE).payload(JsonOutput.toJson([v: 'LC-IC/1', cmdId: stale,
                issuedAt: '2026-01-01T00:00:00Z', expiresAt: '2026-01-01T00:05:00Z', type: 'lock', body: [:]]).bytes).send().get(10, TimeUnit.SECONDS)

        then:
        within.eventually {
            assert from(device.deviceId(), 'cmd/res').size() == 2
        }
        def results = from(device.deviceId(), 'cmd/res')*.envelope()*.bodyJson()
        results.contains("{\"cmdId\":\"$unlock\",\"status\":\"ok\"}".toString())
        results.any { it.contains(stale) && it.contains('"status":"expired"') }
        device.relayOn()
        from(device.deviceId(), 'event').any { it.envelope().type() == 'relay.state' && it.envelope().bodyJson().contains(unlock) }
    }

    def "a simulated fleet sends at its rate, mixing telemetry and events; every message is acknowledged and each device's seqs are contiguous"() {
        given:
        def configs = (1..3).collect { provision() }
        def fleet = SimulatedFleet.open(configs, ReferenceDevice.Options.defaults().withSeqBlock(1000).withForceBuffer(false), 0.3)

        when:
        def live = fleet.connect(Duration.ofSeconds(30))
        long before = fleet.published()
        fleet.start(200, 2)
        Thread.sleep(2000)
        fleet.stop()
        fleet.drain(Duration.ofSeconds(20))
        long sent = fleet.published() - before

        then:
        live == 3
        sent >= 200                                   // 2 s at 200/s, with slack for a loaded machine
        fleet.acknowledged() == fleet.published()
        fleet.failed() == 0
        within.eventually {
            assert fleet.devices().sum { from(it.deviceId()).size() } == fleet.published()
        }
        fleet.devices().every { d ->
            def seqs = from(d.deviceId()).collect { it.envelope().seq() }
            seqs == (seqs[0]..seqs[-1]).toList() && from(d.deviceId(), 'event').every { it.envelope().sig() != null }
        }
        fleet.devices().any { from(it.deviceId(), 'event').size() > 0 }
        fleet.devices().every { from(it.deviceId(), 'telemetry').size() > 0 }

        cleanup:
        fleet?.close()
    }
}
