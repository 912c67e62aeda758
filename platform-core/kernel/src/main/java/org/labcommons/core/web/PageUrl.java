package org.labcommons.core.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The current page's address, for links that change one parameter and keep the rest: in a
 * template, {@code th:href="${here.with('page', 2)}"}, {@code ${here.with('sort', '-nameEn')}},
 * {@code ${here.without('q')}} (the layout's model holds it as {@code here}). Parameters keep their
 * order and their original encoding; the changed one goes last.
 */
public record PageUrl(String path, @Nullable String rawQuery) {

    public static PageUrl of(HttpRequest<?> request) {
        return new PageUrl(request.getPath(), request.getUri().getRawQuery());
    }

    /** This address with {@code name} set to {@code value} (replacing every earlier value). */
    public String with(String name, Object value) {
        List<String> kept = others(name);
        kept.add(enc(name) + "=" + enc(String.valueOf(value)));
        return path + "?" + String.join("&", kept);
    }

    /** This address without {@code name}. */
    public String without(String name) {
        List<String> kept = others(name);
        return kept.isEmpty() ? path : path + "?" + String.join("&", kept);
    }

    private List<String> others(String name) {
        List<String> kept = new ArrayList<>();
        if (rawQuery != null) {
            String encoded = enc(name);
            for (String pair : rawQuery.split("&")) {
                if (!pair.isEmpty() && !pair.equals(encoded) && !pair.startsWith(encoded + "=")) {
                    kept.add(pair);
                }
            }
        }
        return kept;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return rawQuery == null || rawQuery.isEmpty() ? path : path + "?" + rawQuery;
    }
}
