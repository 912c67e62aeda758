package org.labcommons.federation.booking;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code labcommons.federation.*}: the cross-institution booking saga's consumers.
 *
 * <ul>
 *   <li>{@code consumers-enabled} (true): run the two consumers in this process (federation role);</li>
 *   <li>{@code outside-bookings-group} ({@code federation.outside-bookings}): consumer group of the
 *       home side, which mirrors {@code booking.v1} into {@code outside_booking};</li>
 *   <li>{@code commands-group} ({@code federation.booking-commands}): consumer group of the owner side,
 *       which applies {@code booking.command.v1} (the compensation);</li>
 *   <li>{@code charges-group} ({@code federation.charges}): consumer group of the home side of
 *       cross-institution charges ({@code billing.charge.v1}, {@code ChargePostedConsumer});</li>
 *   <li>{@code max-attempts} (5): a record whose handling fails for a reason that is not transient is
 *       tried this often, then written to {@code <topic>.dlq}; transient failures (database or Kafka
 *       unreachable) are retried without limit, so nothing is lost while they last;</li>
 *   <li>{@code max-backoff} (5s): the longest pause between retries (from 200 ms, doubling);</li>
 *   <li>{@code partitions} (3), {@code replication-factor} (1; 3 on a real cluster): for the topics
 *       the consumers create when missing ({@code booking.command.v1} and the dead-letter topics).</li>
 * </ul>
 */
@ConfigurationProperties("labcommons.federation")
public class FederationSettings {
    private boolean consumersEnabled = true;
    private String outsideBookingsGroup = "federation.outside-bookings";
    private String commandsGroup = "federation.booking-commands";
    private String chargesGroup = "federation.charges";
    private int maxAttempts = 5;
    private Duration maxBackoff = Duration.ofSeconds(5);
    private int partitions = 3;
    private short replicationFactor = 1;

    public boolean isConsumersEnabled() {
        return consumersEnabled;
    }

    public void setConsumersEnabled(boolean consumersEnabled) {
        this.consumersEnabled = consumersEnabled;
    }

    public String getOutsideBookingsGroup() {
        return outsideBookingsGroup;
    }

    public void setOutsideBookingsGroup(String outsideBookingsGroup) {
        this.outsideBookingsGroup = outsideBookingsGroup;
    }

    public String getCommandsGroup() {
        return commandsGroup;
    }

    public void setCommandsGroup(String commandsGroup) {
        this.commandsGroup = commandsGroup;
    }

    public String getChargesGroup() {
        return chargesGroup;
    }

    public void setChargesGroup(String chargesGroup) {
        this.chargesGroup = chargesGroup;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = Math.max(1, maxAttempts);
    }

    public Duration getMaxBackoff() {
        return maxBackoff;
    }

    public void setMaxBackoff(Duration maxBackoff) {
        this.maxBackoff = maxBackoff;
    }

    public int getPartitions() {
        return partitions;
    }

    public void setPartitions(int partitions) {
        this.partitions = partitions;
    }

    public short getReplicationFactor() {
        return replicationFactor;
    }

    public void setReplicationFactor(short replicationFactor) {
        this.replicationFactor = replicationFactor;
    }

    /** The retry and topic policy of the saga's consumers. */
    public org.labcommons.core.events.ReliableConsumer.Policy policy() {
        return new org.labcommons.core.events.ReliableConsumer.Policy(getMaxAttempts(), getMaxBackoff(), getPartitions(), getReplicationFactor());
    }
}
