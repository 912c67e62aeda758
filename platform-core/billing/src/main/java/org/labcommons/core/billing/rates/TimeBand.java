package org.labcommons.core.billing.rates;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.List;

/**
 * A time band of a rate card (night, weekend): on the ISO days {@code days} (1 Monday ... 7 Sunday), from
 * {@code from} (inclusive, {@code HH:mm}) to {@code to} (exclusive, {@code HH:mm}, {@code 24:00} for the end of the
 * day), in the tenant's time zone, one unit costs {@code priceFen} instead of the card's price. A band never crosses
 * midnight: a night from 22:00 to 08:00 is two bands (22:00-24:00 and 00:00-08:00). Bands of one card never overlap
 * (checked when the card is saved).
 */
@Serdeable
public record TimeBand(@Nullable List<Integer> days, @Nullable String from, @Nullable String to, @Nullable Long priceFen) {

    /** The minute of the day the band starts (0-1439). */
    public int fromMinute() {
        return minuteOf(from);
    }

    /** The minute of the day the band ends (1-1440, exclusive). */
    public int toMinute() {
        return minuteOf(to);
    }

    /** Whether the minute {@code minuteOfDay} of day {@code day} lies in the band. */
    public boolean covers(DayOfWeek day, int minuteOfDay) {
        return days != null && days.contains(day.getValue()) && minuteOfDay >= fromMinute() && minuteOfDay < toMinute();
    }

    /** {@code HH:mm} (or {@code 24:00}) as minutes of the day; -1 when it is not such a time. */
    static int minuteOf(@Nullable String hhmm) {
        if (hhmm == null || !hhmm.matches("\\d{2}:\\d{2}")) {
            return -1;
        }
        if (hhmm.equals("24:00")) {
            return 1440;
        }
        try {
            LocalTime t = LocalTime.parse(hhmm);
            return t.getHour() * 60 + t.getMinute();
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
