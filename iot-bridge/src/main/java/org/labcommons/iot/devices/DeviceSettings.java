package org.labcommons.iot.devices;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code labcommons.iot.devices.*}: what provisioning hands out and how long lookups are kept.
 */
@ConfigurationProperties("labcommons.iot.devices")
public class DeviceSettings {
    private String publicBrokerUrl;
    private Duration credentialCacheTtl = Duration.ofSeconds(5);
    private Duration claimCodeTtl = Duration.ofHours(24);
    private int claimsPerMinute = 10;

    /** The broker URL written into a device's config file; unset: {@code labcommons.mqtt.url}. */
    public String getPublicBrokerUrl() { return publicBrokerUrl; }
    public void setPublicBrokerUrl(String publicBrokerUrl) { this.publicBrokerUrl = publicBrokerUrl; }
    /** How long {@link DeviceDirectory#credential} keeps an answer (at most 5 s: revocation must bite within 60 s). */
    public Duration getCredentialCacheTtl() { return credentialCacheTtl; }
    public void setCredentialCacheTtl(Duration credentialCacheTtl) { this.credentialCacheTtl = credentialCacheTtl; }
    /** How long a claim code stays valid. */
    public Duration getClaimCodeTtl() { return claimCodeTtl; }
    public void setClaimCodeTtl(Duration claimCodeTtl) { this.claimCodeTtl = claimCodeTtl; }
    /** Claim attempts per client address and minute ({@code POST /api/iot/claim}). */
    public int getClaimsPerMinute() { return claimsPerMinute; }
    public void setClaimsPerMinute(int claimsPerMinute) { this.claimsPerMinute = claimsPerMinute; }
}
