package org.labcommons.core.web.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;

/**
 * Ties a pending sign-in to the browser that started it (against login CSRF: a victim must never
 * be signed in by a callback URL an attacker obtained for their own account). {@code /login} sets
 * the cookie {@value #COOKIE}, holding the SHA-256 of the state (base64url), for
 * {@value #PATH} only, {@code HttpOnly}, {@code SameSite=Lax} (the provider's redirect back is a
 * top-level GET, which carries it), {@code Secure} when the platform is reached over https, and
 * for as long as the pending sign-in lives; the callback requires it, compares it in constant time
 * and clears it whatever the outcome.
 */
public final class LoginBinding {
    public static final String COOKIE = "LC_LOGIN";
    public static final String PATH = "/login/callback";

    private LoginBinding() {
    }

    /** The cookie's value for {@code state}: its SHA-256, base64url without padding. */
    public static String of(String state) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(state.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the browser's cookie value binds it to {@code state} (constant time; no cookie: false). */
    public static boolean matches(@Nullable String cookieValue, String state) {
        return cookieValue != null && MessageDigest.isEqual(of(state).getBytes(StandardCharsets.US_ASCII),
                cookieValue.getBytes(StandardCharsets.UTF_8));
    }

    /** The binding cookie for {@code state}, alive as long as a pending sign-in. */
    static Cookie set(String state, boolean secure) {
        return cookie(of(state), secure, WebSessions.LOGIN_ATTEMPT_LIFETIME);
    }

    /** The cookie that removes the binding (Max-Age=0). */
    static Cookie clear(boolean secure) {
        return cookie("", secure, Duration.ZERO);
    }

    private static Cookie cookie(String value, boolean secure, Duration maxAge) {
        return Cookie.of(COOKIE, value)
                .httpOnly(true)
                .secure(secure)
                .sameSite(SameSite.Lax)
                .path(PATH)
                .maxAge(maxAge);
    }
}
