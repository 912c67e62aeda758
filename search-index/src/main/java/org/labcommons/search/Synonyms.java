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

    /**
     * One group of equivalent names. {@code id} is a fingerprint of its members (normalised, in
     * order): the key the index stores for it ({@code typeKeys}); a group whose members change gets
     * another id, so an index built before the change is never asked for it.
     */
    public record Group(String id, List<String> terms) {
        public Group(List<String> terms) {
            this(fingerprint(terms), terms);
        }

        public String label() {
            return terms.get(0);
        }
    }

    /** The text of a document that synonym keys are computed from. */
    public record DocumentText(String nameZh, String nameEn, List<String> classNamesZh, List<String> classNamesEn,
                               List<String> serviceNamesZh, List<String> serviceNamesEn, String descriptionZh,
                               String descriptionEn) {
    }

    /** What a query says: the groups it names (in order) and the rest of its text. */
    public record Expansion(List<Group> groups, String rest) {
    }

    private record Term(String normalized, String[] words, boolean latin, Group group, Set<String> tokens) {
    }

    /**
     * Stop words of Lucene's English and CJK analyzers: Elasticsearch drops them from both the
     * member and the field, so they must not decide a match here either.
     */
    private static final Set<String> STOP = Set.of("a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if",
            "in", "into", "is", "it", "no", "not", "of", "on", "or", "s", "such", "t", "that", "the", "their", "then",
            "there", "these", "they", "this", "to", "was", "will", "with", "www");

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
        StringBuilder rest = new StringBuilder(text);
        List<Group> found = exact(rest);
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

    /**
     * The synonym-group keys of one document ({@code typeKeys}): the ids of the groups in force now
     * any of whose members matches the document the way the member-by-member expansion matches in
     * Elasticsearch, so that one {@code term} on the keys admits what the expansion admitted: every
     * token of a member ({@link #tokens}) in one field of its language — a Chinese member in the
     * Chinese name, classification, service names or description, a Latin one in the English ones
     * or the Chinese name.
     */
    public List<String> keys(DocumentText d) {
        reloadIfChanged();
        List<Set<String>> zh = new ArrayList<>();
        List<Set<String>> latin = new ArrayList<>();
        Set<String> nameZh = tokens(d.nameZh());
        zh.add(nameZh);
        zh.add(tokens(d.classNamesZh()));
        zh.add(tokens(d.serviceNamesZh()));
        zh.add(tokens(d.descriptionZh()));
        latin.add(tokens(d.nameEn()));
        latin.add(nameZh);
        latin.add(tokens(d.classNamesEn()));
        latin.add(tokens(d.serviceNamesEn()));
        latin.add(tokens(d.descriptionEn()));
        Set<String> keys = new LinkedHashSet<>();
        for (Term t : terms) {
            if (t.tokens().isEmpty() || keys.contains(t.group().id())) {
                continue;
            }
            for (Set<String> field : t.latin() ? latin : zh) {
                if (field.containsAll(t.tokens())) {
                    keys.add(t.group().id());
                    break;
                }
            }
        }
        return List.copyOf(keys);
    }

    /** The groups named in {@code rest}, longest member first; each found member is blanked out of it. */
    private List<Group> exact(StringBuilder rest) {
        List<Group> found = new ArrayList<>();
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
        return found;
    }

    /**
     * The tokens Elasticsearch's {@code cjk} and {@code english} analyzers would make of
     * {@code text}, approximately: NFKC, lower case, Han runs as overlapping bigrams (a lone Han
     * character as itself), other letters and digits as words without stop words, a plural "s"
     * dropped (the English stemmer does more; both sides get the same treatment here).
     */
    static Set<String> tokens(@io.micronaut.core.annotation.Nullable Object text) {
        Set<String> out = new LinkedHashSet<>();
        if (text instanceof List<?> list) {
            for (Object o : list) {
                out.addAll(tokens(o));
            }
            return out;
        }
        if (!(text instanceof String s) || s.isBlank()) {
            return out;
        }
        String n = Normalizer.normalize(s, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        StringBuilder word = new StringBuilder();
        StringBuilder han = new StringBuilder();
        for (int i = 0; i <= n.length(); i++) {
            char c = i < n.length() ? n.charAt(i) : ' ';
            boolean isHan = Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN;
            if (!isHan && han.length() > 0) {
                if (han.length() == 1) {
                    out.add(han.toString());
                }
                for (int j = 0; j + 1 < han.length(); j++) {
                    out.add(han.substring(j, j + 2));
                }
                han.setLength(0);
            }
            if ((isHan || !Character.isLetterOrDigit(c)) && word.length() > 0) {
                String w = word.toString();
                if (!STOP.contains(w)) {
                    out.add(stem(w));
                }
                word.setLength(0);
            }
            if (isHan) {
                han.append(c);
            } else if (Character.isLetterOrDigit(c)) {
                word.append(c);
            }
        }
        return out;
    }

    private static String stem(String w) {
        if (w.length() > 4 && w.endsWith("ies")) {
            return w.substring(0, w.length() - 3) + "y";
        }
        if (w.length() > 3 && w.endsWith("s") && !w.endsWith("ss") && w.chars().allMatch(Character::isLetter)) {
            return w.substring(0, w.length() - 1);
        }
        return w;
    }

    static String fingerprint(List<String> terms) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            for (String t : terms) {
                sha.update(normalize(t).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            }
            return java.util.HexFormat.of().formatHex(sha.digest(), 0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
                    out.add(new Term(n, n.split(" "), isLatin(n), g, tokens(member)));
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
