package org.labcommons.core.web.auth;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
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
public class WebSessions {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration LOGIN_ATTEMPT_LIFETIME = Duration.ofMinutes(10);

    private final TransactionOperations<Connection> tx;

    public WebSessions(TransactionOperations<Connection> tx) {
        this.tx = tx;
    }

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
            try (PreparedStatement ps = s.getConnection().prepareStatement(
                    "insert into web_login_attempt (state_hash, code_verifier, nonce, issuer, return_to) values (?, ?, ?, ?, ?)")) {
                ps.setString(1, hash(state));
                ps.setString(2, attempt.codeVerifier());
                ps.setString(3, attempt.nonce());
                ps.setString(4, attempt.issuer());
                ps.setString(5, attempt.returnTo());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = s.getConnection().prepareStatement(
                    "delete from web_login_attempt where created_at < now() - make_interval(secs => ?)")) {
                ps.setLong(1, LOGIN_ATTEMPT_LIFETIME.toSeconds());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Takes (and so uses up) the attempt for {@code state}; empty when unknown or expired. */
    public Optional<LoginAttempt> takeLoginAttempt(String state) {
        return tx.executeWrite(s -> {
            try (PreparedStatement ps = s.getConnection().prepareStatement(
                    "delete from web_login_attempt where state_hash = ? and created_at >= now() - make_interval(secs => ?) "
                            + "returning code_verifier, nonce, issuer, return_to")) {
                ps.setString(1, hash(state));
                ps.setLong(2, LOGIN_ATTEMPT_LIFETIME.toSeconds());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new LoginAttempt(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                            : Optional.empty();
                }
            }
        });
    }

    public Created create(String issuer, String subject, String displayName, Duration lifetime) {
        String raw = randomToken();
        WebSession session = new WebSession(hash(raw), issuer, subject, displayName, randomToken(),
                Instant.now().plus(lifetime));
        tx.executeWrite(s -> {
            try (PreparedStatement ps = s.getConnection().prepareStatement(
                    "insert into web_session (id_hash, issuer, subject, display_name, csrf_token, expires_at) values (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, session.idHash());
                ps.setString(2, issuer);
                ps.setString(3, subject);
                ps.setString(4, displayName);
                ps.setString(5, session.csrfToken());
                ps.setTimestamp(6, Timestamp.from(session.expiresAt()));
                ps.executeUpdate();
            }
            return null;
        });
        return new Created(raw, session);
    }

    public Optional<WebSession> find(String rawId) {
        if (rawId == null || rawId.length() != 43) {
            return Optional.empty();
        }
        return tx.executeRead(s -> {
            try (PreparedStatement ps = s.getConnection().prepareStatement(
                    "select id_hash, issuer, subject, display_name, csrf_token, expires_at from web_session "
                            + "where id_hash = ? and expires_at > now()")) {
                ps.setString(1, hash(rawId));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new WebSession(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getTimestamp(6).toInstant()))
                            : Optional.empty();
                }
            }
        });
    }

    public void delete(WebSession session) {
        tx.executeWrite(s -> {
            try (PreparedStatement ps = s.getConnection().prepareStatement("delete from web_session where id_hash = ?")) {
                ps.setString(1, session.idHash());
                ps.executeUpdate();
            }
            return null;
        });
    }
}
