package org.labcommons.iot.ingest;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code labcommons.iot.ingest.*}: the bridge from the MQTT broker to Kafka (defaults in brackets; env
 * LABCOMMONS_IOT_INGEST_…). See iot-bridge/README.md.
 * <ul>
 *   <li>{@code enabled} [true]: run the bridge in a process that plays the {@code iot} role;</li>
 *   <li>{@code client-id} [unset: {@code labcommons-bridge-<host name>-ingest}]: the MQTT client id of this
 *       process's bridge; it must be stable across restarts (the persistent session is found by it) and
 *       different for every bridge process;</li>
 *   <li>{@code share-group} [labcommons-bridge]: the shared subscription's group; every bridge process of a
 *       deployment subscribes with it, and the broker spreads the messages over them;</li>
 *   <li>{@code session-expiry} [7d]: how long the broker keeps the bridge's session (and its un-acknowledged
 *       messages) while the bridge is away;</li>
 *   <li>{@code connections} [16]: MQTT connections of this bridge, each a member of the share group (client ids
 *       {@code <client-id>}, {@code <client-id>-1}, …): HiveMQ CE sends a shared-subscription member its next batch
 *       (at most 50 messages) only once the previous one is acknowledged, so parallel connections keep more
 *       batches moving while earlier ones wait for Kafka;</li>
 *   <li>{@code receive-maximum} [1000]: messages the broker may have in flight on one connection (the bridge holds
 *       at most {@code connections} times this many in memory; each waits for its Kafka acknowledgement);</li>
 *   <li>{@code lanes} [2]: worker threads; a device's messages always go through the same lane, in order;</li>
 *   <li>{@code max-payload-bytes} [65536]: a larger message is dead-lettered as {@code oversize};</li>
 *   <li>{@code dead-letter-max-bytes} [262144]: a dead-lettered payload longer than this is cut (headers
 *       {@code lc-truncated}, {@code lc-payload-bytes});</li>
 *   <li>{@code partitions} [12] and {@code replication-factor} [1]: for the iot.* topics the bridge creates;</li>
 *   <li>{@code linger} [2ms], {@code batch-bytes} [131072], {@code compression} [lz4]: the producer's batching;</li>
 *   <li>{@code delivery-timeout} [30s]: how long the producer tries one send before the bridge starts it again;</li>
 *   <li>{@code max-backoff} [5s]: the longest wait between retries while Kafka or the database is down;</li>
 *   <li>{@code activity-interval} [5s]: how often the coalesced device activity is written;</li>
 *   <li>{@code duplicate-window} [64]: recent event ids remembered per device (duplicate detection);</li>
 *   <li>{@code max-tracked-devices} [50000]: devices whose sequence, recent event ids and clock offset are kept
 *       in memory (least recently seen ones are forgotten first);</li>
 *   <li>{@code skew-correct} [2s] and {@code skew-anomaly} [5m]: a clock offset beyond the first adds
 *       {@code lc-corrected-time}, beyond the second the anomaly {@code clock_skew}.</li>
 * </ul>
 */
