package org.labcommons.core.billing.charges;

import io.micronaut.context.annotation.ConfigurationProperties;
import org.labcommons.core.events.ReliableConsumer;

import java.time.Duration;

/**
 * {@code labcommons.billing.charges.*}:
 * <ul>
 *   <li>{@code consumer-enabled} (true): run the rating consumer (group {@code group}) in this process;</li>
 *   <li>{@code group} ({@code billing.charges}): its consumer group and {@code processed_event} name;</li>
 *   <li>{@code booked-basis-after} (P1D): a booking is charged its booked time this long after its end when neither
 *       a measured session nor a staff record came;</li>
 *   <li>{@code booked-basis-lookback} (P7D): bookings that ended longer before that are no longer swept;</li>
 *   <li>{@code sweep-enabled} (true), {@code sweep-interval} (15m): the booked-basis sweep;</li>
 *   <li>{@code max-attempts} (5), {@code max-backoff} (5s), {@code partitions} (3), {@code replication-factor} (1):
 *       the consumer's retries and the topics it creates when missing ({@link ReliableConsumer}).</li>
 * </ul>
 */
@ConfigurationProperties("labcommons.billing.charges")
public class ChargeSettings {
    private boolean consumerEnabled = true;
    private String group = "billing.charges";
    private Duration bookedBasisAfter = Duration.ofDays(1);
    private Duration bookedBasisLookback = Duration.ofDays(7);
    private boolean sweepEnabled = true;
    private Duration sweepInterval = Duration.ofMinutes(15);
    private int maxAttempts = 5;
    private Duration maxBackoff = Duration.ofSeconds(5);
    private int partitions = 3;
    private short replicationFactor = 1;

    public boolean isConsumerEnabled() { return consumerEnabled; }
    public void setConsumerEnabled(boolean consumerEnabled) { this.consumerEnabled = consumerEnabled; }
    public String getGroup() { return group; }
    public void setGroup(String group) { this.group = group; }
    public Duration getBookedBasisAfter() { return bookedBasisAfter; }
    public void setBookedBasisAfter(Duration bookedBasisAfter) { this.bookedBasisAfter = bookedBasisAfter; }
    public Duration getBookedBasisLookback() { return bookedBasisLookback; }
    public void setBookedBasisLookback(Duration bookedBasisLookback) { this.bookedBasisLookback = bookedBasisLookback; }
    public boolean isSweepEnabled() { return sweepEnabled; }
    public void setSweepEnabled(boolean sweepEnabled) { this.sweepEnabled = sweepEnabled; }
    public Duration getSweepInterval() { return sweepInterval; }
    public void setSweepInterval(Duration sweepInterval) { this.sweepInterval = sweepInterval; }
    public int getMaxAttempts() { return maxAttempts; }
    public void setMaxAttempts(int maxAttempts) { this.maxAttempts = Math.max(1, maxAttempts); }
    public Duration getMaxBackoff() { return maxBackoff; }
    public void setMaxBackoff(Duration maxBackoff) { this.maxBackoff = maxBackoff; }
    public int getPartitions() { return partitions; }
    public void setPartitions(int partitions) { this.partitions = partitions; }
    public short getReplicationFactor() { return replicationFactor; }
    public void setReplicationFactor(short replicationFactor) { this.replicationFactor = replicationFactor; }

    /** The consumer's retry and topic-creation policy. */
    public ReliableConsumer.Policy policy() {
        return new ReliableConsumer.Policy(maxAttempts, maxBackoff, partitions, replicationFactor);
    }
}
