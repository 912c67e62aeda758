package org.labcommons.core.reports.evaluation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An evaluation scheme as data (V48 {@code evaluation_scheme}, {@code evaluation_group}, {@code evaluation_item}): one
 * version of a scheme {@code code}, for one subject kind ({@code instrument}, {@code platform}, {@code lab}), made of
 * groups (a weight and a cap on the group's subtotal) of items (the figure an item reads and the {@link Rule} that turns
 * it into points). The scoring is {@link ScoringEngine}'s; the built-in schemes are {@link DefaultSchemes}'.
 *
 * @param minValueFen       instruments of at least this original value are covered (null: the configured default,
 *                          {@code labcommons.reports.evaluation.min-value-fen}); only for subject kind instrument
 * @param explainBelowHours covered instruments with fewer effective hours get an explanation task (null: none)
 */
@Serdeable
public record Scheme(@Nullable UUID id, String code, int version, String nameZh, String nameEn, String subjectKind,
                     @Nullable Long minValueFen, @Nullable BigDecimal explainBelowHours, String status,
                     @Nullable String note, @Nullable Instant createdAt, @Nullable UUID createdBy, List<Group> groups) {

    /** The subject kinds a scheme evaluates (only {@code instrument} runs yearly so far; docs/reports.md). */
    public static final List<String> SUBJECT_KINDS = List.of("instrument", "platform", "lab");
    /** The rule kinds. */
    public static final List<String> KINDS = List.of("per_unit", "proportional", "utilisation", "bands", "manual");

    public Scheme {
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    /**
     * A group of items: its subtotal is the sum of its items' points, capped at {@code cap}; its weighted score is the
     * subtotal times {@code weight} (a fraction, 0.35 for 35 %).
     */
    @Serdeable
    public record Group(String code, String nameZh, String nameEn, BigDecimal weight, BigDecimal cap, List<Item> items) {
        public Group {
            items = items == null ? List.of() : List.copyOf(items);
        }
    }

    /** An item: the figure it reads ({@code input}, an {@link EvaluationInputs} name) and how points are earned. */
    @Serdeable
    public record Item(String code, String nameZh, String nameEn, String input, Rule rule) {
    }

    /**
     * How an item earns points ({@code kind} one of {@link #KINDS}); the fields each kind reads:
     * <ul>
     *   <li>{@code per_unit}: {@code points} per {@code per} units of the figure (per defaults to 1), at most
     *       {@code cap} (null: no cap of its own) &mdash; "1 per 1,000 RMB external fees" is points 1, per 100000 (fen);</li>
     *   <li>{@code proportional}: figure / reference &times; {@code max}, at most {@code max}; the reference is the
     *       figure named {@code reference} or the constant {@code referenceValue};</li>
     *   <li>{@code utilisation} (the Tsinghua machine-time rule): with E the figure and R the figure {@code reference}
     *       (rated hours), E &lt; R gives E / R &times; {@code base}; E &ge; R gives {@code base} + (E &minus; R) /
     *       {@code generalDivisor}, or {@code specialDivisor} for special-purpose instruments; at most {@code cap};</li>
     *   <li>{@code bands}: the points of the highest band whose {@code from} the figure reaches (0 below the first);</li>
     *   <li>{@code manual}: the figure is the points (a score staff give), between 0 and {@code max}.</li>
     * </ul>
     */
    @Serdeable
    public record Rule(String kind, @Nullable BigDecimal points, @Nullable BigDecimal per, @Nullable BigDecimal cap,
                       @Nullable BigDecimal max, @Nullable String reference, @Nullable BigDecimal referenceValue,
                       @Nullable BigDecimal base, @Nullable BigDecimal generalDivisor,
                       @Nullable BigDecimal specialDivisor, @Nullable List<Band> bands) {

        public static Rule perUnit(String points, String per, @Nullable String cap) {
            return new Rule("per_unit", new BigDecimal(points), new BigDecimal(per), dec(cap), null, null, null, null,
                    null, null, null);
        }

        public static Rule proportional(String reference, String max) {
            return new Rule("proportional", null, null, null, new BigDecimal(max), reference, null, null, null, null,
                    null);
        }

        public static Rule utilisation(String reference, String base, String generalDivisor, String specialDivisor,
                                       @Nullable String cap) {
            return new Rule("utilisation", null, null, dec(cap), null, reference, null, new BigDecimal(base),
                    new BigDecimal(generalDivisor), new BigDecimal(specialDivisor), null);
        }

        public static Rule bands(List<Band> bands) {
            return new Rule("bands", null, null, null, null, null, null, null, null, null, bands);
        }

        public static Rule manual(String max) {
            return new Rule("manual", null, null, null, new BigDecimal(max), null, null, null, null, null, null);
        }

        private static @Nullable BigDecimal dec(@Nullable String s) {
            return s == null ? null : new BigDecimal(s);
        }
    }

    /** A band of a {@code bands} rule: from this figure on, these points. */
    @Serdeable
    public record Band(BigDecimal from, BigDecimal points) {
    }

    /** A page of schemes. */
    @Serdeable
    public record Page(List<Scheme> items, long total, int page, int size) {
    }
}
