package org.labcommons.core.billing.rates;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.UUID;

/**
 * The rate cards charges rate with: {@link #effective} finds the card in force, {@link #price} applies the rating
 * rule ({@link Rating}, where the rounding rule is stated).
 */
@Singleton
public record RateCards(TenantTransactions tenants, FeeStandardRows rows, FeeStandards standards) {

    /**
     * The card of (instrument, service (null: machine time), rate group) in force at {@code at}: of the filed cards
     * (and the ones a later card superseded since) whose effective day (in the tenant's zone) is on or before the day
     * of {@code at}, the one with the latest effective day (then the highest version). Empty when none: only a filed
     * card whose day has come charges. Read on every call, so a card filed for a later day applies from that day on
     * whether or not {@link FeeStandardActivation} has run yet.
     */
    public Optional<RateCard> effective(TenantId tenant, UUID instrumentId, @Nullable UUID serviceId, String rateGroup,
                                        Instant at) {
        ZoneId zone = standards.zone(tenant);
        return tenants.inTenant(tenant, c -> rows.inForce(instrumentId, serviceId, rateGroup,
                at.atZone(zone).toLocalDate()).map(s -> standards.card(s, zone)));
    }

    /** What {@code used} time on an hourly card costs, from {@code start} ({@link Rating#priceTime}). */
    public long price(RateCard card, Duration used, boolean assisted, Instant start) {
        return Rating.priceTime(card, used, assisted, start);
    }

    /** What {@code quantity} samples, items or days cost on a card, at {@code start} ({@link Rating#priceQuantity}). */
    public long price(RateCard card, long quantity, boolean assisted, Instant start) {
        return Rating.priceQuantity(card, quantity, assisted, start);
    }
}
