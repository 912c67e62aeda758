package org.labcommons.core.billing.rates;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * A fee standard (one version of a rate card) as the API shows it; {@code history} (its steps, oldest first) only
 * when one card is read. Money in integer fen; {@code rounding} in minutes.
 */
@Serdeable
public record FeeStandard(UUID id, UUID instrumentId, @Nullable UUID serviceId, String rateGroup, int version,
                          String unit, long priceFen, long minimumFen, int rounding, long assistedSurchargeFen,
                          List<TimeBand> timeBands, String status, LocalDate effectiveFrom, @Nullable String filingRef,
                          @Nullable String note, @Nullable Instant activatedAt, Instant createdAt,
                          @Nullable UUID createdBy, Instant updatedAt, @Nullable List<Step> history) {

    /** One step of a card's life: who ({@code actorId}; null: the platform), when, from which status to which, why. */
    @Serdeable
    public record Step(int seq, String action, @Nullable String fromStatus, String toStatus, Instant at,
                       @Nullable UUID actorId, @Nullable String note) {
    }

    /** A page of cards and the total matching the filters. */
    @Serdeable
    public record Page(List<FeeStandard> items, long total, int page, int size) {
    }

    /** Whether the card is still a draft (editable). */
    public boolean draft() {
        return "draft".equals(status);
    }
}
