package org.labcommons.core.verification;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code labcommons.verification.*} (defaults in brackets; env LABCOMMONS_VERIFICATION_…):
 * <ul>
 *   <li>{@code sweep-enabled} [true]: run the deadline sweep in a process that plays the {@code core} role;</li>
 *   <li>{@code sweep-interval} [1m]: how often it looks for campaigns whose deadline has passed (a campaign
 *       closes at most this long after its deadline; its stale flags carry the deadline itself);</li>
 *   <li>{@code sweep-initial-delay} [30s]: the first look after start-up;</li>
 *   <li>{@code sweep-batch-size} [50]: due campaigns fetched per round (1–1000).</li>
 * </ul>
 * The interval and delay are read by {@code @Scheduled} as {@code ${labcommons.verification.sweep-interval:1m}}.
 */
@ConfigurationProperties("labcommons.verification")
public class VerificationSettings {
    private boolean sweepEnabled = true;
    private Duration sweepInterval = Duration.ofMinutes(1);
    private Duration sweepInitialDelay = Duration.ofSeconds(30);
    private int sweepBatchSize = 50;

    public boolean isSweepEnabled() { return sweepEnabled; }
    public void setSweepEnabled(boolean sweepEnabled) { this.sweepEnabled = sweepEnabled; }
    public Duration getSweepInterval() { return sweepInterval; }
    public void setSweepInterval(Duration sweepInterval) { this.sweepInterval = sweepInterval; }
    public Duration getSweepInitialDelay() { return sweepInitialDelay; }
    public void setSweepInitialDelay(Duration sweepInitialDelay) { this.sweepInitialDelay = sweepInitialDelay; }
    public int getSweepBatchSize() { return sweepBatchSize; }
    public void setSweepBatchSize(int sweepBatchSize) { this.sweepBatchSize = Math.max(1, Math.min(sweepBatchSize, 1000)); }
}
