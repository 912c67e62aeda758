package org.labcommons.iot.ingest;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.iot.MqttSettings;
import org.labcommons.iot.devices.DeviceDirectory;
import org.labcommons.iot.protocol.EnvelopeReader;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The bridge of a process with the {@code iot} role: started at start-up when {@code labcommons.iot.ingest.enabled}
 * (start-up waits up to 10 s for its topics and connections, so /health is UP from the start; past that it keeps
 * trying to reach Kafka and the broker in the background) and
 * stopped gracefully with the application. {@link #newBridge(String)} makes further bridges with the same settings
 * and another client id (two subscribers of the share group in one JVM, for tests and benchmarks); they are
 * stopped with the application too.
 */
@Singleton
@RequiresRole(PlatformRole.IOT)
public class IngestService {
    private final IngestSettings settings;
    private final MqttSettings mqtt;
    private final String bootstrap;
    private final DeviceDirectory directory;
    private final IngestMetrics metrics;
    private final JsonMapper json;
    private final List<IngestBridge> made = new ArrayList<>();
    private volatile IngestBridge bridge;

    public IngestService(IngestSettings settings, MqttSettings mqtt, @Value("${labcommons.kafka.bootstrap}") String bootstrap,
                         DeviceDirectory directory, IngestMetrics metrics, JsonMapper json) {
        this.settings = settings;
        this.mqtt = mqtt;
        this.bootstrap = bootstrap;
        this.directory = directory;
        this.metrics = metrics;
        this.json = json;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        if (settings.isEnabled()) {
            IngestBridge b = newBridge(settings.effectiveClientId());
            bridge = b;
            b.start(java.time.Duration.ofSeconds(10));
        }
    }

    /** This process's bridge; null when {@code labcommons.iot.ingest.enabled} is false. */
    public IngestBridge bridge() {
        return bridge;
    }

    /** A new bridge (not started) with this process's settings and the given MQTT client id. */
    public synchronized IngestBridge newBridge(String clientId) {
        IngestBridge b = new IngestBridge(clientId, settings, mqtt, bootstrap, directory, new EnvelopeReader(), metrics, json,
                Clock.systemUTC());
        made.add(b);
        return b;
    }

    public IngestSettings settings() {
        return settings;
    }

    public IngestMetrics metrics() {
        return metrics;
    }

    @PreDestroy
    synchronized void close() {
        made.forEach(IngestBridge::stop);
        made.clear();
    }
}
