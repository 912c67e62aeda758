package org.labcommons.core.reports.evaluation;

import org.labcommons.core.catalog.Instrument;
import org.labcommons.core.tenancy.TenantId;

/**
 * The port through which an evaluation reads the figures of an instrument and year ({@link EvaluationInputs}). The
 * implementation ({@link CombinedEvaluationFacts}) combines every {@link EvaluationFactSource} bean: the catalogue's
 * record, the figures staff enter, and at merge the rollups and the ratings/outputs.
 */
public interface EvaluationFacts {
    EvaluationInputs inputs(TenantId tenant, Instrument instrument, int year);
}
