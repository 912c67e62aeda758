package org.labcommons.core.reports.evaluation;

import jakarta.inject.Singleton;
import org.labcommons.core.catalog.Instrument;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.util.LinkedHashMap;
import java.util.Map;

/** The figures staff entered for the instrument and year (the latest entry of each), order 1000: they override. */
@Singleton
public record EnteredFigureSource(TenantTransactions tenants, FigureRows rows) implements EvaluationFactSource {
    @Override
    public int order() {
        return 1000;
    }

    @Override
    public Map<String, Fact> figures(TenantId tenant, Instrument instrument, int year) {
        Map<String, Fact> out = new LinkedHashMap<>();
        tenants.inTenant(tenant, c -> rows.current(instrument.id(), year))
                .forEach(f -> out.put(f.figure(), new Fact(f.value(), "entered:" + f.id())));
        return out;
    }
}
