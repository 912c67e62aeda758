package org.labcommons.core.booking;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The calendar part of the booking rules, without a database: whether a slot lies within the
 * bookable weekly hours (contiguous intervals join, so 22:00–24:00 on Monday and 00:00–06:00 on
 * Tuesday take an overnight booking) and whether it touches a closure, both in the tenant's zone.
 */
public final class SlotRules {
    private SlotRules() {
    }

    /** True when every moment of [start, end) lies in a bookable interval. */
    public static boolean withinHours(BookingRules rules, ZoneId zone, Instant start, Instant end) {
        Instant t = start;
        int guard = 0;
        while (t.isBefore(end)) {
            Optional<Instant> until = coveredUntil(rules, zone, t);
            if (until.isEmpty() || !until.get().isAfter(t) || ++guard > 10_000) {
                return false;
            }
            t = until.get();
        }
        return true;
    }

    /** The end of the bookable interval that contains {@code t}, if any. */
    private static Optional<Instant> coveredUntil(BookingRules rules, ZoneId zone, Instant t) {
        ZonedDateTime local = t.atZone(zone);
        LocalDate date = local.toLocalDate();
        int minute = local.getHour() * 60 + local.getMinute();
        List<BookingRules.Interval> day = rules.weeklyHours().getOrDefault(
                local.getDayOfWeek().name().toLowerCase(Locale.ROOT), List.of());
        for (BookingRules.Interval iv : day) {
            if (iv.fromMinutes() <= minute && minute < iv.toMinutes()) {
                LocalDateTime endLocal = iv.toMinutes() == 1440 ? date.plusDays(1).atStartOfDay()
                        : date.atTime(iv.toMinutes() / 60, iv.toMinutes() % 60);
                return Optional.of(endLocal.atZone(zone).toInstant());
            }
        }
        return Optional.empty();
    }

    /** The first closure that shares a local date with [start, end), if any. */
    public static Optional<BookingRules.Closure> closure(BookingRules rules, ZoneId zone, Instant start, Instant end) {
        LocalDate first = start.atZone(zone).toLocalDate();
        LocalDate last = end.minusNanos(1).atZone(zone).toLocalDate();
        for (BookingRules.Closure c : rules.closures()) {
            if (!c.to().isBefore(first) && !c.from().isAfter(last)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
