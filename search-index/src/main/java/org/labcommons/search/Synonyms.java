package org.labcommons.search;

import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Instrument-type synonyms across languages and abbreviations (TEM = 透射电镜 = transmission electron
 * microscope): the built-in {@code search/synonyms.txt} plus an admins' file
 * ({@code labcommons.search.synonyms-path}), re-read when that file changes.
 *
 * <p>Expansion happens in the query, not in an analyzer: the words of a query that name a known
 * group are replaced by "any member of the group", each member searched in the fields of its own
 * language (a Chinese member in the Chinese fields with the CJK analyzer, an English one in the
 * English fields). So a Chinese name matches an English query, editing synonyms needs no reindex,
 * and the mapping stays the same on the minimal and the full Elasticsearch distributions.
 * Latin members match on word boundaries, so "TEM" never matches inside "system"; a multi-word
 * member also matches with small typos per word ("tranmission electron microscope").
 */
@Singleton
public class Synonyms {
    private static final Logger LOG = LoggerFactory.getLogger(Synonyms.class);

    /** One group of equivalent names. */
    public record Group(List<String> terms) {
        public String label() {
            return terms.get(0);
        }
    }

    /** What a query says: the groups it names (in order) and the rest of its text. */
    public record Expansion(List<Group> groups, String rest) {
    }

    private record Term(String normalized, String[] words, boolean latin, Group group) {
    }

    private final SearchSettings settings;
    private final List<Group> builtIn;
    private volatile List<Term> terms;
    private volatile long extraModified = -1;
    private volatile long checkedAt;

    public Synonyms(SearchSettings settings) {
        this.settings = settings;
        try (InputStream in = Synonyms.class.getResourceAsStream("/search/synonyms.txt")) {
            this.builtIn = parse(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("search/synonyms.txt missing", e);
        }
        this.terms = index(builtIn, List.of());
        reloadIfChanged();
    }

    /** All groups now in force (built-in first). */
    public List<Group> groups() {
        reloadIfChanged();
        return terms.stream().map(Term::group).distinct().toList();
    }

    /** Parses the file format: comma-separated equivalents per line, {@code #} comments. */
    public static List<Group> parse(Reader reader) throws IOException {
        List<Group> out = new ArrayList<>();
        BufferedReader r = new BufferedReader(reader);
        String line;
        while ((line = r.readLine()) != null) {
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            Set<String> members = new LinkedHashSet<>();
            for (String part : line.split("[,，]")) {
                String t = part.strip();
                if (!t.isEmpty()) {
                    members.add(t);
                }
            }
            if (members.size() >= 2) {
                out.add(new Group(List.copyOf(members)));
            }
        }
        return out;
    }

    /** Finds the groups {@code query} names, longest member first, and returns what is left. */
    public Expansion expand(String query) {
        reloadIfChanged();
        String text = normalize(query);
        List<Group> found = new ArrayList<>();
        StringBuilder rest = new StringBuilder(text);
        for (Term t : terms) {
            int at = find(rest, t);
            while (at >= 0) {
                if (!found.contains(t.group())) {
                    found.add(t.group());
                }
                for (int i = at; i < at + t.normalized().length(); i++) {
                    rest.setCharAt(i, ' ');
                }
                at = find(rest, t);
            }
        }
        // typo-tolerant pass over what is left: multi-word Latin members, word by word
        String[] words = rest.toString().strip().split("\\s+");
        if (words.length >= 2) {
            for (Term t : terms) {
                if (!t.latin() || t.words().length < 2 || found.contains(t.group())) {
                    continue;
                }
                int at = fuzzyFind(words, t.words());
                if (at >= 0) {
                    found.add(t.group());
                    for (int i = at; i < at + t.words().length; i++) {
                        words[i] = "";
                    }
                }
            }
            rest = new StringBuilder(String.join(" ", words));
        }
        return new Expansion(found, rest.toString().replaceAll("\\s+", " ").strip());
    }

    private static int find(CharSequence text, Term t) {
        String hay = text.toString();
        int from = 0;
        while (true) {
            int at = hay.indexOf(t.normalized(), from);
            if (at < 0) {
                return -1;
            }
            if (!t.latin() || boundary(hay, at - 1) && boundary(hay, at + t.normalized().length())) {
                return at;
            }
            from = at + 1;
        }
    }

    private static boolean boundary(String s, int i) {
        if (i < 0 || i >= s.length()) {
            return true;
        }
        char c = s.charAt(i);
        return !(c < 128 && Character.isLetterOrDigit(c));
    }

    private static int fuzzyFind(String[] words, String[] member) {
        for (int start = 0; start + member.length <= words.length; start++) {
            boolean all = true;
            for (int j = 0; j < member.length && all; j++) {
                String w = words[start + j];
                String m = member[j];
                int allowed = m.length() >= 8 ? 2 : m.length() >= 5 ? 1 : 0;
                all = !w.isEmpty() && Math.abs(w.length() - m.length()) <= allowed && distance(w, m) <= allowed;
            }
            if (all) {
                return start;
            }
        }
        return -1;
    }

    /** Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** NFKC (full-width to half-width), lower case, separators ({@code - _ /}) as spaces, one space. */
    public static String normalize(String s) {
        String n = Normalizer.normalize(s == null ? "" : s, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        return n.replaceAll("[-_/·]", " ").replaceAll("\\s+", " ").strip();
    }

    private static boolean isLatin(String s) {
        return s.chars().allMatch(c -> c < 0x2E80);
    }

    private static List<Term> index(List<Group> builtIn, List<Group> extra) {
        List<Group> all = new ArrayList<>(builtIn);
        all.addAll(extra);
        List<Term> out = new ArrayList<>();
        for (Group g : all) {
            for (String member : g.terms()) {
                String n = normalize(member);
                if (!n.isEmpty()) {
                    out.add(new Term(n, n.split(" "), isLatin(n), g));
                }
            }
        }
        out.sort(Comparator.comparingInt((Term t) -> t.normalized().length()).reversed());
        return List.copyOf(out);
    }

    private void reloadIfChanged() {
        String path = settings.getSynonymsPath();
        long now = System.nanoTime();
        if (path == null || path.isBlank() || now - checkedAt < 5_000_000_000L && extraModified >= 0) {
            return;
        }
        checkedAt = now;
        Path file = Path.of(path);
        try {
            long modified = Files.exists(file) ? Files.getLastModifiedTime(file).toMillis() : 0;
            if (modified == extraModified) {
                return;
            }
            List<Group> extra = modified == 0 ? List.of()
                    : parse(Files.newBufferedReader(file, StandardCharsets.UTF_8));
            terms = index(builtIn, extra);
            extraModified = modified;
            LOG.info("search: {} synonym groups from {} in force", extra.size(), file);
        } catch (IOException e) {
            LOG.warn("search: synonyms file {} unreadable ({}); keeping the previous groups", file, e.toString());
        }
    }
}
