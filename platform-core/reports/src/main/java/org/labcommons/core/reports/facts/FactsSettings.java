package org.labcommons.core.reports.facts;

import io.micronaut.context.annotation.ConfigurationProperties;
import org.labcommons.core.events.ReliableConsumer;

import java.time.Duration;

/**
 * {@code labcommons.reports.facts.*}:
 * <ul>
 *   <li>{@code consumer-enabled} (true): run the rollup consumer (group {@code group}) in this process;</li>
 *   <li>{@code group} ({@code reports.facts}): its consumer group and {@code processed_event} name (renaming it makes
 *       the consumer read every event again; contributions are remembered per source, so nothing counts twice);</li>
 *   <li>{@code max-attempts} (5), {@code max-backoff} (5s), {@code partitions} (3), {@code replication-factor} (1):
 *       the consumer's retries and the topics it creates when missing ({@link ReliableConsumer});</li>
 *   <li>{@code max-page-size} (200): the largest {@code size} a list of the API accepts.</li>
 * </ul>
 */
@ConfigurationProperties("labcommons.reports.facts")
public class FactsSettings {
    private boolean consumerEnabled = true;
    private String group = "reports.facts";
    private int maxAttempts = 5;
    private Duration maxBackoff = Duration.ofSeconds(5);
    private int partitions = 3;
    private short replicationFactor = 1;
    private int maxPageSize = 200;

    public boolean isConsumerEnabled() { return consumerEnabled; }
    public void setConsumerEnabled(boolean consumerEnabled) { this.consumerEnabled = consumerEnabled; }
    public String getGroup() { return group; }
    public void setGroup(String group) { this.group = group; }
    public int getMaxAttempts() { return maxAttempts; }
    public void setMaxAttempts(int maxAttempts) { this.maxAttempts = Math.max(1, maxAttempts); }
    public Duration getMaxBackoff() { return maxBackoff; }
    public void setMaxBackoff(Duration maxBackoff) { this.maxBackoff = maxBackoff; }
    public int getPartitions() { return partitions; }
    public void setPartitions(int partitions) { this.partitions = partitions; }
    public short getReplicationFactor() { return replicationFactor; }
    public void setReplicationFactor(short replicationFactor) { this.replicationFactor = replicationFactor; }
    public int getMaxPageSize() { return maxPageSize; }
    public void setMaxPageSize(int maxPageSize) { this.maxPageSize = Math.max(1, maxPageSize); }

    /** The consumer's retry and topic-creation policy. */
    public ReliableConsumer.Policy policy() {
        return new ReliableConsumer.Policy(maxAttempts, maxBackoff, partitions, replicationFactor);
    }
}
