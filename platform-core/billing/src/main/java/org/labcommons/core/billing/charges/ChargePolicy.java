package org.labcommons.core.billing.charges;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.UUID;

/**
 * How an instrument's use is charged (docs/billing.md, "Charges"): {@code basis} {@code measured} (measured time
 * where a device reports, else the staff's usage record, else the booked time) or {@code booked} (always the booked
 * time); whether staff review charges before they post ({@code reviewRequired}); cancellation by the requester is
 * free until {@code cancelFreeHours} before the start, then costs {@code cancelFeeBp} basis points of the booked
 * time's price; a no-show costs {@code noShowFeeBp} basis points of it. {@code version} 0: the defaults (no row).
 */
@Serdeable
public record ChargePolicy(UUID instrumentId, String basis, boolean reviewRequired, int cancelFreeHours, int cancelFeeBp,
                           int noShowFeeBp, long version, @Nullable Instant updatedAt, @Nullable UUID updatedBy) {
    /** The defaults of an instrument without a policy row. */
    public static ChargePolicy defaults(UUID instrumentId) {
        return new ChargePolicy(instrumentId, "measured", true, 24, 0, 10_000, 0, null, null);
    }

    /** What a manager may set (each null: keep the current value). */
    @Serdeable
    public record Input(@Nullable String basis, @Nullable Boolean reviewRequired, @Nullable Integer cancelFreeHours,
                        @Nullable Integer cancelFeeBp, @Nullable Integer noShowFeeBp) {
    }
}
