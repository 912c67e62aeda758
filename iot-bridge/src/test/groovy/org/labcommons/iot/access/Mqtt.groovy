package org.labcommons.iot.access

import com.hivemq.client.mqtt.MqttGlobalPublishFilter
import com.hivemq.client.mqtt.datatypes.MqttQos
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode

import java.nio.charset.StandardCharsets
import java.util.concurrent.TimeUnit

/** MQTT 5 clients for the access specifications: connect, publish, subscribe and what came of it. */
class Mqtt {
    final int port

    Mqtt(int port) {
        this.port = port
    }

    Mqtt5BlockingClient client(String clientId, String user, String password) {
        Mqtt5Client.builder().identifier(clientId).serverHost('127.0.0.1').serverPort(port)
                .simpleAuth().username(user).password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .buildBlocking()
    }

    /** A connected client. */
    Mqtt5BlockingClient connect(String clientId, String user, String password) {
        def c = client(clientId, user, password)
        c.connect()
        c
    }

    /** The CONNACK reason a CONNECT gets (SUCCESS when connected; the client is disconnected again). */
    Mqtt5ConnAckReasonCode connackOf(String clientId, String user, String password) {
        def c = client(clientId, user, password)
        try {
            def ack = c.connect()
            quietly(c)
            return ack.reasonCode
        } catch (Mqtt5ConnAckException e) {
            return e.mqttMessage.reasonCode
        }
    }

    /** Null when the QoS 1 publish was acknowledged, otherwise the PUBACK's reason (or the failure's class). */
    static String publishRefusal(Mqtt5BlockingClient c, String topic, String payload) {
        try {
            c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload.bytes).send()
            return null
        } catch (Mqtt5PubAckException e) {
            return e.mqttMessage.reasonCode.toString()
        } catch (RuntimeException e) {
            return e.class.simpleName
        }
    }

    /** Null when the subscription was granted, otherwise the SUBACK's reason (or the failure's class). */
    static String subscribeRefusal(Mqtt5BlockingClient c, String filter) {
        try {
            def ack = c.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send()
            return ack.reasonCodes.every { !it.error } ? null : ack.reasonCodes*.toString().join(',')
        } catch (Mqtt5SubAckException e) {
            return e.mqttMessage.reasonCodes*.toString().join(',')
        } catch (RuntimeException e) {
            return e.class.simpleName
        }
    }

    /** Messages arriving at {@code c} (open before subscribing). */
    static Mqtt5BlockingClient.Mqtt5Publishes publishes(Mqtt5BlockingClient c) {
        c.publishes(MqttGlobalPublishFilter.ALL)
    }

    /** The topics of everything that arrives within {@code seconds}. */
    static List<String> drain(Mqtt5BlockingClient.Mqtt5Publishes publishes, long seconds) {
        List<String> topics = []
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds)
        while (System.nanoTime() < deadline) {
            def p = publishes.receive(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())), TimeUnit.MILLISECONDS)
            if (p.present) {
                topics << p.get().topic.toString()
            }
        }
        topics
    }

    /** Waits up to {@code seconds} for {@code c} to be disconnected by the broker. */
    static boolean awaitDisconnected(Mqtt5BlockingClient c, long seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds)
        while (System.nanoTime() < deadline) {
            if (!c.state.connected) {
                return true
            }
            Thread.sleep(100)
        }
        !c.state.connected
    }

    static void quietly(Mqtt5BlockingClient c) {
        try { c?.disconnect() } catch (RuntimeException ignored) { /* already closed by the broker */ }
    }
}
