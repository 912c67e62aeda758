package org.labcommons.core.reports.evaluation;

import jakarta.inject.Singleton;
import org.labcommons.core.catalog.Instrument;
import org.labcommons.core.tenancy.TenantId;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link EvaluationFacts} from every {@link EvaluationFactSource} bean, later orders overriding earlier ones. */
@Singleton
public class CombinedEvaluationFacts implements EvaluationFacts {
    private final List<EvaluationFactSource> sources;

    public CombinedEvaluationFacts(List<EvaluationFactSource> sources) {
        this.sources = sources.stream().sorted(Comparator.comparingInt(EvaluationFactSource::order)).toList();
    }

    @Override
    public EvaluationInputs inputs(TenantId tenant, Instrument instrument, int year) {
        Map<String, BigDecimal> figures = new LinkedHashMap<>();
        Map<String, String> from = new LinkedHashMap<>();
        for (EvaluationFactSource source : sources) {
            source.figures(tenant, instrument, year).forEach((name, fact) -> {
                figures.put(name, fact.value());
                from.put(name, fact.source());
            });
        }
        return new EvaluationInputs(figures, instrument.purpose(), from);
    }
}
