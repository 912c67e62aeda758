package org.labcommons.iot.interlock;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code labcommons.iot.interlock.*} for the end of bookings ({@link InterlockScheduler}) and the offline grant cache
 * ({@link GrantCachePublisher}, {@link InterlockKey}); defaults in kernel's application.yml.
 */
@ConfigurationProperties("labcommons.iot.interlock")
public class InterlockOfflineSettings {
    private String signingKey = "";
    private boolean commandsEnabled = true;
    private Duration tick = Duration.ofSeconds(30);
    private Duration lockLookback = Duration.ofMinutes(15);
    private Duration commandTtl = Duration.ofMinutes(5);
    private Duration cacheRefresh = Duration.ofHours(4);

    /** The platform's Ed25519 private key (base64url of its 32-byte seed); empty: one is made at start and logged. */
    public String getSigningKey() { return signingKey; }
    public void setSigningKey(String signingKey) { this.signingKey = signingKey; }
    /** Whether this process (iot role) sends warn/lock and the grant caches. */
    public boolean isCommandsEnabled() { return commandsEnabled; }
    public void setCommandsEnabled(boolean commandsEnabled) { this.commandsEnabled = commandsEnabled; }
    /** How often the scheduler and the cache publisher look at the view. */
    public Duration getTick() { return tick; }
    public void setTick(Duration tick) { this.tick = tick; }
    /** A lock still due this long after its time is sent (after a restart); older ones are let go. */
    public Duration getLockLookback() { return lockLookback; }
    public void setLockLookback(Duration lockLookback) { this.lockLookback = lockLookback; }
    /** {@code expiresAt} of warn, lock, unlock: a device that gets one later does not act on it. */
    public Duration getCommandTtl() { return commandTtl; }
    public void setCommandTtl(Duration commandTtl) { this.commandTtl = commandTtl; }
    /** A controller whose grants did not change gets its cache again after this long. */
    public Duration getCacheRefresh() { return cacheRefresh; }
    public void setCacheRefresh(Duration cacheRefresh) { this.cacheRefresh = cacheRefresh; }
}
