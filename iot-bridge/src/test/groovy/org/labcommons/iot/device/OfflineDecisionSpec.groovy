package org.labcommons.iot.device

import com.hivemq.client.mqtt.MqttGlobalPublishFilter
import com.hivemq.client.mqtt.datatypes.MqttQos
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client
import groovy.json.JsonOutput
import org.labcommons.devstack.mqtt.EmbeddedMqttBroker
import org.labcommons.devstack.mqtt.MqttGrant
import org.labcommons.devstack.mqtt.StaticMqttAccessPolicy
import org.labcommons.iot.interlock.DownCommand
import org.labcommons.iot.interlock.DownlinkSender
import org.labcommons.iot.interlock.GrantCache
import org.labcommons.iot.interlock.InterlockKey
import org.labcommons.iot.protocol.EnvelopeReader
import org.labcommons.iot.protocol.Signatures
import org.labcommons.iot.protocol.Topic
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.util.concurrent.PollingConditions

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.time.Instant
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.TimeUnit

/**
 * The reference device deciding without the platform (LC-IC/1 §9 fallback) on the real broker: the platform's
 * signed cache reaches it on down/cmd; nobody answers its access requests (no interlock responder here), so after
 * the answer timeout it decides from the cache, or by the cache's fail mode, and reports it with signed events.
 */
@Tag('integration')
class OfflineDecisionSpec extends Specification {
    static final UUID TENANT = UUID.randomUUID()
    @Shared @TempDir Path brokerDir
    @Shared StaticMqttAccessPolicy policy = new StaticMqttAccessPolicy()
    @Shared EmbeddedMqttBroker broker
    @Shared Mqtt5AsyncClient platform
    @Shared DownlinkSender sender
    @Shared InterlockKey key = new InterlockKey('')
    @Shared List<Map> received = new CopyOnWriteArrayList<>()
    @TempDir Path dir
    PollingConditions within = new PollingConditions(timeout: 20, delay: 0.05)
    List<ReferenceDevice> devices = []

    def setupSpec() {
        policy.account('bridge', 'bridge-secret', new MqttGrant('bridge', ['lc/v1/+/+/down/#'], ['lc/v1/+/+/up/#']))
        broker = new EmbeddedMqttBroker(brokerDir, 0, false, policy, 'labcommons-bridge', 'unused')
        broker.start()
        platform = Mqtt5Client.builder().identifier('platform-' + UUID.randomUUID()).serverHost('127.0.0.1')
                .serverPort(broker.port()).buildAsync()
        platform.publishes(MqttGlobalPublishFilter.SUBSCRIBED) { p ->
            received << [topic: Topic.parse(p.topic.toString()).orElseThrow(), payload: p.payloadAsBytes]
        }
        platform.connectWith().simpleAuth().username('bridge').password('bridge-secret'.bytes).applySimpleAuth()
                .send().get(30, TimeUnit.SECONDS)
        platform.subscribeWith().topicFilter('lc/v1/+/+/up/#').qos(MqttQos.AT_LEAST_ONCE).send().get(30, TimeUnit.SECONDS)
        sender = new DownlinkSender(URI.create(broker.url()), 'bridge', 'bridge-secret', 'offline-spec')
        sender.open().get(30, TimeUnit.SECONDS)
        new PollingConditions(timeout: 30).eventually { assert sender.connected() }
    }

    def cleanupSpec() {
        sender?.close()
        platform?.disconnect()?.get(5, TimeUnit.SECONDS)
        broker?.close()
    }

    def cleanup() {
        devices*.close()
    }

    /** A device account and config file carrying the platform's key, as provisioning hands it out. */
    Path provision() {
        UUID id = UUID.randomUUID()
        String secret = 'secret-' + id
        policy.account(id.toString(), secret, new MqttGrant(id.toString(), [Topic.uplinkFilter(TENANT, id)],
                [Topic.downlinkFilter(TENANT, id)]))
        Path file = dir.resolve("device-${id}.json")
        Files.writeString(file, JsonOutput.toJson([protocol: 'LC-IC/1', brokerUrl: broker.url(), tenantId: TENANT.toString(),
                deviceId: id.toString(), kind: 'power_interlock', username: id.toString(), clientId: id.toString(), password: secret,
                keys: [algorithm: 'Ed25519', publicKey: '', privateKey: '', platformKey: key.publicKeyText()]]))
        file
    }

    ReferenceDevice open(Path config) {
        def device = ReferenceDevice.open(config, ReferenceDevice.Options.defaults().withAnswerTimeout(Duration.ofMillis(700)))
        devices << device
        device
    }

