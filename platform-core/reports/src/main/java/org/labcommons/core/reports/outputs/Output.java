package org.labcommons.core.reports.outputs;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An output supported by instruments (a paper, award, patent or project) as the API shows it. {@code status}
 * {@code recorded} (a user's, awaiting the staff's confirmation) or {@code confirmed} (counts in evaluations);
 * {@code source} {@code form} or {@code import}.
 */
@Serdeable
public record Output(UUID id, String kind, @Nullable String category, String title, int year, String people,
                     @Nullable String doi, @Nullable String patentNumber, @Nullable String grantCode,
                     List<UUID> instrumentIds, @Nullable UUID bookingId, @Nullable UUID usageSessionId, String status,
                     String source, UUID recordedBy, @Nullable UUID confirmedBy, @Nullable Instant confirmedAt,
                     int version, Instant createdAt, Instant updatedAt) {

    /** A page of outputs and the total matching the filters. */
    @Serdeable
    public record Page(List<Output> items, long total, int page, int size) {
    }

    /**
     * The evaluation's figures of one instrument and year: the confirmed outputs of that year linked to it, papers by
     * category ({@code journal}, {@code conference}, {@code thesis}, {@code book}, {@code other}: uncategorised),
     * and the counts of papers, awards, patents and projects.
     */
    @Serdeable
    public record Year(UUID instrumentId, int year, long papers, Map<String, Long> papersByCategory, long awards,
                       long patents, long projects) {
    }
}
