package org.labcommons.core.security;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code labcommons.security.issuer-keys.*}: how trusted issuers' signing keys are fetched and kept
 * ({@link IssuerKeys}; defaults in brackets; env LABCOMMONS_SECURITY_ISSUER_KEYS_…).
 * <ul>
 *   <li>{@code timeout} [3s]: connect and read timeout of each fetch (discovery document, JWKS), and
 *       the longest a request waits for a fetch it needs (the first one of an issuer, or one for an
 *       unknown {@code kid});</li>
 *   <li>{@code refresh-after} [5m]: keys older than this are fetched again in the background, on
 *       their next use; that request and every other one go on with the keys on hand;</li>
 *   <li>{@code failure-memory} [30s]: after a failed fetch, no request of that issuer waits for (or
 *       starts) another for this long; tokens are checked with the last keys obtained, or answered
 *       503 {@code issuer_unavailable} with {@code Retry-After} when there are none;</li>
 *   <li>{@code kid-refresh-interval} [30s]: a token whose {@code kid} the keys on hand lack starts at
 *       most one fetch per issuer per interval (so key rotation works and random kids cost nothing).</li>
 * </ul>
 */
@ConfigurationProperties("labcommons.security.issuer-keys")
public class IssuerKeySettings {
    private Duration timeout = Duration.ofSeconds(3);
    private Duration refreshAfter = Duration.ofMinutes(5);
    private Duration failureMemory = Duration.ofSeconds(30);
    private Duration kidRefreshInterval = Duration.ofSeconds(30);

    public Duration getTimeout() { return timeout; }
    public void setTimeout(Duration timeout) { this.timeout = positive(timeout, "timeout"); }
    public Duration getRefreshAfter() { return refreshAfter; }
    public void setRefreshAfter(Duration refreshAfter) { this.refreshAfter = positive(refreshAfter, "refresh-after"); }
    public Duration getFailureMemory() { return failureMemory; }
    public void setFailureMemory(Duration failureMemory) { this.failureMemory = positive(failureMemory, "failure-memory"); }
    public Duration getKidRefreshInterval() { return kidRefreshInterval; }
    public void setKidRefreshInterval(Duration kidRefreshInterval) {
        this.kidRefreshInterval = positive(kidRefreshInterval, "kid-refresh-interval");
    }

    private static Duration positive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("labcommons.security.issuer-keys." + name + " must be positive, not " + value);
        }
        return value;
    }
}
