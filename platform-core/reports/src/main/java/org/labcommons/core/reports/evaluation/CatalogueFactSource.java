package org.labcommons.core.reports.evaluation;

import jakarta.inject.Singleton;
import org.labcommons.core.catalog.Instrument;
import org.labcommons.core.tenancy.TenantId;

import java.math.BigDecimal;
import java.util.Map;

/** The instrument record's own figures: its rated annual hours (额定机时), when recorded. Order 0. */
@Singleton
public class CatalogueFactSource implements EvaluationFactSource {
    @Override
    public int order() {
        return 0;
    }

    @Override
    public Map<String, Fact> figures(TenantId tenant, Instrument instrument, int year) {
        return instrument.ratedAnnualHours() == null ? Map.of() : Map.of(EvaluationInputs.RATED_HOURS,
                new Fact(BigDecimal.valueOf(instrument.ratedAnnualHours()), "catalogue"));
    }
}
