package org.labcommons.core.usage.sessions;

import io.micronaut.core.annotation.Nullable;

import java.time.Duration;

/**
 * When an instrument counts as in use by its power: at or above {@code onWatts} for {@code onSustain}; off once
 * below for {@code offAfter}; sessions less than {@code mergeGap} apart merged; sessions shorter than
 * {@code minSession} dropped (docs/usage.md). Defaults: {@code labcommons.usage.power.*}; an instrument's
 * {@code usage_policy} row overrides each value it sets.
 */
public record PowerRule(double onWatts, Duration onSustain, Duration offAfter, Duration mergeGap, Duration minSession) {

    public PowerRule {
        if (!(onWatts > 0)) {
            throw new IllegalArgumentException("onWatts must be > 0");
        }
        for (Duration d : new Duration[]{onSustain, offAfter, mergeGap, minSession}) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("the power rule's durations must be >= 0");
            }
        }
    }

    /** This rule with the values a policy row sets (null: keep the default). */
    public PowerRule with(@Nullable Double onWatts, @Nullable Integer onSustainS, @Nullable Integer offAfterS,
                          @Nullable Integer mergeGapS, @Nullable Integer minSessionS) {
        return new PowerRule(onWatts != null ? onWatts : this.onWatts,
                onSustainS != null ? Duration.ofSeconds(onSustainS) : onSustain,
                offAfterS != null ? Duration.ofSeconds(offAfterS) : offAfter,
                mergeGapS != null ? Duration.ofSeconds(mergeGapS) : mergeGap,
                minSessionS != null ? Duration.ofSeconds(minSessionS) : minSession);
    }
}
