package org.labcommons.core.usage.sessions;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code labcommons.usage.readings.*}: the {@link ReadingConsumer} (core role).
 * <ul>
 *   <li>{@code enabled} (true): run the consumer in this process;</li>
 *   <li>{@code group} (usage.readings): its consumer group;</li>
 *   <li>{@code max-poll-records} (5000): records per batch at most (one transaction per tenant of the batch); live
 *       readings come in small batches, a backlog in large ones, where each touched instrument is computed once per
 *       batch;</li>
 *   <li>{@code max-backoff} (5s): the longest pause between retries while the database or Kafka is down;</li>
 *   <li>{@code margin} (30m): how far before and after a batch's new readings an instrument's sessions are
 *       computed again (more than on-sustain + off-after + merge-gap; widened to cover the stored sessions it
 *       meets).</li>
 * </ul>
 * The link to bookings uses {@code labcommons.usage.link.grace} (15m).
 */
@ConfigurationProperties("labcommons.usage.readings")
public class ReadingSettings {
    private boolean enabled = true;
    private String group = "usage.readings";
    private int maxPollRecords = 5000;
    private Duration maxBackoff = Duration.ofSeconds(5);
    private Duration margin = Duration.ofMinutes(30);

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getGroup() {
        return group;
    }

    public void setGroup(String group) {
        this.group = group;
    }

    public int getMaxPollRecords() {
        return maxPollRecords;
    }

    public void setMaxPollRecords(int maxPollRecords) {
        if (maxPollRecords < 1 || maxPollRecords > 10_000) {
            throw new IllegalArgumentException("labcommons.usage.readings.max-poll-records must be 1..10000");
        }
        this.maxPollRecords = maxPollRecords;
    }

    public Duration getMaxBackoff() {
        return maxBackoff;
    }

    public void setMaxBackoff(Duration maxBackoff) {
        this.maxBackoff = maxBackoff;
    }

    public Duration getMargin() {
        return margin;
    }

    public void setMargin(Duration margin) {
        this.margin = margin;
    }
}
