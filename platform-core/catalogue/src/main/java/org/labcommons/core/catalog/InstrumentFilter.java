package org.labcommons.core.catalog;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.QueryValue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import java.util.UUID;

/**
 * The filters and order of an instrument list as a caller asks for them: the query parameters of
 * {@code GET /api/v1/instruments} and of the export, bound as one {@code @RequestBean} and
 * validated (a bad value is 400 {@code validation_failed} naming the parameter). The pages fill it
 * from their own, forgiving form fields. {@link CatalogueAccess#query} turns it into the
 * {@link InstrumentQuery} the service runs, with what the caller may see.
 *
 * @param minValueFen     original value at least this many fen
 * @param sort            a field of {@link InstrumentQuery#SORTS}, {@code -} first for descending; default asset number
 * @param includeArchived archived records too (only for those who manage instruments)
 */
@Introspected
public record InstrumentFilter(
        @Nullable @QueryValue String q,
        @Nullable @QueryValue @Pattern(regexp = "in_service|under_repair|idle|retired") String status,
        @Nullable @QueryValue @Pattern(regexp = "private|tenant|network|consortium|public") String scope,
        @Nullable @QueryValue @Pattern(regexp = "[0-9]{6}") String classification,
        @Nullable @QueryValue UUID orgUnitId,
        @Nullable @QueryValue @Min(0) Long minValueFen,
        @Nullable @QueryValue @Min(0) Long maxValueFen,
        @Nullable @QueryValue Boolean requiresIot,
        @Nullable @QueryValue Boolean stale,
        @Nullable @QueryValue @Pattern(regexp = "fundSubsidised|benefitEvaluation|sharedPlatform|listedInCers|customsSupervised") String flag,
        @Nullable @QueryValue @Pattern(regexp = "-?(assetNumber|nameZh|nameEn|originalValue|purchaseDate|updatedAt|classification)") String sort,
        @Nullable @QueryValue Boolean includeArchived) {

    /** The sort asked for, or asset number. */
    public String sortOrDefault() {
        return sort == null ? "assetNumber" : sort;
    }

    /** Whether archived records were asked for. */
    public boolean archivedToo() {
        return Boolean.TRUE.equals(includeArchived);
    }
}
