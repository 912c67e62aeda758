package org.labcommons.iot;

import com.hivemq.client.mqtt.MqttClientState;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.iot.ingest.IngestBridge;
import org.labcommons.iot.ingest.IngestService;

import java.util.LinkedHashMap;
import java.util.Map;

/** The MQTT broker, as seen through this process's bridge session (UNKNOWN when the bridge is disabled). */
@Singleton
@RequiresRole(PlatformRole.IOT)
public class MqttHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {
    private final IngestService ingest;
    private final MqttSettings settings;

    public MqttHealthIndicator(IngestService ingest, MqttSettings settings) {
        this.ingest = ingest;
        this.settings = settings;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("url", settings.getUrl());
        IngestBridge bridge = ingest.bridge();
        if (bridge == null) {
            details.put("bridge", "disabled");
            healthStatus = HealthStatus.UNKNOWN;
            return details;
        }
        MqttClientState state = bridge.state();
        details.put("client", bridge.clientId());
        details.put("session", state.name());
        details.put("inFlight", bridge.inFlight());
        if (bridge.lastError() != null) {
            details.put("error", bridge.lastError());
        }
        healthStatus = state == MqttClientState.CONNECTED ? HealthStatus.UP : HealthStatus.DOWN;
        return details;
    }

    @Override
    public String getName() {
        return "mqtt";
    }
}
