package org.labcommons.core.billing.rates;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

/**
 * A filed fee standard as charges rate with it: one version of the card of (instrument, machine time or service,
 * rate group), its unit ({@code hour}, {@code sample}, {@code item}, {@code day}), price per unit, minimum charge,
 * rounding increment in minutes (hourly cards; 1 for the others), assisted surcharge per unit and time bands, all in
 * integer fen, and the time zone its bands are read in (the tenant's). {@link RateCards#price} rates with it.
 */
@Serdeable
public record RateCard(UUID id, UUID instrumentId, @Nullable UUID serviceId, String rateGroup, int version,
                       String unit, long priceFen, long minimumFen, int rounding, long assistedSurchargeFen,
                       List<TimeBand> timeBands, LocalDate effectiveFrom, String filingRef, String zone) {
    public RateCard {
        timeBands = timeBands == null ? List.of() : List.copyOf(timeBands);
    }

    /** The zone the card's time bands are read in. */
    public ZoneId zoneId() {
        return ZoneId.of(zone);
    }
}