    /** The platform sends a cache: Alice's card now until in two hours, with the given fail mode. */
    void sendCache(ReferenceDevice device, String failMode, InterlockKey signer = key) {
        Instant now = Instant.now()
        def entries = [new GrantCache.Entry(GrantCache.credentialHash(device.deviceId(), '04A1B2C3D4'), now.minusSeconds(600), now.plusSeconds(7200)),
                       new GrantCache.Entry(GrantCache.credentialHash(device.deviceId(), '04FUTURE'), now.plusSeconds(3600), now.plusSeconds(7200))]
        def body = GrantCache.signedBody(now.plusSeconds(48 * 3600), failMode, entries, signer)
        assert sender.send(TENANT, device.deviceId(), DownCommand.of('grants', body, now, now.plusSeconds(48 * 3600))).get(10, TimeUnit.SECONDS)
    }

    List<EnvelopeReader.Ok> events(UUID device, String type = null) {
        received.findAll { it.topic.deviceId() == device && it.topic.channel() == 'event' }
                .collect { new EnvelopeReader().read('event', it.payload) as EnvelopeReader.Ok }
                .findAll { type == null || it.envelope().type() == type }
    }

    List<String> cmdResults(UUID device) {
        received.findAll { it.topic.deviceId() == device && it.topic.channel() == 'cmd/res' }.collect { new String(it.payload, 'UTF-8') }
    }

    def "no answer: the cache allows the booked card (relay on, signed session.start) and refuses another card and one booked later"() {
        given:
        def device = open(provision())
        device.connect(Duration.ofSeconds(30))
        sendCache(device, 'closed')
        within.eventually { assert device.grants().present() }

        when:
        def booked = device.access('card', '04A1B2C3D4', 'use').get(10, TimeUnit.SECONDS)
        def stranger = device.access('card', '04EEEEEE', 'use').get(10, TimeUnit.SECONDS)
        def later = device.access('card', '04FUTURE', 'use').get(10, TimeUnit.SECONDS)

        then:
        booked.decision == 'allow' && booked.reason == 'offline_grant' && booked.offline
        device.relayOn()
        stranger.decision == 'deny' && stranger.reason == 'offline_no_grant'
        later.decision == 'deny'
        cmdResults(device.deviceId()).any { it.contains('"status":"ok"') }
        within.eventually {
            assert events(device.deviceId(), 'session.start').size() == 1
            assert events(device.deviceId(), 'card.swipe').size() == 2
        }
        def start = events(device.deviceId(), 'session.start')[0]
        start.envelope().bodyJson().contains(booked.sessionId as String)
        start.envelope().bodyJson().contains('04A1B2C3D4')
        Signatures.verify(device.publicKey(), start.signedBytes(), Signatures.fromBase64url(start.envelope().sig()))
        !start.envelope().historical()
    }

    def "fail-open allows a card with no entry; without any cache the device fails closed"() {
        given:
        def lenient = open(provision())
        def bare = open(provision())
        [lenient, bare]*.connect(Duration.ofSeconds(30))
        sendCache(lenient, "open")
        within.eventually { assert lenient.grants().present() }

        expect:
        with(lenient.access('card', '04EEEEEE', 'use').get(10, TimeUnit.SECONDS)) {
            it.decision == 'allow' && it.reason == 'offline_fail_open'
        }
        !bare.grants().present()
        with(bare.access('card', '04A1B2C3D4', 'use').get(10, TimeUnit.SECONDS)) {
            it.decision == 'deny' && it.reason == 'offline_no_grant'
        }
    }

    def "a cache signed by another key is rejected and not kept"() {
        given:
        def device = open(provision())
        device.connect(Duration.ofSeconds(30))

        when:
        sendCache(device, 'open', new InterlockKey(''))

        then:
        within.eventually { assert cmdResults(device.deviceId()).any { it.contains('"status":"rejected"') && it.contains('bad signature') } }
        !device.grants().present()
        device.access('card', '04EEEEEE', 'use').get(10, TimeUnit.SECONDS).decision == 'deny'
    }

    def "the cache survives a restart; decided while offline, the events replay later with historical: true"() {
        given: 'a device got its cache and stopped'
        def config = provision()
        def first = open(config)
        first.connect(Duration.ofSeconds(30))
        sendCache(first, 'closed')
        within.eventually { assert first.grants().present() }
        first.close()

        when: 'it starts without a network and the booked card is presented'
        def second = open(config)
        def answer = second.access('card', '04A1B2C3D4', 'use').get(10, TimeUnit.SECONDS)

        then:
        second.grants().present()
        answer.decision == 'allow'
        second.bufferedNow() >= 3   // auth.request, relay.state, session.start

        when: 'the network comes back'
        second.connect(Duration.ofSeconds(30))

        then:
        within.eventually { assert events(second.deviceId(), 'session.start').size() == 1 }
        events(second.deviceId(), 'session.start')[0].envelope().historical()
        events(second.deviceId(), 'relay.state').every { it.envelope().historical() }
    }
}
