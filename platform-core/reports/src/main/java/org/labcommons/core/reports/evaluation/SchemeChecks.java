package org.labcommons.core.reports.evaluation;

import org.labcommons.core.problem.ProblemException.FieldProblem;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules a new scheme version must keep, as field errors (400 {@code validation_failed}): names, a known subject
 * kind, at least one group, weights between 0 and 1 summing to 1, positive caps, unique codes, items with a figure
 * name and a rule of a known kind with the fields that kind reads.
 */
final class SchemeChecks {
    private static final String CODE = "^[a-z][a-z0-9_]{0,39}$";
    private static final String FIGURE = "^[a-zA-Z][a-zA-Z0-9]{0,39}$";

    private SchemeChecks() {
    }

    static List<FieldProblem> check(Scheme s) {
        List<FieldProblem> p = new ArrayList<>();
        text(p, "nameZh", s.nameZh());
        text(p, "nameEn", s.nameEn());
        if (s.subjectKind() == null || !Scheme.SUBJECT_KINDS.contains(s.subjectKind())) {
            p.add(new FieldProblem("subjectKind", "one_of", "evaluation.validation.one_of",
                    Map.of("values", String.join(", ", Scheme.SUBJECT_KINDS))));
        }
        if (s.minValueFen() != null && s.minValueFen() < 0) {
            p.add(new FieldProblem("minValueFen", "min", "validation.min", Map.of("value", 0)));
        }
        if (s.explainBelowHours() != null && s.explainBelowHours().signum() < 0) {
            p.add(new FieldProblem("explainBelowHours", "min", "validation.min", Map.of("value", 0)));
        }
        if (s.note() != null && s.note().length() > 1000) {
            p.add(new FieldProblem("note", "size", "validation.size", Map.of("min", 0, "max", 1000)));
        }
        if (s.groups() == null || s.groups().isEmpty()) {
            p.add(new FieldProblem("groups", "not_empty", "evaluation.validation.groups", Map.of()));
            return p;
        }
        Set<String> groupCodes = new HashSet<>();
        Set<String> itemCodes = new HashSet<>();
        BigDecimal sum = BigDecimal.ZERO;
        for (int g = 0; g < s.groups().size(); g++) {
            Scheme.Group group = s.groups().get(g);
            String at = "groups[" + g + "]";
            code(p, at + ".code", group.code(), groupCodes);
            text(p, at + ".nameZh", group.nameZh());
            text(p, at + ".nameEn", group.nameEn());
            if (group.weight() == null || group.weight().signum() < 0 || group.weight().compareTo(BigDecimal.ONE) > 0
                    || group.weight().scale() > 4) {
                p.add(new FieldProblem(at + ".weight", "range", "evaluation.validation.weight", Map.of()));
            } else {
                sum = sum.add(group.weight());
            }
            if (group.cap() == null || group.cap().signum() <= 0) {
                p.add(new FieldProblem(at + ".cap", "positive", "evaluation.validation.positive", Map.of()));
            }
            if (group.items() == null || group.items().isEmpty()) {
                p.add(new FieldProblem(at + ".items", "not_empty", "evaluation.validation.items", Map.of()));
                continue;
            }
            for (int i = 0; i < group.items().size(); i++) {
                item(p, at + ".items[" + i + "]", group.items().get(i), itemCodes);
            }
        }
        if (sum.compareTo(BigDecimal.ONE) != 0 && p.stream().noneMatch(f -> f.field().endsWith(".weight"))) {
            p.add(new FieldProblem("groups", "weights", "evaluation.validation.weights_sum",
                    Map.of("value", sum.toPlainString())));
        }
        return p;
    }

    private static void item(List<FieldProblem> p, String at, Scheme.Item item, Set<String> codes) {
        code(p, at + ".code", item.code(), codes);
        text(p, at + ".nameZh", item.nameZh());
        text(p, at + ".nameEn", item.nameEn());
        if (item.input() == null || !item.input().matches(FIGURE)) {
            p.add(new FieldProblem(at + ".input", "pattern", "evaluation.validation.figure", Map.of()));
        }
        Scheme.Rule r = item.rule();
        if (r == null || r.kind() == null || !Scheme.KINDS.contains(r.kind())) {
            p.add(new FieldProblem(at + ".rule.kind", "one_of", "evaluation.validation.one_of",
                    Map.of("values", String.join(", ", Scheme.KINDS))));
            return;
        }
        switch (r.kind()) {
            case "per_unit" -> {
                positive(p, at + ".rule.points", r.points());
                if (r.per() != null) {
                    positive(p, at + ".rule.per", r.per());
                }
            }
            case "proportional" -> {
                positive(p, at + ".rule.max", r.max());
                if ((r.reference() == null) == (r.referenceValue() == null)) {
                    p.add(new FieldProblem(at + ".rule.reference", "one_of_two", "evaluation.validation.reference", Map.of()));
                } else if (r.referenceValue() != null) {
                    positive(p, at + ".rule.referenceValue", r.referenceValue());
                }
            }
            case "utilisation" -> {
                if (r.reference() == null || !r.reference().matches(FIGURE)) {
                    p.add(new FieldProblem(at + ".rule.reference", "pattern", "evaluation.validation.figure", Map.of()));
                }
                positive(p, at + ".rule.base", r.base());
                positive(p, at + ".rule.generalDivisor", r.generalDivisor());
                positive(p, at + ".rule.specialDivisor", r.specialDivisor());
            }
            case "bands" -> {
                if (r.bands() == null || r.bands().isEmpty()
                        || r.bands().stream().anyMatch(b -> b.from() == null || b.points() == null)) {
                    p.add(new FieldProblem(at + ".rule.bands", "not_empty", "evaluation.validation.bands", Map.of()));
                }
            }
            default -> positive(p, at + ".rule.max", r.max());   // manual
        }
        if (r.cap() != null) {
            positive(p, at + ".rule.cap", r.cap());
        }
    }

    private static void positive(List<FieldProblem> p, String field, BigDecimal value) {
        if (value == null || value.signum() <= 0) {
            p.add(new FieldProblem(field, "positive", "evaluation.validation.positive", Map.of()));
        }
    }

    private static void code(List<FieldProblem> p, String field, String code, Set<String> seen) {
        if (code == null || !code.matches(CODE)) {
            p.add(new FieldProblem(field, "pattern", "evaluation.validation.code", Map.of()));
        } else if (!seen.add(code)) {
            p.add(new FieldProblem(field, "unique", "evaluation.validation.unique", Map.of()));
        }
    }

    private static void text(List<FieldProblem> p, String field, String value) {
        if (value == null || value.isBlank()) {
            p.add(new FieldProblem(field, "not_blank", "validation.not_blank", Map.of()));
        } else if (value.length() > 200) {
            p.add(new FieldProblem(field, "size", "validation.size", Map.of("min", 1, "max", 200)));
        }
    }
}
