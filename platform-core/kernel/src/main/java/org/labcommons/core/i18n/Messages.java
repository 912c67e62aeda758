package org.labcommons.core.i18n;

import jakarta.inject.Singleton;

import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The UI's and the API's texts in zh-CN and en ({@code i18n/messages*.properties}, UTF-8).
 * zh-CN is the default: most users of a Chinese consortium read Chinese first.
 */
@Singleton
public class Messages {
    public static final Locale ZH_CN = Locale.SIMPLIFIED_CHINESE;
    public static final List<Locale> SUPPORTED = List.of(ZH_CN, Locale.ENGLISH);

    private final Map<Locale, Map<String, String>> cache = new ConcurrentHashMap<>();

    /** All messages for a supported locale, as a map a template can read. */
    public Map<String, String> all(Locale locale) {
        return cache.computeIfAbsent(supported(locale), l -> {
            ResourceBundle bundle = ResourceBundle.getBundle("i18n.messages", l,
                    ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
            Map<String, String> map = new LinkedHashMap<>();
            for (Enumeration<String> keys = bundle.getKeys(); keys.hasMoreElements(); ) {
                String key = keys.nextElement();
                map.put(key, bundle.getString(key));
            }
            return Collections.unmodifiableMap(map);
        });
    }

    public String get(Locale locale, String key) {
        return Optional.ofNullable(all(locale).get(key)).orElse(key);
    }

    /** The supported locale closest to {@code requested} (any Chinese to zh-CN, otherwise en). */
    public static Locale supported(Locale requested) {
        if (requested != null && "zh".equals(requested.getLanguage())) {
            return ZH_CN;
        }
        if (requested != null && "en".equals(requested.getLanguage())) {
            return Locale.ENGLISH;
        }
        return ZH_CN;
    }
}
