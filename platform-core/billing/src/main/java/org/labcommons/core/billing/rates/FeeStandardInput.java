package org.labcommons.core.billing.rates;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * A draft's terms (create and edit). On create {@code instrumentId}, {@code serviceId} (null: machine time) and
 * {@code rateGroup} name the card; an edit keeps them (what it sends for them is ignored). {@code minimumFen},
 * {@code assistedSurchargeFen} default to 0, {@code rounding} to 1 (minutes; hourly cards only).
 * Checked by {@link FeeStandards} with a field error per bad field.
 */
@Serdeable
public record FeeStandardInput(@Nullable UUID instrumentId, @Nullable UUID serviceId, @Nullable String rateGroup,
                               @Nullable String unit, @Nullable Long priceFen, @Nullable Long minimumFen,
                               @Nullable Integer rounding, @Nullable Long assistedSurchargeFen,
                               @Nullable List<TimeBand> timeBands, @Nullable LocalDate effectiveFrom,
                               @Nullable String note) {
}
