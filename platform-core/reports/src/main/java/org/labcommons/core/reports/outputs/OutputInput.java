package org.labcommons.core.reports.outputs;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.UUID;

/**
 * An output as a user or staff send it (create and edit); checked by {@link OutputChecks} with a field error per
 * bad field: {@code kind} one of paper, award, patent, project; {@code category} one of the kind's
 * ({@link OutputChecks#CATEGORIES}, optional); {@code title} 1-500 characters; {@code year} 1950 to next year;
 * {@code people} (authors, holders, winners, leaders) 1-2000; {@code doi} (papers) a DOI ({@code 10.<registrant>/<suffix>},
 * an https://doi.org/ prefix is dropped); {@code patentNumber} (patents, required) and {@code grantCode} (projects,
 * required); {@code instrumentIds} at least one instrument of the tenant; {@code bookingId},
 * {@code usageSessionId} optional.
 */
@Serdeable
public record OutputInput(@Nullable String kind, @Nullable String category, @Nullable String title,
                          @Nullable Integer year, @Nullable String people, @Nullable String doi,
                          @Nullable String patentNumber, @Nullable String grantCode,
                          @Nullable List<UUID> instrumentIds, @Nullable UUID bookingId, @Nullable UUID usageSessionId) {
}
