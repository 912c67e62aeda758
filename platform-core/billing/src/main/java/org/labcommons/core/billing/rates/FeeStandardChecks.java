package org.labcommons.core.billing.rates;

import io.micronaut.core.annotation.Nullable;
import org.labcommons.core.problem.ProblemException.FieldProblem;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The field checks of a draft's terms (pure; {@link FeeStandards} supplies what the tenant knows: its rate groups,
 * the instrument's services, today in its zone). Each bad field is one {@link FieldProblem} naming it.
 */
final class FeeStandardChecks {
    /** Units a card may be quoted in (as catalogue's published prices). */
    static final List<String> UNITS = List.of("hour", "sample", "item", "day");
    /** The largest amount of any money field: 1,000,000 RMB. */
    static final long MAX_FEN = 100_000_000L;

    private FeeStandardChecks() {
    }

    static List<FieldProblem> terms(FeeStandardInput in, String unit, LocalDate today) {
        List<FieldProblem> out = new ArrayList<>();
        if (unit == null || !UNITS.contains(unit)) {
            out.add(new FieldProblem("unit", "one_of", "fee.validation.unit", Map.of("values", String.join(", ", UNITS))));
        }
        if (in.priceFen() == null) {
            out.add(new FieldProblem("priceFen", "not_null", "validation.not_null", Map.of()));
        } else {
            money(out, "priceFen", in.priceFen());
        }
        money(out, "minimumFen", in.minimumFen());
        money(out, "assistedSurchargeFen", in.assistedSurchargeFen());
        Integer rounding = in.rounding();
        if (rounding != null && (rounding < 1 || rounding > 1440)) {
            out.add(new FieldProblem("rounding", "range", "fee.validation.rounding", Map.of()));
        } else if (rounding != null && rounding != 1 && UNITS.contains(unit) && !"hour".equals(unit)) {
            out.add(new FieldProblem("rounding", "hour_only", "fee.validation.rounding_hour_only", Map.of()));
        }
        if (in.effectiveFrom() == null) {
            out.add(new FieldProblem("effectiveFrom", "not_null", "validation.not_null", Map.of()));
        } else if (in.effectiveFrom().isBefore(today)) {
            out.add(new FieldProblem("effectiveFrom", "not_past", "fee.validation.effective_past",
                    Map.of("value", today.toString())));
        }
        if (in.note() != null && in.note().length() > 1000) {
            out.add(new FieldProblem("note", "size", "validation.size", Map.of("min", 0, "max", 1000)));
        }
        bands(out, in.timeBands());
        return out;
    }

    static void key(List<FieldProblem> out, @Nullable String rateGroup, Collection<String> rateGroups,
                    @Nullable UUID serviceId, Collection<UUID> services) {
        if (rateGroup == null || rateGroup.isBlank()) {
            out.add(new FieldProblem("rateGroup", "not_blank", "validation.not_blank", Map.of()));
        } else if (!rateGroups.contains(rateGroup.strip())) {
            out.add(new FieldProblem("rateGroup", "unknown", "fee.validation.rate_group",
                    Map.of("values", String.join(", ", rateGroups))));
        }
        if (serviceId != null && !services.contains(serviceId)) {
            out.add(new FieldProblem("serviceId", "unknown", "fee.validation.service", Map.of()));
        }
    }

    private static void money(List<FieldProblem> out, String field, @Nullable Long fen) {
        if (fen == null) {
            return;
        }
        if (fen < 0) {
            out.add(new FieldProblem(field, "min", "validation.min", Map.of("value", 0)));
        } else if (fen > MAX_FEN) {
            out.add(new FieldProblem(field, "max", "validation.max", Map.of("value", MAX_FEN)));
        }
    }

    private static void bands(List<FieldProblem> out, @Nullable List<TimeBand> bands) {
        if (bands == null) {
            return;
        }
        if (bands.size() > 20) {
            out.add(new FieldProblem("timeBands", "size", "validation.size", Map.of("min", 0, "max", 20)));
            return;
        }
        for (int i = 0; i < bands.size(); i++) {
            TimeBand b = bands.get(i);
            String at = "timeBands[" + i + "].";
            if (b == null) {
                out.add(new FieldProblem("timeBands[" + i + "]", "not_null", "validation.not_null", Map.of()));
                continue;
            }
            if (b.days() == null || b.days().isEmpty() || b.days().stream().anyMatch(d -> d == null || d < 1 || d > 7)) {
                out.add(new FieldProblem(at + "days", "days", "fee.validation.band_days", Map.of()));
            }
            int from = b.fromMinute();
            int to = b.toMinute();
            if (from < 0 || from >= 1440) {
                out.add(new FieldProblem(at + "from", "time", "fee.validation.band_time", Map.of()));
            }
            if (to < 1 || to <= from) {
                out.add(new FieldProblem(at + "to", "time", "fee.validation.band_to", Map.of()));
            }
            if (b.priceFen() == null) {
                out.add(new FieldProblem(at + "priceFen", "not_null", "validation.not_null", Map.of()));
            } else {
                money(out, at + "priceFen", b.priceFen());
            }
        }
        if (out.stream().anyMatch(p -> p.field().startsWith("timeBands"))) {
            return;
        }
        for (int i = 0; i < bands.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (overlap(bands.get(i), bands.get(j))) {
                    out.add(new FieldProblem("timeBands[" + i + "]", "overlap", "fee.validation.band_overlap",
                            Map.of("other", j + 1)));
                    break;
                }
            }
        }
    }

    private static boolean overlap(TimeBand a, TimeBand b) {
        return a.days().stream().anyMatch(b.days()::contains)
                && a.fromMinute() < b.toMinute() && b.fromMinute() < a.toMinute();
    }
}
