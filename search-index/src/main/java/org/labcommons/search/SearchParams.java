package org.labcommons.search;

import io.micronaut.core.annotation.Nullable;
import org.labcommons.core.problem.ProblemException.FieldProblem;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The search's parameters read from text, for the page ({@link SearchPages}): each parameter is
 * checked as the API's annotations check it ({@link SearchController}), with the same message keys,
 * and the cross-field rules (paging depth, a whole point, a point for distance) are here once for
 * both. An empty value counts as absent (an HTML form sends {@code radiusKm=} for "any").
 */
final class SearchParams {
    static final String SORTS = "relevance|distance";
    static final String STATUSES = "in_service|under_repair|idle|retired";
    static final String VALUE_BANDS = "lt100k|100k-400k|400k-500k|500k-1m|1m-5m|ge5m";
    /** The deepest result the index pages to ({@code from + size}). */
    static final int MAX_WINDOW = 10_000;

    private static final Map<String, Pattern> PATTERNS = Map.of(
            "sort", Pattern.compile(SORTS),
            "classL1", Pattern.compile("[0-9]{2}0000"),
            "classL2", Pattern.compile("[0-9]{4}00"),
            "classL3", Pattern.compile("[0-9]{6}"),
            "province", Pattern.compile("[0-9]{2}0000"),
            "institution", Pattern.compile("[a-z0-9][a-z0-9-]{1,62}"),
            "status", Pattern.compile(STATUSES),
            "valueBand", Pattern.compile(VALUE_BANDS));

    private SearchParams() {
    }

    /** A parsed search: the query (null when a parameter is wrong) and the problems found, by field. */
    record Parsed(@Nullable SearchQuery query, List<FieldProblem> problems) {
        boolean ok() {
            return problems.isEmpty();
        }
    }

    /**
     * Reads a search from {@code param} (name → raw value or null), in language {@code lang}
     * ({@code zh}/{@code en}) with {@code size} hits a page. Every wrong parameter is reported,
     * not only the first.
     */
    static Parsed parse(Function<String, String> param, String lang, int size) {
        List<FieldProblem> problems = new ArrayList<>();
        String q = text(param, "q", 200, problems);
        Integer page = integer(param, "page", 0, 499, problems);
        String sort = pattern(param, "sort", problems);
        Double lat = decimal(param, "lat", "-90", "90", problems);
        Double lon = decimal(param, "lon", "-180", "180", problems);
        Double radiusKm = decimal(param, "radiusKm", "0.1", "5000", problems);
        String classL1 = pattern(param, "classL1", problems);
        String classL2 = pattern(param, "classL2", problems);
        String classL3 = pattern(param, "classL3", problems);
        String province = pattern(param, "province", problems);
        String institution = pattern(param, "institution", problems);
        String status = pattern(param, "status", problems);
        String service = text(param, "service", 200, problems);
        String valueBand = pattern(param, "valueBand", problems);
        if (!problems.isEmpty()) {
            return new Parsed(null, List.copyOf(problems));
        }
        int p = page == null ? 0 : page;
        String s = sort == null ? "relevance" : sort;
        problems.addAll(crossChecks(p, size, s, lat, lon, radiusKm));
        if (!problems.isEmpty()) {
            return new Parsed(null, List.copyOf(problems));
        }
        return new Parsed(new SearchQuery(q, lang, p, size, s, lat, lon, radiusKm, classL1, classL2, classL3, province,
                institution, status, service, valueBand), List.of());
    }

    /**
     * The rules that join parameters: results only to {@value #MAX_WINDOW} deep; latitude and
     * longitude together; distance sort and a radius need the point. In that order (the API
     * answers with the first).
     */
    static List<FieldProblem> crossChecks(int page, int size, String sort, @Nullable Double lat, @Nullable Double lon,
                                          @Nullable Double radiusKm) {
        List<FieldProblem> out = new ArrayList<>();
        if ((long) page * size + size > MAX_WINDOW) {
            out.add(new FieldProblem("page", "too_deep", "search.page_too_deep", Map.of()));
        }
        if ((lat == null) != (lon == null)) {
            out.add(new FieldProblem(lat == null ? "lat" : "lon", "required", "search.point_incomplete", Map.of()));
        } else if (("distance".equals(sort) || radiusKm != null) && lat == null) {
            out.add(new FieldProblem("lat", "required", "search.point_required", Map.of()));
        }
        return out;
    }

    @Nullable
    private static String raw(Function<String, String> param, String name) {
        String v = param.apply(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    @Nullable
    private static String text(Function<String, String> param, String name, int max, List<FieldProblem> problems) {
        String v = raw(param, name);
        if (v != null && v.length() > max) {
            problems.add(new FieldProblem(name, "size", "validation.size", Map.of("min", 0, "max", max)));
            return null;
        }
        return v;
    }

    @Nullable
    private static String pattern(Function<String, String> param, String name, List<FieldProblem> problems) {
        String v = raw(param, name);
        if (v != null && !PATTERNS.get(name).matcher(v).matches()) {
            problems.add(new FieldProblem(name, "pattern", "validation.pattern", Map.of()));
            return null;
        }
        return v;
    }

    @Nullable
    private static Integer integer(Function<String, String> param, String name, int min, int max, List<FieldProblem> problems) {
        String v = raw(param, name);
        if (v == null) {
            return null;
        }
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            problems.add(new FieldProblem(name, "invalid_format", "validation.invalid_format", Map.of()));
            return null;
        }
        if (n < min) {
            problems.add(new FieldProblem(name, "min", "validation.min", Map.of("value", min)));
            return null;
        }
        if (n > max) {
            problems.add(new FieldProblem(name, "max", "validation.max", Map.of("value", max)));
            return null;
        }
        return n;
    }

    @Nullable
    private static Double decimal(Function<String, String> param, String name, String min, String max,
                                  List<FieldProblem> problems) {
        String v = raw(param, name);
        if (v == null) {
            return null;
        }
        BigDecimal d;
        try {
            d = new BigDecimal(v);
        } catch (NumberFormatException e) {
            problems.add(new FieldProblem(name, "invalid_format", "validation.invalid_format", Map.of()));
            return null;
        }
        if (d.compareTo(new BigDecimal(min)) < 0) {
            problems.add(new FieldProblem(name, "decimal_min", "validation.decimal_min", Map.of("value", min)));
            return null;
        }
        if (d.compareTo(new BigDecimal(max)) > 0) {
            problems.add(new FieldProblem(name, "decimal_max", "validation.decimal_max", Map.of("value", max)));
            return null;
        }
        return d.doubleValue();
    }
}
