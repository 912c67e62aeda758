package org.labcommons.core.web.auth;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/** A signed-in browser: who (issuer, subject), and the token its forms must carry. */
public record WebSession(String idHash, String issuer, String subject, @Nullable String displayName,
                         String csrfToken, Instant expiresAt) {
    /** Request attribute under which the current session is found. */
    public static final String ATTRIBUTE = "labcommons.webSession";
    public static final String COOKIE = "LC_SESSION";
}
