package org.labcommons.core.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import org.labcommons.core.i18n.Messages;

import java.util.Locale;

/** The page language: an explicit {@code ?lang=} wins, then Accept-Language, then zh-CN. */
public final class UiLocale {
    private UiLocale() {
    }

    public static Locale resolve(HttpRequest<?> request, @Nullable String lang) {
        if (lang != null && !lang.isBlank()) {
            return Messages.supported(Locale.forLanguageTag(lang));
        }
        return Messages.supported(request.getLocale().orElse(Messages.ZH_CN));
    }
}
