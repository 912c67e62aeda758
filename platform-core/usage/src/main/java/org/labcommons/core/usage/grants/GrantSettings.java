package org.labcommons.core.usage.grants;

import io.micronaut.context.annotation.ConfigurationProperties;
import org.labcommons.core.events.ReliableConsumer;

import java.time.Duration;

/**
 * {@code labcommons.usage.grants.*}: the access grants usage publishes to {@code access.grants.v1}.
 *
 * <ul>
 *   <li>{@code enabled} (true): run the publisher's consumer and refresh in this process;</li>
 *   <li>{@code window} (48h): an instrument's record lists bookings, blocks and overrides up to now + window, and is
 *       valid until then;</li>
 *   <li>{@code refresh} (10m): every instrument with a reporting device or a grant record is republished this often;</li>
 *   <li>{@code group} ({@code usage.grants}): the consumer group of {@code booking.v1}, {@code tenant.lifecycle.v1},
 *       {@code catalog.instrument.v1};</li>
 *   <li>{@code partitions} (12), {@code replication-factor} (1; 3 on a real cluster): of {@code access.grants.v1}
 *       (compacted) and of the topics the consumer creates when missing;</li>
 *   <li>{@code max-attempts} (5), {@code max-backoff} (5s): the consumer's retries ({@link ReliableConsumer});</li>
 *   <li>{@code send-timeout} (10s): how long a publish waits for Kafka's acknowledgement.</li>
 * </ul>
 */
@ConfigurationProperties("labcommons.usage.grants")
public class GrantSettings {
    private boolean enabled = true;
    private Duration window = Duration.ofHours(48);
    private Duration refresh = Duration.ofMinutes(10);
    private String group = "usage.grants";
    private int partitions = 12;
    private short replicationFactor = 1;
    private int maxAttempts = 5;
    private Duration maxBackoff = Duration.ofSeconds(5);
    private Duration sendTimeout = Duration.ofSeconds(10);

    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public Duration getWindow() { return window; }
    public void setWindow(Duration window) { this.window = window; }
    public Duration getRefresh() { return refresh; }
    public void setRefresh(Duration refresh) { this.refresh = refresh; }
    public String getGroup() { return group; }
    public void setGroup(String group) { this.group = group; }
    public int getPartitions() { return partitions; }
    public void setPartitions(int partitions) { this.partitions = partitions; }
    public short getReplicationFactor() { return replicationFactor; }
    public void setReplicationFactor(short replicationFactor) { this.replicationFactor = replicationFactor; }
    public int getMaxAttempts() { return maxAttempts; }
    public void setMaxAttempts(int maxAttempts) { this.maxAttempts = Math.max(1, maxAttempts); }
    public Duration getMaxBackoff() { return maxBackoff; }
    public void setMaxBackoff(Duration maxBackoff) { this.maxBackoff = maxBackoff; }
    public Duration getSendTimeout() { return sendTimeout; }
    public void setSendTimeout(Duration sendTimeout) { this.sendTimeout = sendTimeout; }

    /** The consumer's retry and topic-creation policy. */
    public ReliableConsumer.Policy policy() {
        return new ReliableConsumer.Policy(maxAttempts, maxBackoff, partitions, replicationFactor);
    }
}
