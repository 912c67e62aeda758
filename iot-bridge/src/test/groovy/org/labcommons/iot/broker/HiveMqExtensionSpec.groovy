package org.labcommons.iot.broker

import com.hivemq.client.mqtt.datatypes.MqttQos
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode
import com.hivemq.embedded.EmbeddedExtension
import com.hivemq.embedded.EmbeddedHiveMQ
import org.labcommons.devstack.FreePorts
import org.labcommons.iot.access.Devices
import org.labcommons.iot.access.Mqtt
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.TimeUnit

/**
 * The production artefact: a HiveMQ CE broker of its own (not the dev stack's) with the LabCommons
 * extension ({@link LabCommonsAccessExtension}, as the broker loads it from the extension zip) pointed at
 * this test's server. A device authenticates, is confined to its topics, and is disconnected after its
 * revocation.
 */
class HiveMqExtensionSpec extends PlatformSpec {

    @Shared @TempDir Path dir
    @Shared EmbeddedHiveMQ hivemq
    @Shared Mqtt mqtt
    @Shared TenantWorld world

    def setupSpec() {
        world = TenantWorld.build(ctx) { institution('donghu') }
        String token = ctx.getProperty('labcommons.iot.access.broker-token', String).get()
        int port = FreePorts.pick(0)
        hivemq = broker(dir, port, new BrokerAccessConfig(URI.create(baseUrl), token, Duration.ofSeconds(1),
                Duration.ofSeconds(10), 8))
        mqtt = new Mqtt(port)
    }

    def cleanupSpec() {
        stop(hivemq)
    }

    static EmbeddedHiveMQ broker(Path dir, int port, BrokerAccessConfig config) {
        Path conf = Files.createDirectories(dir.resolve("conf-${port}"))
        Files.writeString(conf.resolve('config.xml'), """<?xml version="1.0"?>
            <hivemq>
                <listeners><tcp-listener><port>${port}</port><bind-address>127.0.0.1</bind-address></tcp-listener></listeners>
                <persistence><mode>in-memory</mode></persistence>
                <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
            </hivemq>""")
        def extension = EmbeddedExtension.builder()
                .withId('labcommons-access').withName('LabCommons device access').withVersion('1')
                .withPriority(1000).withStartPriority(1000)
                .withExtensionMain(new LabCommonsAccessExtension(config))
                .build()
        def broker = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(Files.createDirectories(dir.resolve("data-${port}")))
                .withExtensionsFolder(Files.createDirectories(dir.resolve("extensions-${port}")))
                .withEmbeddedExtension(extension)
                .withoutLoggingBootstrap()
                .build()
        broker.start().get(180, TimeUnit.SECONDS)
        broker
    }

    static void stop(EmbeddedHiveMQ broker) {
        if (broker != null) {
            broker.stop().get(30, TimeUnit.SECONDS)
            broker.close()
        }
    }

    def "a device authenticates through the extension, is confined to its topics, and is disconnected once revoked"() {
        given:
        def devices = new Devices(ctx)
        UUID tenant = world.tenant('donghu').id as UUID
        Map d = devices.provision(tenant), other = devices.provision(tenant)
        String id = d.id.toString()
        String prefix = "lc/v1/${tenant}/${id}/"

        expect: 'its secret connects; a wrong one does not'
        mqtt.connackOf(id, id, d.secret + 'x') == Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD

        when:
        def device = mqtt.connect(id, id, d.secret)
        String ownSub = Mqtt.subscribeRefusal(device, prefix + 'down/#')
        String ownPub = Mqtt.publishRefusal(device, prefix + 'up/event', '{}')
        String foreignPub = Mqtt.publishRefusal(device, "lc/v1/${tenant}/${other.id}/up/event".toString(), 'forged')

        then:
        ownSub == null
        ownPub == null
        foreignPub == 'NOT_AUTHORIZED'

        when: 'it is revoked while connected'
        Mqtt.quietly(device)
        device = mqtt.connect(id, id, d.secret)
        devices.revoke(d)

        then: 'the sweep (every second here) ends its session, and it cannot come back'
        Mqtt.awaitDisconnected(device, 15)
        mqtt.connackOf(id, id, d.secret) == Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD

        cleanup:
        Mqtt.quietly(device)
    }
}
