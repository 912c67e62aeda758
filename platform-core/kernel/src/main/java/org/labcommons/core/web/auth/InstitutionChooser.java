package org.labcommons.core.web.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import jakarta.inject.Singleton;
import org.labcommons.core.i18n.Messages;
import org.labcommons.core.security.TrustedIssuerRows;

import java.text.Collator;
import java.text.Normalizer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The sign-in page's institution chooser: the institutions a person may sign in through (every
 * active institution with an enabled identity provider of its own, read with
 * {@link TrustedIssuerRows#loginInstitutions()}; the consortium's issuer is never one of them: it
 * is the separate "outside user" choice), the filter by name (both languages, the slug and the
 * English name's initials), and the remembered choice (the cookie {@value #COOKIE}: the slug of
 * the institution last chosen in this browser, {@code HttpOnly}, {@code SameSite=Lax},
 * {@code Path=/}, for {@link #REMEMBERED}).
 */
@Singleton
public record InstitutionChooser(TrustedIssuerRows rows, WebLoginSettings settings) {
    /** The cookie remembering the institution chosen last. */
    public static final String COOKIE = "LC_INSTITUTION";
    /** How long the choice is remembered (the longest a browser keeps a cookie). */
    public static final Duration REMEMBERED = Duration.ofDays(400);
    /** Lower-case words left out of an English name's initials. */
    private static final Set<String> MINOR_WORDS = Set.of("of", "and", "the", "for", "in", "at", "&");

    /** An institution on the chooser: where its people sign in, and the text the filter matches. */
    public record Institution(String slug, String nameZh, String nameEn, String issuer, String initials) {
        /** The name in the page's language. */
        public String name(boolean zh) {
            return zh ? nameZh : nameEn;
        }

        /** The name in the other language (shown smaller, so either can be recognised). */
        public String otherName(boolean zh) {
            return zh ? nameEn : nameZh;
        }

        /** What the filter looks in: both names, the slug and the initials, normalised ({@link #normalise}). */
        public String searchText() {
            return normalise(String.join(" ", nameZh, nameEn, slug, initials));
        }

        /** Whether every word of {@code query} occurs in {@link #searchText()} (a blank query matches all). */
        public boolean matches(@Nullable String query) {
            String text = searchText();
            return terms(query).stream().allMatch(text::contains);
        }
    }

    /** Every institution a person may sign in through, one per tenant (its oldest issuer), by name in {@code locale}. */
    public List<Institution> all(Locale locale) {
        Map<String, Institution> bySlug = new LinkedHashMap<>();
        for (TrustedIssuerRows.LoginInstitution row : rows.loginInstitutions()) {
            if (!row.issuer().equals(settings.getIssuer())) {
                bySlug.putIfAbsent(row.slug(), new Institution(row.slug(), row.nameZh(), row.nameEn(), row.issuer(),
                        initials(row.nameEn())));
            }
        }
        boolean zh = Messages.ZH_CN.equals(locale);
        Collator collator = Collator.getInstance(zh ? Locale.CHINA : Locale.ENGLISH);
        List<Institution> sorted = new ArrayList<>(bySlug.values());
        sorted.sort(Comparator.comparing((Institution i) -> i.name(zh), collator).thenComparing(Institution::slug));
        return sorted;
    }

    /** The institution with this slug, if a person may sign in through it. */
    public Optional<Institution> find(@Nullable String slug) {
        if (slug == null || slug.isBlank()) {
            return Optional.empty();
        }
        String wanted = slug.strip();
        return all(Locale.ENGLISH).stream().filter(i -> i.slug().equals(wanted)).findFirst();
    }

    /** The institution this browser chose last ({@value #COOKIE}), if it still accepts sign-in. */
    public Optional<Institution> remembered(HttpRequest<?> request) {
        return request.getCookies().findCookie(COOKIE).map(Cookie::getValue).flatMap(this::find);
    }

    /** The cookie remembering {@code slug} as this browser's institution. */
    public static Cookie remember(String slug, boolean secure) {
        return Cookie.of(COOKIE, slug)
                .httpOnly(true)
                .secure(secure)
                .sameSite(SameSite.Lax)
                .path("/")
                .maxAge(REMEMBERED);
    }

    /** Initials of an English name's significant words: "Xiling University of Technology" is "XUT". */
    public static String initials(String nameEn) {
        return Arrays.stream(nameEn.split("[\\s\\-]+"))
                .filter(w -> !w.isEmpty() && !MINOR_WORDS.contains(w))
                .map(w -> w.substring(0, 1).toUpperCase(Locale.ROOT))
                .filter(c -> Character.isLetterOrDigit(c.charAt(0)))
                .collect(Collectors.joining());
    }

    /** Text as the filter compares it: NFKC (full-width letters become ASCII), lower case. */
    public static String normalise(@Nullable String text) {
        return text == null ? "" : Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    }

    /** The words of a query, normalised; none for a blank one. */
    static List<String> terms(@Nullable String query) {
        String q = normalise(query).strip();
        return q.isEmpty() ? List.of() : List.of(q.split("\\s+"));
    }
}
