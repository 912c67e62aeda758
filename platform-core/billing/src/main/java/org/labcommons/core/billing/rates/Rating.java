package org.labcommons.core.billing.rates;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The rating rule of a rate card, one pure function (no clock, no database), in integer fen.
 * <p>
 * <b>Hourly cards</b> ({@code unit = hour}): the used time is rounded <em>up</em> to the card's increment
 * ({@code rounding} minutes): billed minutes = ceil(used seconds / (60 x rounding)) x rounding; 0 seconds bill 0
 * minutes and cost 0 (no minimum). The billed minutes run from {@code start} on; each billed minute is priced at the
 * time band in force, in the card's zone, when the minute begins (else the card's price), plus the assisted
 * surcharge per hour when assisted. The amount is the sum of minute prices divided by 60 once, at the end, rounded
 * half up to a whole fen (sum x 1 + 30) / 60: at most half a fen per charge, never per minute. If that is less than
 * the minimum charge, the minimum is charged.
 * <p>
 * <b>Other cards</b> ({@code sample}, {@code item}, {@code day}): quantity x (price of the band in force at
 * {@code start}, else the card's price, plus the assisted surcharge when assisted); a quantity of 0 costs 0; a
 * positive quantity costs at least the minimum. No rounding is needed: every factor is whole fen.
 */
public final class Rating {
    private Rating() {
    }

    /** The billed minutes of {@code used} on an hourly card with increment {@code rounding} minutes (rounded up). */
    public static long billedMinutes(Duration used, int rounding) {
        if (used.isNegative()) {
            throw new IllegalArgumentException("a negative duration");
        }
        long seconds = used.getSeconds() + (used.getNano() > 0 ? 1 : 0);
        long step = 60L * rounding;
        long increments = (seconds + step - 1) / step;
        return Math.multiplyExact(increments, rounding);
    }

    /** The charge in fen for {@code used} time on an hourly card, starting at {@code start}. */
    public static long priceTime(RateCard card, Duration used, boolean assisted, Instant start) {
        if (!"hour".equals(card.unit())) {
            throw new IllegalArgumentException("a card of unit " + card.unit() + " is rated by quantity");
        }
        long minutes = billedMinutes(used, card.rounding());
        if (minutes == 0) {
            return 0;
        }
        ZoneId zone = card.zoneId();
        long surcharge = assisted ? card.assistedSurchargeFen() : 0;
        long sum = 0;   // fen x minutes / hour: divided by 60 once, at the end
        ZonedDateTime at = start.atZone(zone);
        for (long i = 0; i < minutes; i++) {
            ZonedDateTime minute = at.plusMinutes(i);
            sum = Math.addExact(sum, unitPrice(card, minute) + surcharge);
        }
        long amount = (sum + 30) / 60;
        return Math.max(amount, card.minimumFen());
    }

    /** The charge in fen for {@code quantity} units (samples, items, days) of a card, at {@code start}. */
    public static long priceQuantity(RateCard card, long quantity, boolean assisted, Instant start) {
        if ("hour".equals(card.unit())) {
            throw new IllegalArgumentException("an hourly card is rated by duration");
        }
        if (quantity < 0) {
            throw new IllegalArgumentException("a negative quantity");
        }
        if (quantity == 0) {
            return 0;
        }
        long each = unitPrice(card, start.atZone(card.zoneId())) + (assisted ? card.assistedSurchargeFen() : 0);
        return Math.max(Math.multiplyExact(quantity, each), card.minimumFen());
    }

    /** The price of one unit at a moment: the first band covering it, else the card's price. */
    static long unitPrice(RateCard card, ZonedDateTime at) {
        DayOfWeek day = at.getDayOfWeek();
        int minuteOfDay = at.getHour() * 60 + at.getMinute();
        for (TimeBand band : card.timeBands()) {
            if (band.covers(day, minuteOfDay)) {
                return band.priceFen();
            }
        }
        return card.priceFen();
    }
}
