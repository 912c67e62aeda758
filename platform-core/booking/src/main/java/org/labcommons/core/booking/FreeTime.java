package org.labcommons.core.booking;

import jakarta.inject.Singleton;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The free time of an instrument's calendar from now on, the one computation of it: stretches that
 * the rules open (weekly hours, no closure), that lie between now plus the minimum notice and now
 * plus the booking horizon, that no maintenance window and no active booking covers (a booking
 * keeps its buffer after it, and a booking before it must leave another user's buffer free: a
 * free stretch ends the buffer before the booking that follows), and that are at least the
 * shortest bookable slot long. The booking calendar opens on {@link #firstFreeWeek}; the
 * catalogue's instrument page lists {@link #slots} (the stretches cut at the end of their local
 * day, starting on the half hour). What a single person may not book (their authorisation, their
 * limit of future bookings, a no-show block) is not considered here: a free time is a hint, the
 * booking itself is judged by {@link BookingService}. The rules and the busy rows are read in one
 * transaction of the instrument's tenant ({@link BookingRows#busy}).
 */
@Singleton
public record FreeTime(TenantTransactions tenants, BookingRulesService rulesService, BookingRows rows,
                       BookingClock clock) {
    /** Start times of {@link #slots} are on this step of the zone's wall clock. */
    static final Duration STEP = Duration.ofMinutes(30);

    /** A free stretch [start, end). */
    public record Stretch(Instant start, Instant end) {
        public Duration length() {
            return Duration.between(start, end);
        }
    }

    /** A free time as a page lists it: it starts at {@code start} and stays free until {@code freeUntil}, in the tenant's zone. */
    public record FreeSlot(ZonedDateTime start, ZonedDateTime freeUntil, int minSlotMinutes) {
        /** The Monday of the week the slot is in (the calendar's {@code week}). */
        public LocalDate week() {
            return start.toLocalDate().minusDays(start.getDayOfWeek().getValue() - 1L);
        }
    }

    /** The rules of an instrument, the busy time in its horizon and the moment they were read for. */
    private record Calendar(BookingRules rules, ZoneId zone, Instant now, List<Stretch> busy) {
        List<Stretch> free() {
            return FreeTime.free(rules, zone, now, busy);
        }
    }

    /** The Monday (local date in the instrument's zone) of the first week with free time; empty when none within the horizon. */
    public Optional<LocalDate> firstFreeWeek(TenantId tenant, UUID instrumentId) {
        Calendar c = calendar(tenant, instrumentId);
        return firstFreeWeek(c.rules(), c.zone(), c.now(), c.busy());
    }

    /** Up to {@code limit} free stretches from now, earliest first. */
    public List<Stretch> next(TenantId tenant, UUID instrumentId, int limit) {
        List<Stretch> free = calendar(tenant, instrumentId).free();
        return free.subList(0, Math.min(Math.max(0, limit), free.size()));
    }

    /** Up to {@code count} free times as the instrument page lists them ({@link #slots(BookingRules, ZoneId, List, int)}). */
    public List<FreeSlot> slots(TenantId tenant, UUID instrumentId, int count) {
        Calendar c = calendar(tenant, instrumentId);
        return slots(c.rules(), c.zone(), c.free(), count);
    }

    private Calendar calendar(TenantId tenant, UUID instrumentId) {
        return tenants.inTenant(tenant, c -> {
            BookingRules r = rulesService.rules(c, instrumentId);
            Instant now = clock.now();
            Instant until = now.plus(Duration.ofDays(r.horizonDays()));
            Duration buffer = Duration.ofMinutes(Math.max(0, r.bufferMinutes()));
            List<Stretch> busy = rows.busy(instrumentId, now, until.plus(buffer)).stream()
                    .map(b -> new Stretch("booking".equals(b.kind()) ? b.startsAt().minus(buffer) : b.startsAt(), b.endsAt()))
                    .toList();
            return new Calendar(r, ZoneId.of(r.timeZone()), now, busy);
        });
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

    /**
     * The free stretches as a page lists them (pure): each cut at the end of its local day, its start
     * rounded up to the half hour of the zone, kept when the shortest slot still fits; up to
     * {@code count}, earliest first.
     */
    public static List<FreeSlot> slots(BookingRules r, ZoneId zone, List<Stretch> free, int count) {
        Duration shortest = Duration.ofMinutes(Math.max(1, r.minSlotMinutes()));
        List<FreeSlot> out = new ArrayList<>();
        for (Stretch s : free) {
            Instant t = s.start();
            while (t.isBefore(s.end()) && out.size() < count) {
                Instant dayEnd = t.atZone(zone).toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
                Instant end = dayEnd.isBefore(s.end()) ? dayEnd : s.end();
                Instant start = roundUp(t, zone);
                if (!start.plus(shortest).isAfter(end)) {
                    out.add(new FreeSlot(start.atZone(zone), end.atZone(zone), r.minSlotMinutes()));
                }
                t = end;
            }
        }
        return out;
    }

    /** {@code t} rounded up to the next half hour of the zone's wall clock. */
    static Instant roundUp(Instant t, ZoneId zone) {
        ZonedDateTime z = t.atZone(zone);
        ZonedDateTime floor = z.withMinute(z.getMinute() < 30 ? 0 : 30).withSecond(0).withNano(0);
        return floor.toInstant().equals(t) ? t : floor.plus(STEP).toInstant();
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
