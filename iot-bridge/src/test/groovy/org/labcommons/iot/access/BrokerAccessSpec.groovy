package org.labcommons.iot.access

import com.hivemq.client.mqtt.datatypes.MqttQos
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode
import org.labcommons.devstack.SharedDevStack
import org.labcommons.devstack.mqtt.EmbeddedMqttBroker
import org.labcommons.devstack.mqtt.HttpMqttAccessPolicy
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import java.time.Duration

/**
 * The broker authenticates every device against LabCommons and confines it to its own topics: the dev
 * stack's embedded HiveMQ CE asks the running platform over HTTP (iot-bridge's
 * {@code /api/iot/broker/*}, installed by the test kit), with real devices and the bridge's service account.
 */
class BrokerAccessSpec extends PlatformSpec {

    @Shared EmbeddedMqttBroker broker = SharedDevStack.get().mqtt()
    @Shared Mqtt mqtt = new Mqtt(SharedDevStack.get().mqtt().port())
    @Shared TenantWorld world

    def setupSpec() {
        broker.sweepInterval(Duration.ofSeconds(1))   // revocations are swept every second here (15 s by default)
        world = TenantWorld.build(ctx) { institution('donghu'); institution('xiling') }
    }

    UUID tenant(String name) { world.tenant(name).id as UUID }

    def cleanupSpec() {
        broker.sweepInterval(EmbeddedMqttBroker.DEFAULT_SWEEP_INTERVAL)
    }

    Devices getDevices() {
        new Devices(ctx)
    }

    String getBridgeUser() { ctx.getProperty('labcommons.mqtt.user', String).get() }

    String getBridgePassword() { ctx.getProperty('labcommons.mqtt.password', String).get() }

    static String root(UUID tenant, Map device) { "lc/v1/${tenant}/${device.id}/".toString() }

    def "the broker asks the running platform over HTTP"() {
        expect:
        broker.policy() instanceof HttpMqttAccessPolicy
        (broker.policy() as HttpMqttAccessPolicy).baseUri().port == server.port
    }

    def "a device with its secret connects and uses only its own uplink and downlink; the bridge reads and commands it"() {
        // a plain subscription: the context's own bridge is in the share group, so a member would see only some messages
        given: 'two tenants with a device each, and a client with the bridge\'s account reading every uplink'
        UUID t1 = tenant('donghu'), t2 = tenant('xiling')
        Map a = devices.provision(t1), b = devices.provision(t2)
        def bridge = mqtt.connect("labcommons-bridge-${UUID.randomUUID()}", bridgeUser, bridgePassword)
        def uplink = Mqtt.publishes(bridge)
        bridge.subscribeWith().topicFilter('lc/v1/+/+/up/#').qos(MqttQos.AT_LEAST_ONCE).send()
        def deviceA = mqtt.connect(a.id.toString(), a.id.toString(), a.secret)
        def downlink = Mqtt.publishes(deviceA)

        when: 'A publishes under its own prefix, then under B\'s (another tenant) and under its own device id with B\'s tenant'
        String own = Mqtt.publishRefusal(deviceA, root(t1, a) + 'up/telemetry', '{"w":1}')
        String foreign = Mqtt.publishRefusal(deviceA, root(t2, b) + 'up/event', 'forged')
        deviceA = reconnected(deviceA, a)
        String wrongTenant = Mqtt.publishRefusal(deviceA, "lc/v1/${t2}/${a.id}/up/event".toString(), "forged")
        deviceA = reconnected(deviceA, a)
        List<String> arrived = Mqtt.drain(uplink, 3)

        then: 'only its own message arrives; the others are refused by the broker'
        own == null
        foreign == 'NOT_AUTHORIZED'
        wrongTenant == 'NOT_AUTHORIZED'
        arrived == [root(t1, a) + 'up/telemetry']

        when: 'A subscribes to B\'s downlink, to every device\'s uplink, and to its own downlink'
        String theirs = Mqtt.subscribeRefusal(deviceA, root(t2, b) + 'down/#')
        deviceA = reconnected(deviceA, a)
        String everything = Mqtt.subscribeRefusal(deviceA, 'lc/v1/#')
        deviceA = reconnected(deviceA, a)
        downlink = Mqtt.publishes(deviceA)
        String mine = Mqtt.subscribeRefusal(deviceA, root(t1, a) + 'down/#')
        bridge.publishWith().topic(root(t1, a) + 'down/cmd').qos(MqttQos.AT_LEAST_ONCE).payload('{"cmd":"lock"}'.bytes).send()
        bridge.publishWith().topic(root(t2, b) + 'down/cmd').qos(MqttQos.AT_LEAST_ONCE).payload('{"cmd":"lock"}'.bytes).send()

        then: 'only its own downlink: the bridge\'s command to A arrives, the one to B does not'
        theirs != null
        everything != null
        mine == null
        Mqtt.drain(downlink, 2) == [root(t1, a) + 'down/cmd']

        cleanup:
        uplink?.close()
        downlink?.close()
        Mqtt.quietly(deviceA)
        Mqtt.quietly(bridge)
    }

    /** A new session of the device (the broker may end one that tried what it may not). */
    private def reconnected(def client, Map device) {
        Mqtt.quietly(client)
        mqtt.connect(device.id.toString(), device.id.toString(), device.secret)
    }

    def "a wrong secret, an unknown device, a foreign client id, a rotated-out secret and a revoked device are refused at CONNECT"() {
        given:
        Map d = devices.provision(tenant('donghu'))
        Map revoked = devices.provision(tenant('donghu'))
        String id = d.id.toString()
        String unknown = UUID.randomUUID().toString()

        expect: 'the right secret connects (and is remembered)'
        mqtt.connackOf(id, id, d.secret) == Mqtt5ConnAckReasonCode.SUCCESS

        and:
        mqtt.connackOf(id, id, d.secret + 'x') == Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD
        mqtt.connackOf(unknown, unknown, d.secret) == Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD
        mqtt.connackOf('someone-else', id, d.secret) == Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD
        mqtt.connackOf(id, bridgeUser, bridgePassword + 'x') == Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD

        when: 'the secret is rotated: the remembered old one no longer counts, the new one does'
        String fresh = devices.rotate(d)

        then:
        mqtt.connackOf(id, id, d.secret) == Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD
        mqtt.connackOf(id, id, fresh) == Mqtt5ConnAckReasonCode.SUCCESS

        when:
        devices.revoke(revoked)

        then:
        mqtt.connackOf(revoked.id.toString(), revoked.id.toString(), revoked.secret) == Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD
    }

    def "a device revoked while connected is disconnected by the next sweep and refused when it comes back"() {
        given:
        Map d = devices.provision(tenant('xiling'))
        String id = d.id.toString()
        def device = mqtt.connect(id, id, d.secret)

        when:
        devices.revoke(d)
        long t0 = System.nanoTime()
        boolean gone = Mqtt.awaitDisconnected(device, 30)
        long seconds = (System.nanoTime() - t0).intdiv(1_000_000_000L)

        then: 'out within the sweep (1 s here, 15 s by default; the contract is 60 s) plus the directory\'s 5 s'
        gone
        seconds <= 10

        and:
        mqtt.connackOf(id, id, d.secret) == Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD

        cleanup:
        Mqtt.quietly(device)
    }
}
