package org.labcommons.core.usage.sessions;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code labcommons.usage.power.*}: the default power rule ({@link PowerRule}); an instrument's
 * {@code usage_policy} row overrides each value it sets. {@code on-watts} (40), {@code on-sustain} (60s),
 * {@code off-after} (5m), {@code merge-gap} (5m), {@code min-session} (2m).
 */
@ConfigurationProperties("labcommons.usage.power")
public class PowerSettings {
    private double onWatts = 40;
    private Duration onSustain = Duration.ofSeconds(60);
    private Duration offAfter = Duration.ofMinutes(5);
    private Duration mergeGap = Duration.ofMinutes(5);
    private Duration minSession = Duration.ofMinutes(2);

    public double getOnWatts() {
        return onWatts;
    }

    public void setOnWatts(double onWatts) {
        this.onWatts = onWatts;
    }

    public Duration getOnSustain() {
        return onSustain;
    }

    public void setOnSustain(Duration onSustain) {
        this.onSustain = onSustain;
    }

    public Duration getOffAfter() {
        return offAfter;
    }

    public void setOffAfter(Duration offAfter) {
        this.offAfter = offAfter;
    }

    public Duration getMergeGap() {
        return mergeGap;
    }

    public void setMergeGap(Duration mergeGap) {
        this.mergeGap = mergeGap;
    }

    public Duration getMinSession() {
        return minSession;
    }

    public void setMinSession(Duration minSession) {
        this.minSession = minSession;
    }

    /** The default rule these settings make. */
    public PowerRule rule() {
        return new PowerRule(onWatts, onSustain, offAfter, mergeGap, minSession);
    }
}
