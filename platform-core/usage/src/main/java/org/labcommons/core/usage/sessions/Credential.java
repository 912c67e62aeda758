package org.labcommons.core.usage.sessions;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/** A person's card or login name ({@code person_credential}), as the session builder matches it. */
@Introspected
public record Credential(String kind, String value, UUID userId, @Nullable Instant validUntil) {
    public static final String CARD = "card";
    public static final String LOGIN = "login";

    /** A card number as stored and matched: upper case, without spaces, colons and dashes. */
    public static String normaliseCard(String card) {
        return card == null ? null : card.replaceAll("[\\s:\\-]", "").toUpperCase(Locale.ROOT);
    }

    /** A login name as matched: trimmed. */
    public static String normaliseLogin(String login) {
        return login == null ? null : login.trim();
    }

    /** The key a credential is looked up by ({@code kind + ":" + normalised value}). */
    public String key() {
        return key(kind, value);
    }

    public static String key(String kind, String value) {
        return kind + ":" + (CARD.equals(kind) ? normaliseCard(value) : normaliseLogin(value));
    }

    /** Whether it was valid at {@code at}. */
    public boolean validAt(Instant at) {
        return validUntil == null || at.isBefore(validUntil);
    }
}
