package org.labcommons.core.events;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code labcommons.outbox.*}: the outbox relay (defaults in brackets; env LABCOMMONS_OUTBOX_…).
 * <ul>
 *   <li>{@code enabled} [true]: run the relay in a process that plays the {@code core} role;</li>
 *   <li>{@code poll-interval} [200ms]: how often it looks for new rows when the outbox is drained;</li>
 *   <li>{@code batch-size} [100]: rows per Kafka transaction (at most 1000);</li>
 *   <li>{@code transactional-id} [labcommons-outbox-relay]: Kafka transactional id; a relay starting
 *       with the same id fences the previous one, so keep one id per deployment;</li>
 *   <li>{@code partitions} [3] and {@code replication-factor} [1]: for topics the relay creates (every
 *       module's {@link EventTopics} at start, and a topic first seen in the outbox before its first publish);</li>
 *   <li>{@code max-backoff} [5s]: the longest wait between retries while Kafka or the database is down.</li>
 * </ul>
 */
@ConfigurationProperties("labcommons.outbox")
public class OutboxSettings {
    private boolean enabled = true;
    private Duration pollInterval = Duration.ofMillis(200);
    private int batchSize = 100;
    private String transactionalId = "labcommons-outbox-relay";
    private int partitions = 3;
    private short replicationFactor = 1;
    private Duration maxBackoff = Duration.ofSeconds(5);

    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public Duration getPollInterval() { return pollInterval; }
    public void setPollInterval(Duration pollInterval) { this.pollInterval = pollInterval; }
    public int getBatchSize() { return batchSize; }
    public void setBatchSize(int batchSize) { this.batchSize = Math.max(1, Math.min(batchSize, 1000)); }
    public String getTransactionalId() { return transactionalId; }
    public void setTransactionalId(String transactionalId) { this.transactionalId = transactionalId; }
    public int getPartitions() { return partitions; }
    public void setPartitions(int partitions) { this.partitions = partitions; }
    public short getReplicationFactor() { return replicationFactor; }
    public void setReplicationFactor(short replicationFactor) { this.replicationFactor = replicationFactor; }
    public Duration getMaxBackoff() { return maxBackoff; }
    public void setMaxBackoff(Duration maxBackoff) { this.maxBackoff = maxBackoff; }
}
