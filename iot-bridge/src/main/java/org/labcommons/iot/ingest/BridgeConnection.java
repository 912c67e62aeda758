package org.labcommons.iot.ingest;

import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import org.labcommons.iot.MqttSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One bridge's session with the MQTT broker (HiveMQ MQTT client, MQTT 5): a stable client id, a persistent
 * session ({@code cleanStart=false}, {@code session-expiry}), the shared subscription
 * {@code $share/<share-group>/lc/v1/+/+/up/#} at QoS 1, manual acknowledgement and a receive maximum, with
 * automatic reconnect.
 * <p>
 * The publish callback is registered for every incoming message ({@link MqttGlobalPublishFilter#ALL}) before the
 * first connect: a resumed session delivers its queued messages right after CONNACK, before any SUBSCRIBE of
 * this process, and a message no callback takes would be acknowledged by the client on its own. With manual
 * acknowledgement the client sends a PUBACK only when {@link Mqtt5Publish#acknowledge()} is called, and in
 * the order the messages arrived (a message not acknowledged holds back the PUBACKs of later ones); an
 * acknowledgement made after the connection dropped is not sent, and the broker delivers the message again
 * on the next connection.
 */
public final class BridgeConnection {
    private static final Logger LOG = LoggerFactory.getLogger(BridgeConnection.class);

    private final Mqtt5AsyncClient client;
    private final String clientId;
    private final String subscription;
    private final IngestSettings settings;
    private volatile String lastError;

    BridgeConnection(MqttSettings mqtt, IngestSettings settings, String clientId, Consumer<Mqtt5Publish> onPublish) {
        this.clientId = clientId;
        this.settings = settings;
        this.subscription = settings.subscription();
        URI uri = mqtt.uri();
        Mqtt5ClientBuilder builder = Mqtt5Client.builder()
                .identifier(clientId)
                .serverHost(uri.getHost())
                .serverPort(uri.getPort() > 0 ? uri.getPort() : ("ssl".equals(uri.getScheme()) ? 8883 : 1883))
                .automaticReconnect().initialDelay(200, TimeUnit.MILLISECONDS).maxDelay(5, TimeUnit.SECONDS)
                .applyAutomaticReconnect()
                .addConnectedListener(context -> subscribe())
                .addDisconnectedListener(context -> {
                    lastError = context.getCause().getMessage();
                    LOG.info("MQTT bridge {} disconnected ({}): {}", clientId, context.getSource(), lastError);
                })
                .simpleAuth()
                .username(mqtt.getUser())
                .password(mqtt.getPassword().getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth();
        if ("ssl".equals(uri.getScheme())) {
            builder = builder.sslWithDefaultConfig();
        }
        this.client = builder.buildAsync();
        client.publishes(MqttGlobalPublishFilter.ALL, onPublish, true);
    }

    /** Connects (and keeps reconnecting); completes with the first CONNACK. */
    CompletableFuture<Void> open() {
        return client.connectWith()
                .cleanStart(false)
                .sessionExpiryInterval(Math.min(settings.getSessionExpiry().toSeconds(), 0xFFFFFFFEL))
                .keepAlive(30)
                .restrictions().receiveMaximum(settings.getReceiveMaximum()).applyRestrictions()
                .send()
                .handle((ack, error) -> {
                    if (error != null) {
                        lastError = error.getMessage();
                        LOG.warn("MQTT bridge {} could not connect (it keeps trying): {}", clientId, error.getMessage());
                        throw new IllegalStateException("MQTT connect failed: " + error.getMessage(), error);
                    }
                    lastError = null;
                    LOG.info("MQTT bridge {} connected (session present: {})", clientId, ack.isSessionPresent());
                    return null;
                });
    }

    /** On every connect: the subscription is idempotent, and it restores one a broker has lost. */
    private void subscribe() {
        client.subscribeWith().topicFilter(subscription).qos(MqttQos.AT_LEAST_ONCE).send()
                .whenComplete((ack, error) -> {
                    if (error != null) {
                        lastError = error.getMessage();
                        LOG.warn("MQTT bridge {} could not subscribe to {}: {}", clientId, subscription, error.getMessage());
                    } else {
                        LOG.debug("MQTT bridge {} subscribed to {}: {}", clientId, subscription, ack.getReasonCodes());
                    }
                });
    }

    public MqttClientState state() {
        return client.getState();
    }

    public String clientId() {
        return clientId;
    }

    public String lastError() {
        return lastError;
    }

    /** Ends the connection; the broker keeps the session (its subscription and un-acknowledged messages). */
    void close() {
        if (client.getState().isConnectedOrReconnect()) {
            try {
                client.disconnect().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("MQTT disconnect: {}", e.getMessage());
            }
        }
    }
}