@ConfigurationProperties("labcommons.iot.ingest")
public class IngestSettings {
    private boolean enabled = true;
    private String clientId;
    private String shareGroup = "labcommons-bridge";
    private Duration sessionExpiry = Duration.ofDays(7);
    private int connections = 16;
    private int receiveMaximum = 1000;
    private int lanes = 2;
    private int maxPayloadBytes = 65536;
    private int deadLetterMaxBytes = 262144;
    private int partitions = 12;
    private short replicationFactor = 1;
    private Duration linger = Duration.ofMillis(2);
    private int batchBytes = 131072;
    private String compression = "lz4";
    private Duration deliveryTimeout = Duration.ofSeconds(30);
    private Duration maxBackoff = Duration.ofSeconds(5);
    private Duration activityInterval = Duration.ofSeconds(5);
    private int duplicateWindow = 64;
    private int maxTrackedDevices = 50000;
    private Duration skewCorrect = Duration.ofSeconds(2);
    private Duration skewAnomaly = Duration.ofMinutes(5);

    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public String getClientId() { return clientId; }
    public void setClientId(String clientId) { this.clientId = clientId; }
    public String getShareGroup() { return shareGroup; }
    public void setShareGroup(String shareGroup) { this.shareGroup = shareGroup; }
    public Duration getSessionExpiry() { return sessionExpiry; }
    public void setSessionExpiry(Duration sessionExpiry) { this.sessionExpiry = sessionExpiry; }
    public int getConnections() { return connections; }
    public void setConnections(int connections) { this.connections = Math.max(1, connections); }
    public int getReceiveMaximum() { return receiveMaximum; }
    public void setReceiveMaximum(int receiveMaximum) { this.receiveMaximum = Math.max(1, Math.min(receiveMaximum, 65535)); }
    public int getLanes() { return lanes; }
    public void setLanes(int lanes) { this.lanes = Math.max(1, lanes); }
    public int getMaxPayloadBytes() { return maxPayloadBytes; }
    public void setMaxPayloadBytes(int maxPayloadBytes) { this.maxPayloadBytes = maxPayloadBytes; }
    public int getDeadLetterMaxBytes() { return deadLetterMaxBytes; }
    public void setDeadLetterMaxBytes(int deadLetterMaxBytes) { this.deadLetterMaxBytes = deadLetterMaxBytes; }
    public int getPartitions() { return partitions; }
    public void setPartitions(int partitions) { this.partitions = partitions; }
    public short getReplicationFactor() { return replicationFactor; }
    public void setReplicationFactor(short replicationFactor) { this.replicationFactor = replicationFactor; }
    public Duration getLinger() { return linger; }
    public void setLinger(Duration linger) { this.linger = linger; }
    public int getBatchBytes() { return batchBytes; }
    public void setBatchBytes(int batchBytes) { this.batchBytes = batchBytes; }
    public String getCompression() { return compression; }
    public void setCompression(String compression) { this.compression = compression; }
    public Duration getDeliveryTimeout() { return deliveryTimeout; }
    public void setDeliveryTimeout(Duration deliveryTimeout) { this.deliveryTimeout = deliveryTimeout; }
    public Duration getMaxBackoff() { return maxBackoff; }
    public void setMaxBackoff(Duration maxBackoff) { this.maxBackoff = maxBackoff; }
    public Duration getActivityInterval() { return activityInterval; }
    public void setActivityInterval(Duration activityInterval) { this.activityInterval = activityInterval; }
    public int getDuplicateWindow() { return duplicateWindow; }
    public void setDuplicateWindow(int duplicateWindow) { this.duplicateWindow = Math.max(1, duplicateWindow); }
    public int getMaxTrackedDevices() { return maxTrackedDevices; }
    public void setMaxTrackedDevices(int maxTrackedDevices) { this.maxTrackedDevices = Math.max(1, maxTrackedDevices); }
    public Duration getSkewCorrect() { return skewCorrect; }
    public void setSkewCorrect(Duration skewCorrect) { this.skewCorrect = skewCorrect; }
    public Duration getSkewAnomaly() { return skewAnomaly; }
    public void setSkewAnomaly(Duration skewAnomaly) { this.skewAnomaly = skewAnomaly; }

    /** The configured client id, or {@code labcommons-bridge-<host name>-ingest}. */
    public String effectiveClientId() {
        if (clientId != null && !clientId.isBlank()) {
            return clientId;
        }
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "localhost";
            }
        }
        return "labcommons-bridge-" + host.replaceAll("[^A-Za-z0-9._-]", "-") + "-ingest";
    }

    /** The shared subscription's topic filter. */
    public String subscription() {
        return "$share/" + shareGroup + "/lc/v1/+/+/up/#";
    }
}
