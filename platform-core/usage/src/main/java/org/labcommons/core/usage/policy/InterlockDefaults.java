package org.labcommons.core.usage.policy;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code labcommons.usage.interlock.*}: an instrument's interlock policy where its {@code usage_policy} row says
 * nothing (null column or no row).
 *
 * <ul>
 *   <li>{@code early-grace} (15m): a booking's holder may start this long before its start;</li>
 *   <li>{@code end-grace} (10m): the controller switches off this long after the booking's end;</li>
 *   <li>{@code warn-before} (10m): how long before switching off the controller warns;</li>
 *   <li>{@code walk-up} (false): authorised users may use a free instrument without a booking;</li>
 *   <li>{@code fail-mode} ({@code closed}): what a controller does with no answer and no cache ({@code closed} or
 *       {@code open}).</li>
 * </ul>
 */
@ConfigurationProperties("labcommons.usage.interlock")
public class InterlockDefaults {
    private Duration earlyGrace = Duration.ofMinutes(15);
    private Duration endGrace = Duration.ofMinutes(10);
    private Duration warnBefore = Duration.ofMinutes(10);
    private boolean walkUp;
    private String failMode = "closed";

    public Duration getEarlyGrace() { return earlyGrace; }
    public void setEarlyGrace(Duration earlyGrace) { this.earlyGrace = earlyGrace; }
    public Duration getEndGrace() { return endGrace; }
    public void setEndGrace(Duration endGrace) { this.endGrace = endGrace; }
    public Duration getWarnBefore() { return warnBefore; }
    public void setWarnBefore(Duration warnBefore) { this.warnBefore = warnBefore; }
    public boolean isWalkUp() { return walkUp; }
    public void setWalkUp(boolean walkUp) { this.walkUp = walkUp; }
    public String getFailMode() { return failMode; }
    public void setFailMode(String failMode) { this.failMode = failMode; }
}
