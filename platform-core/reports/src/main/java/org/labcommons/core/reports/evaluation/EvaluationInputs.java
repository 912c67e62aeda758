package org.labcommons.core.reports.evaluation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of one subject (an instrument) and year that a scheme's items read, by name, each with where it came
 * from. A figure that no source knows is absent: the engine scores its item "not available", never zero. The names
 * the built-in schemes read are the constants below (docs/reports.md lists them with their sources).
 *
 * @param figures  name &rarr; value (hours, counts, fen, a mean rating, a manual score)
 * @param purpose  {@code general} or {@code special} (the catalogue's 通用/专用; null: not known)
 * @param sources  name &rarr; where the value came from ({@code catalogue}, {@code entered:<user id>}, {@code rollups}...)
 */
@Serdeable
public record EvaluationInputs(Map<String, BigDecimal> figures, @Nullable String purpose, Map<String, String> sources) {
    public static final String EFFECTIVE_HOURS = "effectiveHours";
    public static final String RATED_HOURS = "ratedHours";
    public static final String ORDINARY_PROJECTS = "ordinaryProjects";
    public static final String KEY_PROJECTS = "keyProjects";
    public static final String DEPARTMENTS = "departments";
    public static final String RESEARCHERS = "researchers";
    public static final String EXTERNAL_FEES_FEN = "externalFeesFen";
    public static final String NATIONAL_AWARDS = "nationalAwards";
    public static final String PROVINCIAL_AWARDS = "provincialAwards";
    public static final String SCI_PAPERS = "sciPapers";
    public static final String CORE_PAPERS = "corePapers";
    public static final String PATENTS = "patents";
    public static final String TRAININGS = "trainings";
    public static final String EXTERNAL_HOURS = "externalHours";
    public static final String RATING_MEAN = "ratingMean";
    public static final String MANAGEMENT_SCORE = "managementScore";

    /** Every figure name the built-in schemes read (entered figures must use one of these, or one a scheme reads). */
    public static final List<String> KNOWN = List.of(EFFECTIVE_HOURS, RATED_HOURS, ORDINARY_PROJECTS, KEY_PROJECTS,
            DEPARTMENTS, RESEARCHERS, EXTERNAL_FEES_FEN, NATIONAL_AWARDS, PROVINCIAL_AWARDS, SCI_PAPERS, CORE_PAPERS,
            PATENTS, TRAININGS, EXTERNAL_HOURS, RATING_MEAN, MANAGEMENT_SCORE);

    public EvaluationInputs {
        figures = figures == null ? new TreeMap<>() : new TreeMap<>(figures);   // empty maps are left out of JSON
        sources = sources == null ? new TreeMap<>() : new TreeMap<>(sources);
    }

    /** Inputs without provenance (the engine's specification, previews). */
    public static EvaluationInputs of(Map<String, ?> figures, @Nullable String purpose) {
        Map<String, BigDecimal> values = new LinkedHashMap<>();
        figures.forEach((k, v) -> values.put(k, v instanceof BigDecimal b ? b : new BigDecimal(v.toString())));
        return new EvaluationInputs(values, purpose, Map.of());
    }

    /** A figure, or null when no source knows it. */
    public @Nullable BigDecimal figure(String name) {
        return figures.get(name);
    }
}
