package org.labcommons.iot.faults

import groovy.transform.CompileStatic
import org.labcommons.devstack.SharedDevStack
import org.labcommons.devstack.kafka.EmbeddedKafka
import org.labcommons.devstack.mqtt.EmbeddedMqttBroker
import org.labcommons.devstack.mqtt.MqttAccessPolicy
import org.labcommons.devstack.mqtt.MqttGrant

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path
import java.security.MessageDigest
import java.time.Duration
import java.time.Instant

/**
 * The broker and the Kafka a fault specification may break: its own HiveMQ CE with file
 * persistence (sessions and queued QoS 1 messages survive a restart) and its own single-node
 * Kafka, both restartable on the same port and data directory, next to the JVM's shared
 * PostgreSQL (where the devices are provisioned). The bridge under test runs in a child JVM
 * ({@link BridgeProcess}) pointed at them by {@link #bridgeProperties()}; nothing else in the test
 * JVM uses them, so killing them disturbs no other specification.
 */
@CompileStatic
class FaultStack implements AutoCloseable {
    static final String BRIDGE_USER = 'labcommons-bridge'
    /**
     * A client allowed to publish on every uplink: what a broker without per-device ACLs would let
     * anyone do, so the bridge's own checks (the topic's tenant against the credential's) get
     * messages the real broker would refuse.
     */
    static final String UNRESTRICTED_USER = 'acl-less-client'

    final Path dir = Files.createTempDirectory('labcommons-faults-')
    final String bridgePassword = UUID.randomUUID().toString()
    final String unrestrictedPassword = UUID.randomUUID().toString()
    final EmbeddedKafka kafka
    final EmbeddedMqttBroker broker

    /** @param devices the decision for every client other than the bridge's account (device credentials) */
    FaultStack(MqttAccessPolicy devices) {
        this(devices, true)
    }

    /**
     * @param devices    the decision for every client other than the bridge's account (device credentials)
     * @param persistent the broker's persistence: file (sessions and queues survive a broker restart) or in-memory
     *                   (the benchmark compares them; the fault specifications restart the broker and need file)
     */
    FaultStack(MqttAccessPolicy devices, boolean persistent) {
        byte[] bridgeSecret = bridgePassword.getBytes(StandardCharsets.UTF_8)
        // a topic filter permission covers shared subscriptions of it too ($share/<group>/lc/v1/+/+/up/#)
        MqttGrant bridgeGrant = new MqttGrant(BRIDGE_USER, ['lc/v1/+/+/down/#'], ['lc/v1/+/+/up/#'])
        byte[] unrestrictedSecret = unrestrictedPassword.getBytes(StandardCharsets.UTF_8)
        MqttGrant unrestrictedGrant = new MqttGrant(UNRESTRICTED_USER, ['lc/v1/#'], [])
        MqttAccessPolicy policy = new MqttAccessPolicy() {
            @Override
            Optional<MqttGrant> authenticate(String clientId, String user, byte[] password) {
                if (BRIDGE_USER == user) {
                    return MessageDigest.isEqual(bridgeSecret, password) ? Optional.of(bridgeGrant) : Optional.<MqttGrant> empty()
                }
                if (UNRESTRICTED_USER == user) {
                    return MessageDigest.isEqual(unrestrictedSecret, password) ? Optional.of(unrestrictedGrant) : Optional.<MqttGrant> empty()
                }
                devices.authenticate(clientId, user, password)
            }

            @Override
            Set<String> clientsToDisconnect(Instant since) {
                devices.clientsToDisconnect(since)
            }
        }
        kafka = new EmbeddedKafka(dir.resolve('kafka'), 0)
        broker = new EmbeddedMqttBroker(dir.resolve('mqtt'), 0, persistent, policy, BRIDGE_USER, bridgePassword)
        broker.sweepInterval(Duration.ofSeconds(2))
    }

    FaultStack start() {
        kafka.start()
        broker.start()
        this
    }

    /** The bridge's configuration: the shared database, this stack's Kafka and broker. */
    Map<String, String> bridgeProperties() {
        Map<String, String> p = new LinkedHashMap<>(SharedDevStack.get().properties())
        p.putAll(kafka.properties())
        p.putAll(broker.properties())
        p
    }

    String bootstrap() {
        kafka.bootstrapServers()
    }

    /** Stops the broker and starts it again on the same port and data folder. */
    void restartBroker() {
        broker.close()
        broker.start()
    }

    void stopKafka() {
        kafka.close()
    }

    void startKafka() {
        kafka.start()
    }

    @Override
    void close() {
        broker.close()
        kafka.close()
        dir.toFile().deleteDir()
    }
}
