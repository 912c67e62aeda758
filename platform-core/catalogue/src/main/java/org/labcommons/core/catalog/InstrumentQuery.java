package org.labcommons.core.catalog;

import io.micronaut.core.annotation.Nullable;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Filters and order of an instrument list; the API, the pages and the export share it, so an
 * export holds exactly what the list showed. Every value is bound as a parameter; the sort column
 * comes from a fixed table, never from the caller's text.
 *
 * @param q               words found in names, asset number, model or manufacturer (case-insensitive)
 * @param classification  a code; a level-1 or level-2 code matches everything beneath it
 * @param stale           true: only records flagged stale by a verification campaign
 * @param scopes          when given, only these sharing scopes (the public catalogue's visibility rule)
 * @param privateOf       when given, private records only of these instruments (those the caller manages,
 *                        {@link ManagedInstruments}): the rule of a single read ({@link CatalogueAccess#readable});
 *                        null only for reads of the whole tenant that name no caller (projection, import matching)
 *                        or that {@code scopes} already keeps from private records
 * @param includeArchived archived records are left out unless asked for
 */
public record InstrumentQuery(@Nullable String q, @Nullable String status, @Nullable String sharingScope,
                              @Nullable String classification, @Nullable UUID orgUnitId,
                              @Nullable Long minValueFen, @Nullable Long maxValueFen,
                              @Nullable Boolean requiresIot, @Nullable Boolean stale, @Nullable String flag,
                              @Nullable List<String> scopes, @Nullable ManagedInstruments privateOf,
                              boolean includeArchived, String sort, boolean descending, int offset, int limit) {

    /** Sortable fields and their columns (a stable tiebreak on id is always added). */
    public static final Map<String, String> SORTS = Map.of(
            "assetNumber", "asset_number",
            "nameZh", "name_zh",
            "nameEn", "lower(name_en)",
            "originalValue", "original_value_fen",
            "purchaseDate", "purchase_date",
            "updatedAt", "updated_at",
            "classification", "classification_code");

    /** Boolean flags a list can filter on, and their columns. */
    public static final Map<String, String> FLAGS = Map.of(
            "fundSubsidised", "fund_subsidised",
            "benefitEvaluation", "benefit_evaluation",
            "sharedPlatform", "shared_platform",
            "listedInCers", "listed_in_cers",
            "customsSupervised", "customs_supervised");

    public static final List<String> STATUSES = List.of("in_service", "under_repair", "idle", "retired");
    public static final List<String> SCOPES = List.of("private", "tenant", "network", "consortium", "public");

    public InstrumentQuery {
        if (!SORTS.containsKey(sort)) {
            throw new IllegalArgumentException("unknown sort " + sort);
        }
        if (flag != null && !FLAGS.containsKey(flag)) {
            throw new IllegalArgumentException("unknown flag " + flag);
        }
        if (scopes != null && !SCOPES.containsAll(scopes)) {
            throw new IllegalArgumentException("unknown scope in " + scopes);
        }
        scopes = scopes == null ? null : List.copyOf(scopes);
        q = q == null || q.isBlank() ? null : q.strip().toLowerCase(Locale.ROOT);
    }

    /**
     * A query that names no caller: private records are not limited by {@code privateOf}. For reads of
     * the whole tenant (projection, import matching) and for lists whose {@code scopes} leave private
     * records out (the public catalogue).
     */
    public InstrumentQuery(@Nullable String q, @Nullable String status, @Nullable String sharingScope,
                           @Nullable String classification, @Nullable UUID orgUnitId,
                           @Nullable Long minValueFen, @Nullable Long maxValueFen,
                           @Nullable Boolean requiresIot, @Nullable Boolean stale, @Nullable String flag,
                           @Nullable List<String> scopes, boolean includeArchived,
                           String sort, boolean descending, int offset, int limit) {
        this(q, status, sharingScope, classification, orgUnitId, minValueFen, maxValueFen, requiresIot, stale, flag,
                scopes, null, includeArchived, sort, descending, offset, limit);
    }

    public static InstrumentQuery all(int offset, int limit) {
        return new InstrumentQuery(null, null, null, null, null, null, null, null, null, null, null, false,
                "assetNumber", false, offset, limit);
    }

    public InstrumentQuery page(int newOffset, int newLimit) {
        return new InstrumentQuery(q, status, sharingScope, classification, orgUnitId, minValueFen, maxValueFen,
                requiresIot, stale, flag, scopes, privateOf, includeArchived, sort, descending, newOffset, newLimit);
    }

    /** The same query limited to {@code visible} scopes. */
    public InstrumentQuery withScopes(List<String> visible) {
        return new InstrumentQuery(q, status, sharingScope, classification, orgUnitId, minValueFen, maxValueFen,
                requiresIot, stale, flag, visible, privateOf, false, sort, descending, offset, limit);
    }
}
