package org.labcommons.core.booking;

import jakarta.inject.Singleton;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The next free times of an instrument, as its catalogue page offers them: within the booking
 * horizon and after the minimum notice, inside the weekly hours, outside closures, maintenance and
 * active bookings (with the buffer a booking keeps after it). Each free stretch counts once, cut at
 * the end of its local day: a free time is where a free stretch starts and how long it lasts, and
 * the shortest booking the rules take ({@code minSlotMinutes}) fits into it. Start times are on the
 * half hour of the tenant's zone. Read-only: a free time is a hint, the booking itself is judged
 * by {@link BookingService}.
 */
@Singleton
public record NextFreeSlots(TenantTransactions tenants, BookingRulesService rulesService, BookingRows rows,
                            BookingClock clock) {
    /** Candidate start times are this far apart. */
    static final Duration STEP = Duration.ofMinutes(30);

    /** A free stretch: it starts at {@code start} and stays free until {@code freeUntil}, in the tenant's zone. */
    public record FreeSlot(ZonedDateTime start, ZonedDateTime freeUntil, int minSlotMinutes) {
        /** The Monday of the week the slot is in (the calendar's {@code week}). */
        public LocalDate week() {
            return start.toLocalDate().minusDays(start.getDayOfWeek().getValue() - 1L);
        }
    }

    /** Up to {@code count} free stretches of the instrument of {@code tenant}, earliest first. */
    public List<FreeSlot> next(TenantId tenant, UUID instrumentId, int count) {
        return tenants.inTenant(tenant, c -> {
            BookingRules rules = rulesService.rules(c, instrumentId);
            ZoneId zone = ZoneId.of(rules.timeZone());
            Instant now = clock.now();
            Instant earliest = now.plus(Duration.ofMinutes(rules.minNoticeMinutes()));
            Instant horizon = now.plus(Duration.ofDays(rules.horizonDays()));
            List<BookingRows.BusyRow> busy = earliest.isBefore(horizon)
                    ? rows.busy(instrumentId, earliest, horizon) : List.of();
            return find(rules, zone, earliest, horizon, busy, count);
        });
    }

    /** The search itself, without a database (see the class comment). */
    static List<FreeSlot> find(BookingRules rules, ZoneId zone, Instant earliest, Instant horizon,
                               List<BookingRows.BusyRow> busy, int count) {
        List<FreeSlot> out = new ArrayList<>();
        Duration minSlot = Duration.ofMinutes(Math.max(1, rules.minSlotMinutes()));
        Duration buffer = Duration.ofMinutes(Math.max(0, rules.bufferMinutes()));
        Instant t = roundUp(earliest, zone);
        int guard = 0;
        while (out.size() < count && !t.plus(minSlot).isAfter(horizon) && ++guard < 20_000) {
            Instant end = t.plus(minSlot);
            if (!free(rules, zone, busy, t, end, buffer)) {
                t = t.plus(STEP);
                continue;
            }
            // stretch on while free, within the same local day and the horizon
            Instant dayEnd = t.atZone(zone).toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
            Instant until = end;
            while (until.isBefore(dayEnd) && !until.plus(STEP).isAfter(horizon)
                    && free(rules, zone, busy, until, min(until.plus(STEP), dayEnd), buffer)) {
                until = min(until.plus(STEP), dayEnd);
            }
            out.add(new FreeSlot(t.atZone(zone), until.atZone(zone), rules.minSlotMinutes()));
            t = roundUp(until, zone);   // busy, closed or the next day there: the loop moves on
        }
        return out;
    }

    private static boolean free(BookingRules rules, ZoneId zone, List<BookingRows.BusyRow> busy, Instant start,
                                Instant end, Duration buffer) {
        if (!SlotRules.withinHours(rules, zone, start, end) || SlotRules.closure(rules, zone, start, end).isPresent()) {
            return false;
        }
        Instant blocked = end.plus(buffer);
        for (BookingRows.BusyRow b : busy) {
            if (b.startsAt().isBefore(blocked) && b.endsAt().isAfter(start)) {
                return false;
            }
        }
        return true;
    }

    /** {@code t} rounded up to the next half hour of the zone's wall clock. */
    static Instant roundUp(Instant t, ZoneId zone) {
        ZonedDateTime z = t.atZone(zone);
        ZonedDateTime floor = z.withMinute(z.getMinute() < 30 ? 0 : 30).withSecond(0).withNano(0);
        return floor.toInstant().equals(t) ? t : floor.plusMinutes(30).toInstant();
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
