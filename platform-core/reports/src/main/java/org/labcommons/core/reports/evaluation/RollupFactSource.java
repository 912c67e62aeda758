package org.labcommons.core.reports.evaluation;

import jakarta.inject.Singleton;
import org.labcommons.core.catalog.Instrument;
import org.labcommons.core.reports.facts.InstrumentYearFigures;
import org.labcommons.core.reports.facts.Rollups;
import org.labcommons.core.tenancy.TenantId;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The measured figures of the year from the rollups ({@link Rollups#instrumentYear}): effective hours, hours of
 * consortium and external users, external revenue (fen) and the distinct users served. Order 100: after the
 * catalogue, before entered figures (which correct it with a reason). An instrument-year the rollups hold nothing of
 * (no use, booking, sample or revenue: a year before the platform ran) gives no figure, so its items stay "not
 * available" instead of scoring a zero nobody measured. Hours are kept to two decimals (half up).
 */
@Singleton
public class RollupFactSource implements EvaluationFactSource {
    private final Rollups rollups;

    public RollupFactSource(Rollups rollups) {
        this.rollups = rollups;
    }

    @Override
    public int order() {
        return 100;
    }

    @Override
    public Map<String, Fact> figures(TenantId tenant, Instrument instrument, int year) {
        InstrumentYearFigures f = rollups.instrumentYear(tenant, instrument.id(), year);
        if (f.effectiveHours() == 0 && f.bookedHours() == 0 && f.samples() == 0 && f.revenueFen() == 0) {
            return Map.of();
        }
        Map<String, Fact> out = new LinkedHashMap<>();
        out.put(EvaluationInputs.EFFECTIVE_HOURS, new Fact(hours(f.effectiveHours()), "rollups"));
        out.put(EvaluationInputs.EXTERNAL_HOURS, new Fact(hours(f.externalHours()), "rollups"));
        out.put(EvaluationInputs.EXTERNAL_FEES_FEN, new Fact(BigDecimal.valueOf(f.externalRevenueFen()), "rollups"));
        out.put(EvaluationInputs.RESEARCHERS, new Fact(BigDecimal.valueOf(f.distinctUsers()), "rollups"));
        return out;
    }

    private static BigDecimal hours(double h) {
        return BigDecimal.valueOf(h).setScale(2, RoundingMode.HALF_UP);
    }
}
