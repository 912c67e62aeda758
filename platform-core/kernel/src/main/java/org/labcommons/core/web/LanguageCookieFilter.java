package org.labcommons.core.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import org.labcommons.core.i18n.Messages;

import java.time.Duration;
import java.util.Locale;

/**
 * Remembers a page language chosen with {@code ?lang=} in the {@value UiLocale#COOKIE} cookie, so
 * links that do not carry {@code lang} keep it (see {@link UiLocale}).
 */
@ServerFilter(patterns = {"/**"})
public class LanguageCookieFilter {

    @ResponseFilter
    public void remember(HttpRequest<?> request, MutableHttpResponse<?> response) {
        String path = request.getPath();
        if (path.startsWith("/api/") || path.startsWith("/static/") || path.startsWith("/webjars/")) {
            return;
        }
        String lang = request.getParameters().get("lang");
        if (lang == null || lang.isBlank()) {
            return;
        }
        String tag = Messages.supported(Locale.forLanguageTag(lang.strip())).toLanguageTag();
        if (!tag.equals(request.getCookies().findCookie(UiLocale.COOKIE).map(Cookie::getValue).orElse(null))) {
            response.cookie(Cookie.of(UiLocale.COOKIE, tag).path("/").sameSite(SameSite.Lax).httpOnly(true)
                    .maxAge(Duration.ofDays(365)));
        }
    }
}
