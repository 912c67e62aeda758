package org.labcommons.core.i18n;

import io.micronaut.context.annotation.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The UI's and the API's texts in zh-CN and en: every module's {@link MessageBundle}, merged.
 * zh-CN is the default: most users of a Chinese consortium read Chinese first. Built at start-up,
 * which fails when two bundles define the same key or a bundle file is missing.
 */
@Context
public class Messages {
    public static final Locale ZH_CN = Locale.SIMPLIFIED_CHINESE;
    public static final List<Locale> SUPPORTED = List.of(ZH_CN, Locale.ENGLISH);

    private final Map<Locale, Map<String, String>> byLocale;

    public Messages(List<MessageBundle> bundles) {
        List<MessageBundle> sorted = bundles.stream().sorted(Comparator.comparing(MessageBundle::baseName)).toList();
        Map<Locale, Map<String, String>> all = new HashMap<>();
        for (Locale locale : SUPPORTED) {
            Map<String, String> merged = new LinkedHashMap<>();
            Map<String, String> definedIn = new HashMap<>();
            for (MessageBundle bundle : sorted) {
                Map<String, String> texts = new LinkedHashMap<>(read(bundle, ZH_CN));
                if (!locale.equals(ZH_CN)) {
                    texts.putAll(read(bundle, locale));
                }
                for (Map.Entry<String, String> e : texts.entrySet()) {
                    String other = definedIn.putIfAbsent(e.getKey(), bundle.baseName());
                    if (other != null) {
                        throw new IllegalStateException("message key " + e.getKey() + " is defined in both "
                                + other + " and " + bundle.baseName());
                    }
                    merged.put(e.getKey(), e.getValue());
                }
            }
            all.put(locale, Collections.unmodifiableMap(merged));
        }
        this.byLocale = Map.copyOf(all);
    }

    /**
     * One bundle's own file for a supported locale ({@code <baseName>.properties} for zh-CN,
     * {@code <baseName>_en.properties} for en), in file order; a missing file or a key defined twice in it is an error.
     */
    public static Map<String, String> read(MessageBundle bundle, Locale locale) {
        String path = bundle.baseName() + (supported(locale).equals(ZH_CN) ? "" : "_en") + ".properties";
        ClassLoader loader = Optional.ofNullable(bundle.getClass().getClassLoader())
                .orElse(ClassLoader.getSystemClassLoader());
        Map<String, String> texts = new LinkedHashMap<>();
        try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("message bundle " + path + " is not on the classpath");
            }
            Properties ordered = new Properties() {
                @Override
                public synchronized Object put(Object key, Object value) {
                    if (texts.put((String) key, (String) value) != null) {
                        throw new IllegalStateException("message key " + key + " is defined twice in " + path);
                    }
                    return super.put(key, value);
                }
            };
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                ordered.load(reader);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(path, e);
        }
        return texts;
    }

    /** All messages for a supported locale, as a map a template can read. */
    public Map<String, String> all(Locale locale) {
        return byLocale.get(supported(locale));
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
