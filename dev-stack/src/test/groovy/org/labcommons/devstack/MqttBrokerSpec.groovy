package org.labcommons.devstack

import com.hivemq.client.mqtt.datatypes.MqttQos
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode
import org.labcommons.devstack.mqtt.MqttAccessPolicy
import org.labcommons.devstack.mqtt.MqttGrant
import org.labcommons.devstack.mqtt.StaticMqttAccessPolicy
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Tag

import java.nio.charset.StandardCharsets
import java.util.concurrent.TimeUnit

@Tag('integration')
class MqttBrokerSpec extends Specification {

    @Shared DevStack stack = SharedDevStack.get()
    @Shared MqttAccessPolicy original

    def setupSpec() {
        // the service account of the stack plus one device confined to its own topic prefix
        def props = stack.properties()
        original = new StaticMqttAccessPolicy()
                .account(props['labcommons.mqtt.user'], props['labcommons.mqtt.password'],
                        new MqttGrant('bridge', ['labcommons/#'], ['#']))
                .account('device-nmr-400', 'd3v1ce-secret',
                        new MqttGrant('device-nmr-400', ['labcommons/v1/donghu/devices/nmr-400/#'],
                                ['labcommons/v1/donghu/devices/nmr-400/commands']))
        stack.mqtt().setPolicy(original)
    }

    private Mqtt5BlockingClient client(String id, String user, String password) {
        Mqtt5Client.builder().identifier(id).serverHost('127.0.0.1').serverPort(stack.mqtt().port())
                .simpleAuth().username(user).password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .buildBlocking()
    }

    def "a device publishes under its own prefix and the bridge receives it through a shared subscription"() {
        given:
        def props = stack.properties()
        def bridge = client('bridge-1', props['labcommons.mqtt.user'], props['labcommons.mqtt.password'])
        bridge.connect()
        def publishes = bridge.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)
        bridge.subscribeWith().topicFilter('$share/bridge/labcommons/v1/+/devices/+/usage').qos(MqttQos.AT_LEAST_ONCE).send()
        def device = client('nmr-400', 'device-nmr-400', 'd3v1ce-secret')
        device.connect()

        when:
        def ack = device.publishWith().topic('labcommons/v1/donghu/devices/nmr-400/usage')
                .qos(MqttQos.AT_LEAST_ONCE).payload('{"seq":1,"state":"on"}'.bytes).send()
        def received = publishes.receive(10, TimeUnit.SECONDS)

        then:
        ack.error.isEmpty()
        received.isPresent()
        received.get().topic.toString() == 'labcommons/v1/donghu/devices/nmr-400/usage'
        new String(received.get().payloadAsBytes) == '{"seq":1,"state":"on"}'

        cleanup:
        publishes?.close()
        device?.disconnect()
        bridge?.disconnect()
    }

    def "a wrong password is refused at CONNECT"() {
        when:
        client('intruder', 'device-nmr-400', 'guess').connect()

        then:
        Mqtt5ConnAckException e = thrown()
        e.mqttMessage.reasonCode == Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD
    }

    def "an unknown user and an anonymous client are refused"() {
        when:
        Mqtt5Client.builder().identifier('anon').serverHost('127.0.0.1').serverPort(stack.mqtt().port())
                .buildBlocking().connect()

        then:
        Mqtt5ConnAckException e = thrown()
        e.mqttMessage.reasonCode == Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD
    }

    def "a device cannot publish into another device's topics or subscribe to everything"() {
        given:
        def device = client('nmr-400-b', 'device-nmr-400', 'd3v1ce-secret')
        device.connect()

        when: 'it publishes as another tenant device'
        device.publishWith().topic('labcommons/v1/xiling/devices/tem-1/usage')
                .qos(MqttQos.AT_LEAST_ONCE).payload('forged'.bytes).send()

        then: 'the broker answers NOT_AUTHORIZED'
        Mqtt5PubAckException refused = thrown()
        refused.mqttMessage.reasonCode == Mqtt5PubAckReasonCode.NOT_AUTHORIZED

        when: 'it tries to read every topic (on a new session: the broker may drop one that misbehaved)'
        quietlyDisconnect(device)
        device = client('nmr-400-c', 'device-nmr-400', 'd3v1ce-secret')
        device.connect()
        device.subscribeWith().topicFilter('#').qos(MqttQos.AT_LEAST_ONCE).send()

        then:
        Mqtt5SubAckException subRefused = thrown()
        subRefused.mqttMessage.reasonCodes*.error == [true]

        when: 'it subscribes to its own command topic'
        def ack = device.subscribeWith().topicFilter('labcommons/v1/donghu/devices/nmr-400/commands').qos(MqttQos.AT_LEAST_ONCE).send()

        then:
        ack.reasonCodes*.error == [false]

        cleanup:
        quietlyDisconnect(device)
    }

    def "a client the policy names at a sweep is disconnected; the others stay"() {
        given: 'a policy that lets the device in and, from a moment on, names it as revoked'
        def revoked = new java.util.concurrent.atomic.AtomicBoolean()
        Set<java.time.Instant> asked = java.util.concurrent.ConcurrentHashMap.newKeySet()
        def sweeping = new MqttAccessPolicy() {
            Optional<MqttGrant> authenticate(String clientId, String username, byte[] password) {
                original.authenticate(clientId, username, password)
            }

            Set<String> clientsToDisconnect(java.time.Instant since) {
                asked << since
                revoked.get() ? ['nmr-400-revoked'] as Set : [] as Set
            }
        }
        stack.mqtt().setPolicy(sweeping)
        stack.mqtt().sweepInterval(java.time.Duration.ofMillis(500))
        def device = client('nmr-400-revoked', 'device-nmr-400', 'd3v1ce-secret')
        def other = client('nmr-400-kept', 'device-nmr-400', 'd3v1ce-secret')
        device.connect()
        other.connect()

        when:
        revoked.set(true)
        long deadline = System.currentTimeMillis() + 10_000
        while (device.state.connected && System.currentTimeMillis() < deadline) {
            Thread.sleep(100)
        }

        then:
        !device.state.connected
        other.state.connected
        asked.size() >= 1

        cleanup:
        stack.mqtt().sweepInterval(org.labcommons.devstack.mqtt.EmbeddedMqttBroker.DEFAULT_SWEEP_INTERVAL)
        stack.mqtt().setPolicy(original)
        quietlyDisconnect(device)
        quietlyDisconnect(other)
    }

    def "the broker returns to the policy it was made with and hands out its broker token"() {
        given: 'a broker made (not started) with a policy and a token'
        def made = new org.labcommons.devstack.mqtt.EmbeddedMqttBroker(java.nio.file.Files.createTempDirectory('mqtt'), 0,
                false, original, 'svc', 'pw', 'broker-secret')

        when:
        made.setPolicy({ c, u, p -> Optional.empty() } as MqttAccessPolicy)
        made.resetPolicy()

        then:
        made.policy().is(original)
        made.brokerToken() == 'broker-secret'
        made.properties()['labcommons.iot.access.broker-token'] == 'broker-secret'

        and: 'the shared stack hands a random one to the application'
        stack.properties()['labcommons.iot.access.broker-token'] ==~ /[0-9a-f]{32}/
    }

    private static void quietlyDisconnect(Mqtt5BlockingClient c) {
        try { c?.disconnect() } catch (com.hivemq.client.mqtt.exceptions.MqttClientStateException ignored) { /* already closed by the broker */ }
    }
}
