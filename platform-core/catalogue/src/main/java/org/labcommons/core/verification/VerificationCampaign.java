package org.labcommons.core.verification;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.UUID;

/**
 * A verification campaign with its progress. {@code overdue} is true while the campaign is still
 * open after its deadline (the sweep closes it within one interval). {@code closeReason} is
 * {@code deadline} (closed by the sweep) or {@code manual} (closed by {@code closedBy}).
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record VerificationCampaign(UUID id, String name, Instant deadline, @Nullable UUID orgUnitId, UUID startedBy,
                                   String state, boolean overdue, Instant createdAt, @Nullable Instant closedAt,
                                   @Nullable UUID closedBy, @Nullable String closeReason, Progress progress) {

    /** Item counts: {@code total} = pending + confirmed + corrected. */
    @Serdeable
    public record Progress(int total, int pending, int confirmed, int corrected) {
    }
}
