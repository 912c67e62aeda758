package org.labcommons.core.reports.outputs;

import io.micronaut.core.annotation.Nullable;
import org.labcommons.core.problem.ProblemException.FieldProblem;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The field checks of an output (pure): each bad field one {@link FieldProblem} naming it. {@link #normalise} gives the
 * stored form (trimmed, blank as null, a DOI without its resolver prefix, lower-case kind and category).
 */
public final class OutputChecks {
    public static final List<String> KINDS = List.of("paper", "award", "patent", "project");
    /** The categories of each kind (optional on an output). */
    public static final Map<String, List<String>> CATEGORIES = Map.of(
            "paper", List.of("journal", "conference", "thesis", "book"),
            "award", List.of("national", "provincial", "ministerial", "other"),
            "patent", List.of("invention", "utility_model", "design", "software_copyright"),
            "project", List.of("national", "provincial", "enterprise", "other"));
    /** A DOI: 10.<registrant code of 4-9 digits, sub-codes allowed>/<suffix without spaces> (Crossref's pattern, widened). */
    static final Pattern DOI = Pattern.compile("^10\\.\\d{4,9}(\\.\\d+)*/\\S{1,190}$");
    /** A patent number as offices print it: an optional country code, then digits (a check digit after a dot, a kind code). */
    static final Pattern PATENT = Pattern.compile("^([A-Z]{2})?\\s?\\d{5,14}(\\.[0-9X])?(\\s?[A-Z]\\d?)?$");
    /** A grant code: letters, digits and - / . _ ( ) and spaces, starting with a letter or a digit. */
    static final Pattern GRANT = Pattern.compile("^[\\p{L}\\p{N}][\\p{L}\\p{N}\\-/._() ]{0,63}$");

    private OutputChecks() {
    }

    /** The trimmed, normalised input (blank fields null). */
    public static OutputInput normalise(OutputInput in) {
        String doi = blank(in.doi());
        if (doi != null) {
            doi = doi.replaceFirst("(?i)^(https?://)?(dx\\.)?doi\\.org/", "").replaceFirst("(?i)^doi:\\s*", "");
        }
        String patent = blank(in.patentNumber());
        return new OutputInput(lower(in.kind()), lower(in.category()), blank(in.title()), in.year(), blank(in.people()),
                doi, patent == null ? null : patent.toUpperCase(Locale.ROOT), blank(in.grantCode()),
                in.instrumentIds(), in.bookingId(), in.usageSessionId());
    }

    /** The problems of a normalised input ({@code thisYear}: the latest year allowed is the next one). */
    public static List<FieldProblem> check(OutputInput in, int thisYear) {
        List<FieldProblem> out = new ArrayList<>();
        String kind = in.kind();
        if (kind == null || !KINDS.contains(kind)) {
            out.add(new FieldProblem("kind", "one_of", "output.validation.one_of", Map.of("values", String.join(", ", KINDS))));
        } else if (in.category() != null && !CATEGORIES.get(kind).contains(in.category())) {
            out.add(new FieldProblem("category", "one_of", "output.validation.one_of",
                    Map.of("values", String.join(", ", CATEGORIES.get(kind)))));
        }
        text(out, "title", in.title(), 500, true);
        text(out, "people", in.people(), 2000, true);
        if (in.year() == null) {
            out.add(new FieldProblem("year", "not_null", "validation.not_null", Map.of()));
        } else if (in.year() < 1950 || in.year() > thisYear + 1) {
            out.add(new FieldProblem("year", "range", "output.validation.year", Map.of("min", 1950, "max", thisYear + 1)));
        }
        if (in.doi() != null && !"paper".equals(kind)) {
            out.add(new FieldProblem("doi", "papers_only", "output.validation.doi_papers_only", Map.of()));
        } else if (in.doi() != null && !DOI.matcher(in.doi()).matches()) {
            out.add(new FieldProblem("doi", "invalid_format", "output.validation.doi", Map.of()));
        }
        if ("patent".equals(kind) && in.patentNumber() == null) {
            out.add(new FieldProblem("patentNumber", "not_blank", "validation.not_blank", Map.of()));
        } else if (in.patentNumber() != null && !"patent".equals(kind)) {
            out.add(new FieldProblem("patentNumber", "patents_only", "output.validation.patents_only", Map.of()));
        } else if (in.patentNumber() != null && !PATENT.matcher(in.patentNumber()).matches()) {
            out.add(new FieldProblem("patentNumber", "invalid_format", "output.validation.patent_number", Map.of()));
        }
        if ("project".equals(kind) && in.grantCode() == null) {
            out.add(new FieldProblem("grantCode", "not_blank", "validation.not_blank", Map.of()));
        } else if (in.grantCode() != null && !GRANT.matcher(in.grantCode()).matches()) {
            out.add(new FieldProblem("grantCode", "invalid_format", "output.validation.grant_code", Map.of()));
        }
        if (in.instrumentIds() == null || in.instrumentIds().isEmpty()) {
            out.add(new FieldProblem("instrumentIds", "not_empty", "output.validation.instruments", Map.of()));
        } else if (in.instrumentIds().size() > 20 || in.instrumentIds().stream().anyMatch(java.util.Objects::isNull)) {
            out.add(new FieldProblem("instrumentIds", "size", "validation.size", Map.of("min", 1, "max", 20)));
        }
        return out;
    }

    private static void text(List<FieldProblem> out, String field, @Nullable String v, int max, boolean required) {
        if (v == null) {
            if (required) {
                out.add(new FieldProblem(field, "not_blank", "validation.not_blank", Map.of()));
            }
        } else if (v.length() > max) {
            out.add(new FieldProblem(field, "size", "validation.size", Map.of("min", 1, "max", max)));
        }
    }

    static @Nullable String blank(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static @Nullable String lower(@Nullable String s) {
        String b = blank(s);
        return b == null ? null : b.toLowerCase(Locale.ROOT);
    }
}
