package org.labcommons.core.billing.payers;

import io.micronaut.core.annotation.Nullable;
import org.labcommons.core.problem.ProblemException.FieldProblem;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The field checks of a payer account's terms, one {@link FieldProblem} per bad field (messages {@code payers.validation.*}). */
final class PayerChecks {
    static final Set<String> KINDS = Set.of("project", "department", "customer");
    static final Set<String> STATUSES = Set.of("active", "closed");
    static final Set<String> SETTLEMENTS = Set.of("monthly", "single", "prepaid");
    static final Set<String> CATEGORIES = Set.of("staff", "student", "young_teacher", "external");
    static final long MAX_BUDGET_FEN = 100_000_000_000_000L;
    static final Pattern CODE = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$");
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+$");
    /** The characters of a unified social credit code (GB 32100-2015): digits and capitals without I, O, S, V, Z. */
    static final String CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static final int[] CREDIT_CODE_WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

    private PayerChecks() {
    }

    /** The problems of a new account ({@code existing} null) or of an edit of {@code existing}. */
    static List<FieldProblem> check(PayerInput in, @Nullable PayerAccount existing) {
        List<FieldProblem> out = new ArrayList<>();
        String kind = existing != null ? existing.kind() : in.kind();
        if (existing == null) {
            if (kind == null || !KINDS.contains(kind)) {
                out.add(oneOf("kind", KINDS));
            }
            if (in.code() == null || !CODE.matcher(in.code().strip()).matches()) {
                out.add(new FieldProblem("code", "format", "payers.validation.code", Map.of()));
            }
        }
        text(out, "nameZh", in.nameZh(), true, 200);
        text(out, "nameEn", in.nameEn(), true, 200);
        text(out, "grantCode", in.grantCode(), false, 64);
        text(out, "financeCode", in.financeCode(), false, 64);
        if (in.budgetFen() != null && (in.budgetFen() < 0 || in.budgetFen() > MAX_BUDGET_FEN)) {
            out.add(new FieldProblem("budgetFen", "range", "payers.validation.budget", Map.of()));
        }
        if (in.validFrom() != null && in.validTo() != null && in.validTo().isBefore(in.validFrom())) {
            out.add(new FieldProblem("validTo", "before_from", "payers.validation.valid_to", Map.of()));
        }
        if (in.status() != null && !STATUSES.contains(in.status())) {
            out.add(oneOf("status", STATUSES));
        }
        String settlement = in.settlement();
        if (settlement == null || !SETTLEMENTS.contains(settlement)) {
            out.add(oneOf("settlement", SETTLEMENTS));
        } else if ("customer".equals(kind) ? "monthly".equals(settlement) : "prepaid".equals(settlement)) {
            out.add(new FieldProblem("settlement", "not_for_kind", "payers.validation.settlement_kind",
                    Map.of("kind", kind == null ? "" : kind)));
        }
        boolean customer = "customer".equals(kind);
        text(out, "organisation", in.organisation(), customer, 200);
        text(out, "contactName", in.contactName(), false, 100);
        text(out, "contactPhone", in.contactPhone(), false, 40);
        if (blank(in.contactEmail()) ? false : in.contactEmail().length() > 254 || !EMAIL.matcher(in.contactEmail()).matches()) {
            out.add(new FieldProblem("contactEmail", "format", "payers.validation.email", Map.of()));
        }
        if (!blank(in.taxId()) && !creditCode(in.taxId().strip())) {
            out.add(new FieldProblem("taxId", "format", "payers.validation.tax_id", Map.of()));
        }
        return out;
    }

    /**
     * Whether {@code s} is a unified social credit code: 18 characters of {@link #CREDIT_CODE_CHARS}, the registration
     * authority and kind, the six-digit area code, and the check character of GB 32100-2015 (31 minus the weighted
     * sum of the first 17 modulo 31; 31 is written 0).
     */
    static boolean creditCode(String s) {
        if (s.length() != 18) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < 18; i++) {
            int v = CREDIT_CODE_CHARS.indexOf(s.charAt(i));
            if (v < 0 || (i >= 2 && i < 8 && v > 9)) {
                return false;
            }
            if (i < 17) {
                sum += v * CREDIT_CODE_WEIGHTS[i];
            }
        }
        int check = (31 - sum % 31) % 31;
        return CREDIT_CODE_CHARS.charAt(check) == s.charAt(17);
    }

    static boolean blank(@Nullable String s) {
        return s == null || s.isBlank();
    }

    static String clean(@Nullable String s) {
        return blank(s) ? null : s.strip();
    }

    private static void text(List<FieldProblem> out, String field, @Nullable String value, boolean required, int max) {
        if (blank(value)) {
            if (required) {
                out.add(new FieldProblem(field, "not_blank", "validation.not_blank", Map.of()));
            }
        } else if (value.strip().length() > max) {
            out.add(new FieldProblem(field, "size", "validation.size", Map.of("min", 1, "max", max)));
        }
    }

    static FieldProblem oneOf(String field, Set<String> values) {
        return new FieldProblem(field, "one_of", "payers.validation.one_of",
                Map.of("values", String.join(", ", values.stream().sorted().toList())));
    }
}
