package org.labcommons.core.reports.evaluation;

import org.labcommons.core.catalog.Instrument;
import org.labcommons.core.tenancy.TenantId;

import java.math.BigDecimal;
import java.util.Map;

/**
 * One source of evaluation figures. {@link CombinedEvaluationFacts} asks every source in ascending {@link #order()}
 * and a later source's figure replaces an earlier one's: measured sources (catalogue 0, rollups and ratings/outputs
 * 100-199 at merge) come first, figures staff enter ({@link EnteredFigureSource}, 1000) last, since an entered figure
 * is a deliberate correction with a reason.
 */
public interface EvaluationFactSource {
    int order();

    /** The figures this source knows for the instrument and year (figures it does not know are absent). */
    Map<String, Fact> figures(TenantId tenant, Instrument instrument, int year);

    /** A figure and where it came from (shown with every score: {@code catalogue}, {@code entered:<entry id>}...). */
    record Fact(BigDecimal value, String source) {
    }
}
