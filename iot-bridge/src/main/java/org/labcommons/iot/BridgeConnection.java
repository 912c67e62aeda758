package org.labcommons.iot;

import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The bridge's session with the MQTT broker, kept open with automatic reconnect. The ingestion
 * path (device messages to Kafka) will subscribe through it; for now it proves the broker
 * accepts the platform's credentials and reports its state to health.
 */
@Singleton
@RequiresRole(PlatformRole.IOT)
public class BridgeConnection implements ApplicationEventListener<StartupEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(BridgeConnection.class);
    private final Mqtt5AsyncClient client;
    private volatile String lastError;

    public BridgeConnection(MqttSettings settings) {
        URI uri = settings.uri();
        Mqtt5ClientBuilder builder = Mqtt5Client.builder()
                .identifier("labcommons-bridge-" + UUID.randomUUID())
                .serverHost(uri.getHost())
                .serverPort(uri.getPort() > 0 ? uri.getPort() : ("ssl".equals(uri.getScheme()) ? 8883 : 1883))
                .automaticReconnectWithDefaultConfig()
                .simpleAuth()
                .username(settings.getUser())
                .password(settings.getPassword().getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth();
        if ("ssl".equals(uri.getScheme())) {
            builder = builder.sslWithDefaultConfig();
        }
        this.client = builder.buildAsync();
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        client.connect().whenComplete((ack, error) -> {
            if (error != null) {
                lastError = error.getMessage();
                LOG.warn("MQTT bridge could not connect: {}", error.getMessage());
            } else {
                lastError = null;
                LOG.info("MQTT bridge connected");
            }
        });
    }

    public MqttClientState state() {
        return client.getState();
    }

    public String lastError() {
        return lastError;
    }

    @PreDestroy
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
