package org.labcommons.core.billing.charges;

import io.micronaut.core.annotation.Nullable;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A charge to add: its source, what was used and the card it was rated with (null: none filed, unrated). */
record NewCharge(String sourceType, UUID sourceId, long sourceVersion, String kind, @Nullable UUID bookingId,
                 UUID instrumentId, @Nullable UUID serviceId, @Nullable UUID orgUnitId, UUID userId, UUID userHomeTenant,
                 @Nullable String accountCode, String rateGroup, @Nullable UUID feeStandardId, int feeStandardVersion,
                 Instant serviceStart, @Nullable Instant serviceEnd, BigDecimal quantity, String unit) {
}
