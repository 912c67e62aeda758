package org.labcommons.iot.devices;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code labcommons.iot.devices.*}: what provisioning hands out and how long lookups are kept.
 */
@ConfigurationProperties("labcommons.iot.devices")
public class DeviceSettings {
    private String publicBrokerUrl;
    private Duration credentialCacheTtl = Duration.ofMinutes(10);
    private Duration revocationCheck = Duration.ofSeconds(2);
    private Duration claimCodeTtl = Duration.ofHours(24);
    private int claimsPerMinute = 10;

    /** The broker URL written into a device's config file; unset: {@code labcommons.mqtt.url}. */
    public String getPublicBrokerUrl() { return publicBrokerUrl; }
    public void setPublicBrokerUrl(String publicBrokerUrl) { this.publicBrokerUrl = publicBrokerUrl; }
    /**
     * How long {@link DeviceDirectory#credential} keeps an answer (at most 1 h); a revoked or rotated device's entry is
     * dropped by the next revocation check, and no entry older than 5 s is used while the checks fail.
     */
    public Duration getCredentialCacheTtl() { return credentialCacheTtl; }
    public void setCredentialCacheTtl(Duration credentialCacheTtl) { this.credentialCacheTtl = credentialCacheTtl; }
    /** How often the lookups ask for devices revoked or rotated since the last check (at most 2.5 s). */
    public Duration getRevocationCheck() { return revocationCheck; }
    public void setRevocationCheck(Duration revocationCheck) { this.revocationCheck = revocationCheck; }
    /** How long a claim code stays valid. */
    public Duration getClaimCodeTtl() { return claimCodeTtl; }
    public void setClaimCodeTtl(Duration claimCodeTtl) { this.claimCodeTtl = claimCodeTtl; }
    /** Claim attempts per client address and minute ({@code POST /api/iot/claim}). */
    public int getClaimsPerMinute() { return claimsPerMinute; }
    public void setClaimsPerMinute(int claimsPerMinute) { this.claimsPerMinute = claimsPerMinute; }
}
