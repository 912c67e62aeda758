package org.labcommons.search;

import io.micronaut.core.annotation.Nullable;

/**
 * One search: text, facet selections (each narrows the hits and the other facets' counts), an
 * optional point with a radius and distance sort, and a page.
 *
 * @param lang   zh or en: the language of labels and suggestions (matching always uses both)
 * @param sort   relevance or distance (distance needs lat/lon)
 */
public record SearchQuery(@Nullable String q, String lang, int page, int size, String sort,
                          @Nullable Double lat, @Nullable Double lon, @Nullable Double radiusKm,
                          @Nullable String classL1, @Nullable String classL2, @Nullable String classL3,
                          @Nullable String province, @Nullable String institution, @Nullable String status,
                          @Nullable String service, @Nullable String valueBand) {

    public boolean zh() {
        return !"en".equals(lang);
    }

    public boolean hasPoint() {
        return lat != null && lon != null;
    }

    public static SearchQuery text(String q) {
        return new SearchQuery(q, "zh", 0, 20, "relevance", null, null, null, null, null, null, null, null, null, null, null);
    }
}
