package org.labcommons.core.security;

/**
 * The keys of a token's (trusted) issuer cannot be obtained now: its provider failed or did not
 * answer in time, and no keys of it are on hand (or none for the token's {@code kid}). The API
 * answers 503 {@code issuer_unavailable} with {@code Retry-After}: the token may be genuine.
 */
public class IssuerKeysUnavailableException extends RuntimeException {
    private final long retryAfterSeconds;

    public IssuerKeysUnavailableException(String issuer, long retryAfterSeconds, Throwable cause) {
        super("keys of " + issuer + " unavailable" + (cause == null ? "" : ": " + cause), cause, false, false);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    /** When to try again: the rest of the issuer's failure memory, at least 1 s. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
