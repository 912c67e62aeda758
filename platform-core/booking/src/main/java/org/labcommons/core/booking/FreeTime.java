package org.labcommons.core.booking;

import jakarta.inject.Singleton;
import org.labcommons.core.tenancy.TenantId;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The free time of an instrument's calendar from now on: stretches that the rules open (weekly
 * hours, no closure), that lie between now plus the minimum notice and now plus the booking horizon,
 * that no active booking (with its buffer) or maintenance window covers, and that are at least the
 * shortest bookable slot long. The booking calendar opens on {@link #firstFreeWeek}; the instrument
 * page may show {@link #next} as the next free slots. What a single person may not book (their
 * authorisation, their limit of future bookings, a no-show block) is not considered here.
 */
@Singleton
public record FreeTime(BookingService bookings, BookingRulesService rules, BookingClock clock) {
    /** A free stretch [start, end). */
    public record Stretch(Instant start, Instant end) {
        public Duration length() {
            return Duration.between(start, end);
        }
    }

    /** The Monday (local date in the instrument's zone) of the first week with free time; empty when none within the horizon. */
    public Optional<LocalDate> firstFreeWeek(TenantId tenant, UUID instrumentId) {
        BookingRules r = rules.get(tenant, instrumentId);
        Instant now = clock.now();
        return firstFreeWeek(r, ZoneId.of(r.timeZone()), now, busy(tenant, instrumentId, r, now));
    }

    /** Up to {@code limit} free stretches from now, earliest first. */
    public List<Stretch> next(TenantId tenant, UUID instrumentId, int limit) {
        BookingRules r = rules.get(tenant, instrumentId);
        Instant now = clock.now();
        List<Stretch> free = free(r, ZoneId.of(r.timeZone()), now, busy(tenant, instrumentId, r, now));
        return free.subList(0, Math.min(Math.max(0, limit), free.size()));
    }

    private List<Stretch> busy(TenantId tenant, UUID instrumentId, BookingRules r, Instant now) {
        return bookings.busy(tenant, instrumentId, now, now.plus(Duration.ofDays(r.horizonDays()))).stream()
                .map(b -> new Stretch(b.start().toInstant(), b.end().toInstant())).toList();
    }

    /** The Monday of the week holding the first free stretch (pure: the rules, the zone, now and what is busy). */
    public static Optional<LocalDate> firstFreeWeek(BookingRules r, ZoneId zone, Instant now, List<Stretch> busy) {
        return free(r, zone, now, busy).stream().findFirst().map(s -> {
            LocalDate day = s.start().atZone(zone).toLocalDate();
            return day.minusDays(day.getDayOfWeek().getValue() - DayOfWeek.MONDAY.getValue());
        });
    }

    /** Every free stretch between now (plus the notice) and the horizon, earliest first. */
    public static List<Stretch> free(BookingRules r, ZoneId zone, Instant now, List<Stretch> busy) {
        Instant from = now.plus(Duration.ofMinutes(r.minNoticeMinutes()));
        Instant until = now.plus(Duration.ofDays(r.horizonDays()));
        List<Stretch> open = open(r, zone, from, until);
        List<Stretch> taken = new ArrayList<>(busy);
        taken.sort(Comparator.comparing(Stretch::start));
        Duration shortest = Duration.ofMinutes(Math.max(1, r.minSlotMinutes()));
        List<Stretch> out = new ArrayList<>();
        for (Stretch o : open) {
            Instant t = o.start();
            for (Stretch b : taken) {
                if (!b.end().isAfter(t) || !b.start().isBefore(o.end())) {
                    continue;
                }
                if (b.start().isAfter(t)) {
                    keep(out, new Stretch(t, b.start()), shortest);
                }
                t = b.end().isAfter(t) ? b.end() : t;
                if (!t.isBefore(o.end())) {
                    break;
                }
            }
            if (t.isBefore(o.end())) {
                keep(out, new Stretch(t, o.end()), shortest);
            }
        }
        return out;
    }

    private static void keep(List<Stretch> out, Stretch s, Duration shortest) {
        if (s.length().compareTo(shortest) >= 0) {
            out.add(s);
        }
    }

    /** The open time (weekly hours, closures left out) within [from, until), touching stretches joined. */
    static List<Stretch> open(BookingRules r, ZoneId zone, Instant from, Instant until) {
        List<Stretch> out = new ArrayList<>();
        if (!from.isBefore(until)) {
            return out;
        }
        LocalDate last = until.atZone(zone).toLocalDate();
        for (LocalDate day = from.atZone(zone).toLocalDate(); !day.isAfter(last); day = day.plusDays(1)) {
            LocalDate d = day;
            if (r.closures().stream().anyMatch(c -> !d.isBefore(c.from()) && !d.isAfter(c.to()))) {
                continue;
            }
            List<BookingRules.Interval> hours = new ArrayList<>(r.weeklyHours().getOrDefault(
                    BookingRules.WEEKDAYS.get(day.getDayOfWeek().getValue() - 1), List.of()));
            hours.sort(Comparator.comparingInt(BookingRules.Interval::fromMinutes));
            for (BookingRules.Interval iv : hours) {
                Instant s = day.atStartOfDay().plusMinutes(iv.fromMinutes()).atZone(zone).toInstant();
                Instant e = day.atStartOfDay().plusMinutes(iv.toMinutes()).atZone(zone).toInstant();
                s = s.isBefore(from) ? from : s;
                e = e.isAfter(until) ? until : e;
                if (!s.isBefore(e)) {
                    continue;
                }
                Stretch previous = out.isEmpty() ? null : out.get(out.size() - 1);
                if (previous != null && !s.isAfter(previous.end())) {
                    out.set(out.size() - 1, new Stretch(previous.start(), e.isAfter(previous.end()) ? e : previous.end()));
                } else {
                    out.add(new Stretch(s, e));
                }
            }
        }
        return out;
    }
}
