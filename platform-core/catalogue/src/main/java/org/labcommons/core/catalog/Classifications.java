package org.labcommons.core.catalog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The national instrument classification (NRII, 739 codes in three levels), read once from the
 * global reference table {@code instrument_class} and kept in memory: it changes only with a
 * migration.
 */
@Singleton
public class Classifications {
    private final ClassificationRows rows;
    private volatile Map<String, Entry> byCode;
    private volatile List<Folded> folded;

    public Classifications(ClassificationRows rows) {
        this.rows = rows;
    }

    /** One class: its code, parent, level (1–3) and names. */
    @Serdeable
    public record Entry(String code, @Nullable String parentCode, int level, String nameZh, @Nullable String nameEn) {
        public String name(boolean zh) {
            return zh || nameEn == null ? nameZh : nameEn;
        }
    }

    public boolean exists(String code) {
        return all().containsKey(code);
    }

    public Optional<Entry> find(String code) {
        return Optional.ofNullable(code == null ? null : all().get(code));
    }

    /** The class and its ancestors, top level first (empty for an unknown code). */
    public List<Entry> path(String code) {
        List<Entry> out = new ArrayList<>();
        Entry e = code == null ? null : all().get(code);
        while (e != null) {
            out.add(0, e);
            e = e.parentCode() == null ? null : all().get(e.parentCode());
        }
        return out;
    }

    /** Children of {@code parent} in code order; the top level for {@code null}. */
    public List<Entry> children(@Nullable String parent) {
        return all().values().stream()
                .filter(e -> parent == null ? e.parentCode() == null : parent.equals(e.parentCode())).toList();
    }

    /** Every class in code order. */
    public Map<String, Entry> all() {
        Map<String, Entry> m = byCode;
        if (m == null) {
            synchronized (this) {
                if (byCode == null) {
                    byCode = load();
                }
                m = byCode;
            }
        }
        return m;
    }

    /**
     * Classes whose Chinese or English name contains {@code query}, or whose code starts with it, for
     * autocomplete: case-insensitive, and compared after Unicode compatibility folding without
     * accents (so "mossbauer" finds "Mössbauer", full-width "／" equals "/" and an en dash a
     * hyphen). Best first: an exact name, then a name (or code) that starts with the query, then a
     * word that does, then any other match; deeper (more specific) classes before their parents,
     * then code order. A blank query finds nothing.
     */
    public List<Entry> search(String query, int limit) {
        String q = fold(query == null ? "" : query.strip());
        if (q.isEmpty() || limit <= 0) {
            return List.of();
        }
        record Hit(Entry entry, int rank) {
        }
        List<Hit> hits = new ArrayList<>();
        for (Folded f : folded()) {
            int rank = Math.min(rank(f.nameZh(), q), rank(f.nameEn(), q));
            if (f.entry().code().startsWith(q)) {
                rank = Math.min(rank, 1);
            }
            if (rank != Integer.MAX_VALUE) {
                hits.add(new Hit(f.entry(), rank));
            }
        }
        hits.sort(Comparator.comparingInt(Hit::rank)
                .thenComparingInt(h -> -h.entry().level())
                .thenComparing(h -> h.entry().code()));
        return hits.stream().limit(limit).map(Hit::entry).toList();
    }

    /** An entry with its names folded once for {@link #search}. */
    private record Folded(Entry entry, String nameZh, String nameEn) {
    }

    private List<Folded> folded() {
        List<Folded> f = folded;
        if (f == null) {
            f = all().values().stream()
                    .map(e -> new Folded(e, fold(e.nameZh()), e.nameEn() == null ? "" : fold(e.nameEn()))).toList();
            folded = f;
        }
        return f;
    }

    private static int rank(String name, String q) {
        if (name.equals(q)) {
            return 0;
        }
        if (name.startsWith(q)) {
            return 1;
        }
        int at = name.indexOf(q);
        if (at < 0) {
            return Integer.MAX_VALUE;
        }
        while (at >= 0) {
            if (!Character.isLetterOrDigit(name.charAt(at - 1))) {
                return 2;
            }
            at = name.indexOf(q, at + 1);
        }
        return 3;
    }

    /** NFKD, combining marks removed, every dash a hyphen, lower case (root locale). */
    static String fold(String s) {
        String d = Normalizer.normalize(s, Normalizer.Form.NFKD);
        return d.replaceAll("\\p{M}+", "").replaceAll("\\p{Pd}", "-").toLowerCase(Locale.ROOT);
    }

    private Map<String, Entry> load() {
        Map<String, Entry> out = new LinkedHashMap<>();
        for (ClassificationRows.Row r : rows.all()) {
            out.put(r.code(), new Entry(r.code(), r.parentCode(), r.level(), r.nameZh(), r.nameEn()));
        }
        return Collections.unmodifiableMap(out);
    }
}
