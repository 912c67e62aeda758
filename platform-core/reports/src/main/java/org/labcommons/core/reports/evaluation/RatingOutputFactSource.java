package org.labcommons.core.reports.evaluation;

import jakarta.inject.Singleton;
import org.labcommons.core.catalog.Instrument;
import org.labcommons.core.reports.outputs.Output;
import org.labcommons.core.reports.outputs.Outputs;
import org.labcommons.core.reports.ratings.Rating;
import org.labcommons.core.reports.ratings.Ratings;
import org.labcommons.core.tenancy.TenantId;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Users' ratings and confirmed outputs of the year: {@code ratingMean} (when anyone rated; two decimals, half up)
 * and {@code patents} (confirmed patents linked to the instrument, when it has any confirmed output of the year).
 * Papers and awards are not mapped: outputs record a paper's category (journal, conference...) and no SCI/core
 * index, and an award's level is not recorded, so the schemes' {@code sciPapers}, {@code corePapers},
 * {@code nationalAwards} and {@code provincialAwards} stay entered figures. Order 110 (after the rollups, before
 * entered figures).
 */
@Singleton
public class RatingOutputFactSource implements EvaluationFactSource {
    private final Ratings ratings;
    private final Outputs outputs;

    public RatingOutputFactSource(Ratings ratings, Outputs outputs) {
        this.ratings = ratings;
        this.outputs = outputs;
    }

    @Override
    public int order() {
        return 110;
    }

    @Override
    public Map<String, Fact> figures(TenantId tenant, Instrument instrument, int year) {
        Map<String, Fact> out = new LinkedHashMap<>();
        Rating.Year r = ratings.instrumentYear(tenant, instrument.id(), year);
        if (r.count() > 0 && r.mean() != null) {
            out.put(EvaluationInputs.RATING_MEAN, new Fact(BigDecimal.valueOf(r.mean()).setScale(2, RoundingMode.HALF_UP),
                    "ratings:" + r.count()));
        }
        Output.Year o = outputs.instrumentYear(tenant, instrument.id(), year);
        if (o.papers() + o.awards() + o.patents() + o.projects() > 0) {
            out.put(EvaluationInputs.PATENTS, new Fact(BigDecimal.valueOf(o.patents()), "outputs"));
        }
        return out;
    }
}
