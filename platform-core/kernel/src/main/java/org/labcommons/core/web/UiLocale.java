package org.labcommons.core.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.cookie.Cookie;
import org.labcommons.core.i18n.Messages;

import java.util.Locale;

/**
 * The page language: an explicit {@code ?lang=} wins, then the language last chosen that way
 * (cookie {@value #COOKIE}, see {@link LanguageCookieFilter}), then Accept-Language, then zh-CN.
 */
public final class UiLocale {
    /** The cookie remembering the chosen page language. */
    public static final String COOKIE = "LC_LANG";

    private UiLocale() {
    }

    public static Locale resolve(HttpRequest<?> request, @Nullable String lang) {
        if (lang != null && !lang.isBlank()) {
            return Messages.supported(Locale.forLanguageTag(lang.strip()));
        }
        String remembered = request.getCookies().findCookie(COOKIE).map(Cookie::getValue).orElse(null);
        if (remembered != null && !remembered.isBlank()) {
            return Messages.supported(Locale.forLanguageTag(remembered));
        }
        return Messages.supported(request.getLocale().orElse(Messages.ZH_CN));
    }
}
