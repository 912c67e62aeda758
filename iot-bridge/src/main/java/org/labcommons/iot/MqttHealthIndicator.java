package org.labcommons.iot;

import com.hivemq.client.mqtt.MqttClientState;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;

import java.util.LinkedHashMap;
import java.util.Map;

/** The MQTT broker, as seen through the bridge's own session. */
@Singleton
@RequiresRole(PlatformRole.IOT)
public class MqttHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {
    private final BridgeConnection connection;
    private final MqttSettings settings;

    public MqttHealthIndicator(BridgeConnection connection, MqttSettings settings) {
        this.connection = connection;
        this.settings = settings;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        MqttClientState state = connection.state();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("url", settings.getUrl());
        details.put("session", state.name());
        if (connection.lastError() != null) {
            details.put("error", connection.lastError());
        }
        healthStatus = state == MqttClientState.CONNECTED ? HealthStatus.UP : HealthStatus.DOWN;
        return details;
    }

    @Override
    public String getName() {
        return "mqtt";
    }
}
