package org.labcommons.core.web.auth;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Browser sessions and pending logins in PostgreSQL (so any server instance can serve any
 * request). The browser holds a random 256-bit id; only its SHA-256 is stored.
 */
@Singleton
public record WebSessions(TransactionOperations<Connection> tx, WebSessionRows sessions, LoginAttemptRows attempts) {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How long a pending sign-in (and the cookie binding it to its browser) lives. */
    static final Duration LOGIN_ATTEMPT_LIFETIME = Duration.ofMinutes(10);

    /** A pending login, found again by its state on the callback. */
    public record LoginAttempt(String codeVerifier, String nonce, String issuer, String returnTo) {
    }

    /** A new session: the raw id for the cookie, and the stored session. */
    public record Created(String rawId, WebSession session) {
    }

    public static String randomToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String hash(String raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public void saveLoginAttempt(String state, LoginAttempt attempt) {
        tx.executeWrite(s -> {
            attempts.save(new LoginAttemptRows.Row(hash(state), attempt.codeVerifier(), attempt.nonce(), attempt.issuer(),
                    attempt.returnTo(), null));
            attempts.deleteOlderThan(LOGIN_ATTEMPT_LIFETIME.toSeconds());
            return null;
        });
    }

    /** Takes (and so uses up) the attempt for {@code state}; empty when unknown or expired. */
    public Optional<LoginAttempt> takeLoginAttempt(String state) {
        String stateHash = hash(state);
        return tx.executeWrite(s -> attempts.younger(stateHash, LOGIN_ATTEMPT_LIFETIME.toSeconds())
                // the delete decides: of two callbacks racing with one state, one deletes the row
                .filter(row -> attempts.deleteById(row.stateHash()) == 1)
                .map(row -> new LoginAttempt(row.codeVerifier(), row.nonce(), row.issuer(), row.returnTo())));
    }

    public Created create(String issuer, String subject, String displayName, Duration lifetime) {
        String raw = randomToken();
        WebSession session = new WebSession(hash(raw), issuer, subject, displayName, randomToken(),
                Instant.now().plus(lifetime));
        sessions.save(new WebSessionRows.Row(session.idHash(), issuer, subject, displayName, session.csrfToken(), null,
                session.expiresAt()));
        return new Created(raw, session);
    }

    /** The live session for the cookie's raw id (one statement, on a pooled connection of its own). */
    public Optional<WebSession> find(String rawId) {
        if (rawId == null || rawId.length() != 43) {
            return Optional.empty();
        }
        return sessions.live(hash(rawId)).map(WebSessionRows.Row::toSession);
    }

    public void delete(WebSession session) {
        sessions.deleteById(session.idHash());
    }
}
