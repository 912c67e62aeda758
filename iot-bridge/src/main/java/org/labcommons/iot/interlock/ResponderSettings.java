package org.labcommons.iot.interlock;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code labcommons.iot.interlock.*} as the grant view and the access-request responder read them (defaults in
 * brackets; env LABCOMMONS_IOT_INTERLOCK_…). See iot-bridge/README.md, section Interlock.
 * <ul>
 *   <li>{@code enabled} [true]: in a process with the {@code iot} role, read {@code access.grants.v1} and answer
 *       {@code up/auth/req};</li>
 *   <li>{@code connections} [2]: MQTT connections of the responder, each a member of the share group
 *       {@code labcommons-interlock} (client ids {@code <ingest client id>-interlock-<n>});</li>
 *   <li>{@code workers} [2]: threads that decide and answer;</li>
 *   <li>{@code device-refresh} [60s]: how long a device's tenant, instrument and key are used before they are read
 *       again; when the database cannot be reached the last known ones stay in use;</li>
 *   <li>{@code partitions} [12] and {@code replication-factor} [1]: for {@code access.grants.v1} (compacted) and
 *       {@code access.decisions.v1} when the bridge finds them missing.</li>
 * </ul>
 */
@ConfigurationProperties("labcommons.iot.interlock")
public class ResponderSettings {
    private boolean enabled = true;
    private int connections = 2;
    private int workers = 2;
    private Duration deviceRefresh = Duration.ofSeconds(60);
    private int partitions = 12;
    private short replicationFactor = 1;

    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public int getConnections() { return connections; }
    public void setConnections(int connections) { this.connections = Math.max(1, connections); }
    public int getWorkers() { return workers; }
    public void setWorkers(int workers) { this.workers = Math.max(1, workers); }
    public Duration getDeviceRefresh() { return deviceRefresh; }
    public void setDeviceRefresh(Duration deviceRefresh) { this.deviceRefresh = deviceRefresh; }
    public int getPartitions() { return partitions; }
    public void setPartitions(int partitions) { this.partitions = Math.max(1, partitions); }
    public short getReplicationFactor() { return replicationFactor; }
    public void setReplicationFactor(short replicationFactor) { this.replicationFactor = replicationFactor; }
}
