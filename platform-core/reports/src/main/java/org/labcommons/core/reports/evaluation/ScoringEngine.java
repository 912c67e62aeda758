package org.labcommons.core.reports.evaluation;

import io.micronaut.core.annotation.Nullable;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Scores one subject's {@link EvaluationInputs} under a {@link Scheme}: pure (no database, no clock), BigDecimal
 * throughout. Roundings, each made once and here only:
 * <ul>
 *   <li>divisions (E / R, (E &minus; R) / 150, value / per, value / reference) are computed with
 *       {@link MathContext#DECIMAL64} (16 significant digits), never rounded to the display;</li>
 *   <li>an item's points: after its own cap or maximum, rounded to one decimal, {@link RoundingMode#HALF_UP};</li>
 *   <li>a group's sum is the sum of its items' rounded points (exact), its subtotal min(sum, cap) (exact);</li>
 *   <li>a group's weighted score: subtotal &times; weight rounded to one decimal, HALF_UP;</li>
 *   <li>the total: the sum of the rounded weighted scores (exact).</li>
 * </ul>
 * A missing figure is never read as zero: its item, its group and the total are "not available" (null) and the
 * missing figures are named.
 */
public final class ScoringEngine {
    /** Every shown figure has this many decimals (the Tsinghua form's). */
    public static final int SCALE = 1;
    public static final RoundingMode ROUNDING = RoundingMode.HALF_UP;
    private static final MathContext MC = MathContext.DECIMAL64;

    private ScoringEngine() {
    }

    public static ScoreCard score(Scheme scheme, EvaluationInputs inputs) {
        List<ScoreCard.GroupScore> groups = new ArrayList<>();
        Set<String> missing = new LinkedHashSet<>();
        BigDecimal total = BigDecimal.ZERO.setScale(SCALE);
        boolean available = true;
        for (Scheme.Group g : scheme.groups()) {
            List<ScoreCard.ItemScore> items = new ArrayList<>();
            BigDecimal sum = BigDecimal.ZERO.setScale(SCALE);
            boolean groupAvailable = true;
            for (Scheme.Item item : g.items()) {
                ScoreCard.ItemScore s = item(item, inputs);
                items.add(s);
                if (s.points() != null) {
                    sum = sum.add(s.points());
                } else {
                    groupAvailable = false;
                    missing.addAll(s.missing());
                }
            }
            if (groupAvailable) {
                boolean capped = sum.compareTo(g.cap()) > 0;
                BigDecimal subtotal = capped ? g.cap().setScale(SCALE, ROUNDING) : sum;
                BigDecimal weighted = subtotal.multiply(g.weight()).setScale(SCALE, ROUNDING);
                total = total.add(weighted);
                groups.add(new ScoreCard.GroupScore(g.code(), g.weight(), g.cap(), sum, subtotal, weighted, capped, items));
            } else {
                available = false;
                groups.add(new ScoreCard.GroupScore(g.code(), g.weight(), g.cap(), null, null, null, false, items));
            }
        }
        return new ScoreCard(available ? total : null, available, List.copyOf(missing), groups);
    }

    /** One item's points (null and the missing figures when its figure or its reference is not available). */
    static ScoreCard.ItemScore item(Scheme.Item item, EvaluationInputs inputs) {
        Scheme.Rule rule = item.rule();
        BigDecimal value = inputs.figure(item.input());
        List<String> missing = new ArrayList<>();
        if (value == null) {
            missing.add(item.input());
        }
        BigDecimal reference = null;
        if (rule.reference() != null && ("proportional".equals(rule.kind()) || "utilisation".equals(rule.kind()))) {
            reference = inputs.figure(rule.reference());
            if (reference == null || reference.signum() <= 0) {
                missing.add(rule.reference());   // no reference (or a zero one) gives no ratio: not available
            }
        } else if ("proportional".equals(rule.kind())) {
            reference = rule.referenceValue();
        }
        if (!missing.isEmpty()) {
            return new ScoreCard.ItemScore(item.code(), item.input(), rule.kind(), value, null, false, missing);
        }
        BigDecimal raw;
        BigDecimal limit;
        switch (rule.kind()) {
            case "per_unit" -> {
                BigDecimal per = rule.per() == null ? BigDecimal.ONE : rule.per();
                raw = value.divide(per, MC).multiply(rule.points(), MC);
                limit = rule.cap();
            }
            case "proportional" -> {
                raw = value.divide(reference, MC).multiply(rule.max(), MC);
                limit = rule.max();
            }
            case "utilisation" -> {
                if (value.compareTo(reference) < 0) {
                    raw = value.divide(reference, MC).multiply(rule.base(), MC);
                } else {
                    BigDecimal divisor = "special".equals(inputs.purpose()) ? rule.specialDivisor() : rule.generalDivisor();
                    raw = rule.base().add(value.subtract(reference).divide(divisor, MC));
                }
                limit = rule.cap();
            }
            case "bands" -> {
                raw = BigDecimal.ZERO;
                for (Scheme.Band b : rule.bands().stream().sorted(Comparator.comparing(Scheme.Band::from)).toList()) {
                    if (value.compareTo(b.from()) >= 0) {
                        raw = b.points();
                    }
                }
                limit = null;
            }
            case "manual" -> {
                raw = value;
                limit = rule.max();
            }
            default -> throw new IllegalArgumentException("unknown rule kind " + rule.kind());
        }
        if (raw.signum() < 0) {
            raw = BigDecimal.ZERO;   // negative figures earn nothing (a correction below zero is an input error)
        }
        boolean capped = limit != null && raw.compareTo(limit) > 0;
        BigDecimal points = (capped ? limit : raw).setScale(SCALE, ROUNDING);
        return new ScoreCard.ItemScore(item.code(), item.input(), rule.kind(), value, points, capped, List.of());
    }

    /** The mean of {@code values} to one decimal (HALF_UP); null for none. */
    public static @Nullable BigDecimal mean(List<BigDecimal> values) {
        if (values.isEmpty()) {
            return null;
        }
        return sum(values).divide(BigDecimal.valueOf(values.size()), MC).setScale(SCALE, ROUNDING);
    }

    /**
     * The population standard deviation (divided by n, as a whole population of evaluated instruments is described,
     * not a sample) to one decimal (HALF_UP); null for none.
     */
    public static @Nullable BigDecimal standardDeviation(List<BigDecimal> values) {
        if (values.isEmpty()) {
            return null;
        }
        BigDecimal n = BigDecimal.valueOf(values.size());
        BigDecimal mean = sum(values).divide(n, MC);
        BigDecimal squares = BigDecimal.ZERO;
        for (BigDecimal v : values) {
            BigDecimal d = v.subtract(mean);
            squares = squares.add(d.multiply(d, MC), MC);
        }
        return squares.divide(n, MC).sqrt(MC).setScale(SCALE, ROUNDING);
    }

    private static BigDecimal sum(List<BigDecimal> values) {
        return values.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
