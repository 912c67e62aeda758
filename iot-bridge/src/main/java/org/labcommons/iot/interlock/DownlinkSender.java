package org.labcommons.iot.interlock;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import org.labcommons.iot.protocol.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The bridge's MQTT connection for the interlock's commands: publishes {@code down/cmd} at QoS 1 with the bridge's
 * service account (the broker lets it publish on every downlink). Clean session, automatic reconnect; a command
 * that cannot be published completes false and is tried again on the next tick by its sender.
 */
public final class DownlinkSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DownlinkSender.class);

    private final Mqtt5AsyncClient client;
    private final String clientId;

    public DownlinkSender(URI broker, String user, String password, String clientId) {
        this.clientId = clientId;
        Mqtt5ClientBuilder builder = Mqtt5Client.builder()
                .identifier(clientId)
                .serverHost(broker.getHost())
                .serverPort(broker.getPort() > 0 ? broker.getPort() : ("ssl".equals(broker.getScheme()) ? 8883 : 1883))
                .automaticReconnect().initialDelay(200, TimeUnit.MILLISECONDS).maxDelay(5, TimeUnit.SECONDS)
                .applyAutomaticReconnect()
                .simpleAuth().username(user).password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth();
        if ("ssl".equals(broker.getScheme())) {
            builder = builder.sslWithDefaultConfig();
        }
        this.client = builder.buildAsync();
    }

    /** Connects (and keeps reconnecting in the background). */
    public CompletableFuture<Void> open() {
        return client.connectWith().cleanStart(true).keepAlive(30).send().handle((ack, error) -> {
            if (error != null) {
                LOG.warn("interlock downlink {} could not connect (it keeps trying): {}", clientId, error.getMessage());
            }
            return null;
        });
    }

    public boolean connected() {
        return client.getState().isConnected();
    }

    /** Publishes a command to a device; completes true once the broker acknowledged it. */
    public CompletableFuture<Boolean> send(UUID tenantId, UUID deviceId, DownCommand command) {
        if (!client.getState().isConnected()) {
            return CompletableFuture.completedFuture(false);
        }
        return client.publishWith()
                .topic(Topic.down(tenantId, deviceId, Topic.CMD).toString())
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(command.payload())
                .send()
                .handle((result, error) -> {
                    if (error != null || result.getError().isPresent()
                            || result instanceof Mqtt5PublishResult.Mqtt5Qos1Result q && q.getPubAck().getReasonCode().isError()) {
                        LOG.debug("interlock command {} to {} not delivered: {}", command.type(), deviceId,
                                error != null ? error.toString() : result);
                        return false;
                    }
                    return true;
                });
    }

    @Override
    public void close() {
        if (client.getState().isConnectedOrReconnect()) {
            try {
                client.disconnect().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("interlock downlink disconnect: {}", e.toString());
            }
        }
    }
}
