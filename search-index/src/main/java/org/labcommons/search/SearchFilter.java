package org.labcommons.search;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.QueryValue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The query parameters of {@code GET /api/v1/search/instruments}, bound as one {@code @RequestBean}
 * and validated one by one (a bad value is 400 {@code validation_failed} naming the parameter);
 * {@link #query()} is the {@link SearchQuery} the service runs, with the defaults filled in. The
 * checks across parameters (page depth, distance sort without a point) are {@link SearchParams#crossChecks}.
 */
@Introspected
public record SearchFilter(
        @Nullable @QueryValue @Size(max = 200) String q,
        @Nullable @QueryValue @Pattern(regexp = "zh|en") String lang,
        @Nullable @QueryValue @Min(0) @Max(499) Integer page,
        @Nullable @QueryValue @Min(1) @Max(50) Integer size,
        @Nullable @QueryValue @Pattern(regexp = "relevance|distance") String sort,
        @Nullable @QueryValue @DecimalMin("-90") @DecimalMax("90") Double lat,
        @Nullable @QueryValue @DecimalMin("-180") @DecimalMax("180") Double lon,
        @Nullable @QueryValue @DecimalMin("0.1") @DecimalMax("5000") Double radiusKm,
        @Nullable @QueryValue @Pattern(regexp = "[0-9]{2}0000") String classL1,
        @Nullable @QueryValue @Pattern(regexp = "[0-9]{4}00") String classL2,
        @Nullable @QueryValue @Pattern(regexp = "[0-9]{6}") String classL3,
        @Nullable @QueryValue @Pattern(regexp = "[0-9]{2}0000") String province,
        @Nullable @QueryValue @Pattern(regexp = "[a-z0-9][a-z0-9-]{1,62}") String institution,
        @Nullable @QueryValue @Pattern(regexp = "in_service|under_repair|idle|retired") String status,
        @Nullable @QueryValue @Size(max = 200) String service,
        @Nullable @QueryValue @Pattern(regexp = "lt100k|100k-400k|400k-500k|500k-1m|1m-5m|ge5m") String valueBand) {

    /** The search asked for: language zh, page 0 of 20, by relevance unless said otherwise. */
    public SearchQuery query() {
        return new SearchQuery(q, lang == null ? "zh" : lang, page == null ? 0 : page, size == null ? 20 : size,
                sort == null ? "relevance" : sort, lat, lon, radiusKm, classL1, classL2, classL3, province, institution,
                status, service, valueBand);
    }
}
