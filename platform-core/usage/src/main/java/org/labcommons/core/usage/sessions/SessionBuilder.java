package org.labcommons.core.usage.sessions;

import io.micronaut.core.annotation.Nullable;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The usage sessions of one instrument, derived from its readings: a pure function (no I/O, no clock), so a
 * recomputation over the same readings, however they arrived (late, replayed, out of order), gives the same
 * sessions with the same ids (docs/usage.md, "Sessions").
 *
 * <ol>
 *   <li>Power: the instrument is in use from the first sample at or above {@code onWatts} of a run that stays
 *       there for {@code onSustain}; it is off from the first sample below, once power stayed below for
 *       {@code offAfter} (a shorter dip changes nothing), or at the last sample before a silence longer than
 *       {@code offAfter}. Sessions less than {@code mergeGap} apart are one; closed sessions shorter than
 *       {@code minSession} are dropped. Power still on at the last reading: the session is {@code open}.</li>
 *   <li>Identity: the first {@code pc.login}, {@code pc.logout}, {@code card.swipe} or {@code session.start}
 *       from {@code grace} before the start to the end whose login name or card is a person's credential
 *       (valid then): grade A, {@code identifiedBy} {@code pc} or {@code card}.</li>
 *   <li>Booking: a booking of that person overlapping the session widened by {@code grace} on each side, the one
 *       overlapping most: {@code booked}, with the early and overtime minutes; none: {@code unbooked}. Without an
 *       identified person, a booking of anyone overlapping it so: its person, grade B, {@code identifiedBy}
 *       {@code booking}. Neither: {@code unattributed}, grade C, no person (the staff queue).</li>
 *   <li>Id: a name-based UUID of tenant, instrument, source and the event id of the sample that opened it.</li>
 * </ol>
 */
public final class SessionBuilder {
    private static final Set<String> IDENTIFYING = Set.of("pc.login", "pc.logout", "card.swipe", "session.start");

    private SessionBuilder() {
    }

    /**
     * What a computation needs.
     *
     * @param readings    the instrument's readings over the range, any order (duplicates of an event id count once)
     * @param bookings    the instrument's bookings around the range (approved, checked in, no-show)
     * @param credentials the tenant's credentials (at least those the readings name)
     */
    public record Input(UUID tenantId, UUID instrumentId, List<Reading> readings, PowerRule rule, Duration grace,
                        List<BookingSlot> bookings, List<Credential> credentials) {
    }

    /** The sessions of {@code in}, in order of their start. */
    public static List<BuiltSession> build(Input in) {
        List<Reading> ordered = ordered(in.readings());
        List<Reading> power = ordered.stream().filter(Reading::isPower).toList();
        List<Reading> identifying = ordered.stream().filter(r -> IDENTIFYING.contains(r.type())).toList();
        Map<String, Credential> credentials = new HashMap<>();
        for (Credential c : in.credentials()) {
            credentials.putIfAbsent(c.key(), c);
        }
        List<BuiltSession> out = new ArrayList<>();
        for (Interval i : merged(intervals(power, in.rule()), in.rule())) {
            out.add(session(in, i, power, identifying, credentials));
        }
        return out;
    }

    /** The readings in placement order, each event id once. */
    static List<Reading> ordered(List<Reading> readings) {
        Map<UUID, Reading> unique = new LinkedHashMap<>();
        for (Reading r : readings) {
            unique.putIfAbsent(r.eventId(), r);
        }
        List<Reading> list = new ArrayList<>(unique.values());
        list.sort(Reading.ORDER);
        return list;
    }

    /** A span of use: its opening sample, its closing sample (null while open), its last sample at or above on-watts. */
    record Interval(Reading first, @Nullable Reading off, Reading lastHigh) {
        Instant start() {
            return first.at();
        }

        @Nullable
        Instant end() {
            return off == null ? null : off.at();
        }
    }

    /** The spans of use by the power rule, before merging. */
    static List<Interval> intervals(List<Reading> power, PowerRule rule) {
        List<Interval> out = new ArrayList<>();
        Reading candidate = null;   // first sample of a run at or above on-watts, not yet sustained
        Reading first = null;       // the opening sample while on
        Reading lastHigh = null;
        Reading lowSince = null;    // first sample below while on
        Reading previous = null;
        for (Reading s : power) {
            boolean high = s.watts() >= rule.onWatts();
            if (first != null && previous != null
                    && Duration.between(previous.at(), s.at()).compareTo(rule.offAfter()) > 0) {
                // silence longer than off-after while on: off at the last sample before it
                out.add(new Interval(first, lowSince != null ? lowSince : previous, lastHigh));
                first = null;
                lowSince = null;
                candidate = null;
            }
            if (first == null) {
                if (!high) {
                    candidate = null;
                } else {
                    if (candidate == null || (previous != null
                            && Duration.between(previous.at(), s.at()).compareTo(rule.offAfter()) > 0)) {
                        candidate = s;
                    }
                    if (Duration.between(candidate.at(), s.at()).compareTo(rule.onSustain()) >= 0) {
                        first = candidate;
                        lastHigh = s;
                        lowSince = null;
                        candidate = null;
                    }
                }
            } else if (high) {
                lastHigh = s;
                lowSince = null;
            } else {
                if (lowSince == null) {
                    lowSince = s;
                }
                if (Duration.between(lowSince.at(), s.at()).compareTo(rule.offAfter()) >= 0) {
                    out.add(new Interval(first, lowSince, lastHigh));
                    first = null;
                    lowSince = null;
                }
            }
            previous = s;
        }
        if (first != null) {
            out.add(new Interval(first, null, lastHigh));
        }
        return out;
    }

    /** Spans less than merge-gap apart merged; closed spans shorter than min-session dropped. */
    static List<Interval> merged(List<Interval> spans, PowerRule rule) {
        List<Interval> merged = new ArrayList<>();
        for (Interval i : spans) {
            Interval last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && last.end() != null
                    && Duration.between(last.end(), i.start()).compareTo(rule.mergeGap()) < 0) {
                merged.set(merged.size() - 1, new Interval(last.first(), i.off(), i.lastHigh()));
            } else {
                merged.add(i);
            }
        }
        return merged.stream().filter(i -> i.end() == null
                || Duration.between(i.start(), i.end()).compareTo(rule.minSession()) >= 0).toList();
    }

    private static BuiltSession session(Input in, Interval i, List<Reading> power, List<Reading> identifying,
                                        Map<String, Credential> credentials) {
        Instant start = i.start();
        Instant end = i.end();
        // energy: each sample's watts over the time to the next sample, within the session
        double wattSeconds = 0;
        double peak = 0;
        int count = 0;
        Reading last = i.first();
        for (int k = 0; k < power.size(); k++) {
            Reading s = power.get(k);
            if (s.at().isBefore(start) || (end != null && !s.at().isBefore(end))) {
                continue;
            }
            count++;
            last = s;
            peak = Math.max(peak, s.watts());
            if (k + 1 < power.size()) {
                Instant next = power.get(k + 1).at();
                if (end != null && next.isAfter(end)) {
                    next = end;
                }
                wattSeconds += s.watts() * Duration.between(s.at(), next).toMillis() / 1000.0;
            }
        }
        Instant seenUntil = end != null ? end : last.at();
        List<Evidence> evidence = new ArrayList<>();
        evidence.add(new Evidence(i.first(), "on", count));
        if (!i.lastHigh().eventId().equals(i.first().eventId())) {
            evidence.add(new Evidence(i.lastHigh(), "last", null));
        }
        if (i.off() != null) {
            evidence.add(new Evidence(i.off(), "off", null));
        }

        UUID userId = null;
        String identifiedBy = null;
        Instant from = start.minus(in.grace());
        for (Reading r : identifying) {
            if (r.at().isBefore(from) || r.at().isAfter(seenUntil)) {
                continue;
            }
            Credential c = credential(r, credentials);
            if (c != null) {
                userId = c.userId();
                identifiedBy = "card.swipe".equals(r.type()) || (r.userName() == null && r.cardId() != null) ? "card" : "pc";
                evidence.add(new Evidence(r, "identity", null));
                break;
            }
        }
        BookingSlot booking = booking(in, start, seenUntil, userId);
        String grade;
        String link;
        if (userId != null) {
            grade = "A";
            link = booking != null ? "booked" : "unbooked";
        } else if (booking != null) {
            grade = "B";
            link = "booked";
            userId = booking.userId();
            identifiedBy = "booking";
        } else {
            grade = "C";
            link = "unattributed";
        }
        int early = 0;
        int overtime = 0;
        if (booking != null) {
            early = (int) Math.max(0, Duration.between(start, booking.startsAt()).toMinutes());
            overtime = end == null ? 0 : (int) Math.max(0, Duration.between(booking.endsAt(), end).toMinutes());
        }
        UUID id = id(in.tenantId(), in.instrumentId(), BuiltSession.SOURCE, i.first().eventId());
        return new BuiltSession(id, in.instrumentId(), end == null ? BuiltSession.OPEN : BuiltSession.CLOSED, start, end,
                userId, identifiedBy, booking != null ? booking.bookingId() : null, link, early, overtime, grade,
                BigDecimal.valueOf(wattSeconds / 3600.0).setScale(3, RoundingMode.HALF_UP),
                BigDecimal.valueOf(peak).setScale(3, RoundingMode.HALF_UP), List.copyOf(evidence));
    }

    @Nullable
    private static Credential credential(Reading r, Map<String, Credential> credentials) {
        Credential c = null;
        if (r.userName() != null) {
            c = credentials.get(Credential.key(Credential.LOGIN, r.userName()));
        }
        if (c == null && r.cardId() != null) {
            c = credentials.get(Credential.key(Credential.CARD, r.cardId()));
        }
        return c != null && c.validAt(r.at()) ? c : null;
    }

    /**
     * The booking the session [start, end] falls in: overlapping it widened by grace on each side, of
     * {@code userId} (any person's when null), the one overlapping the session most (then the earliest).
     */
    @Nullable
    private static BookingSlot booking(Input in, Instant start, Instant end, @Nullable UUID userId) {
        BookingSlot best = null;
        long bestOverlap = -1;
        List<BookingSlot> sorted = new ArrayList<>(in.bookings());
        sorted.sort(Comparator.comparing(BookingSlot::startsAt).thenComparing(BookingSlot::bookingId));
        for (BookingSlot b : sorted) {
            if (userId != null && !userId.equals(b.userId())) {
                continue;
            }
            boolean near = start.isBefore(b.endsAt().plus(in.grace())) && end.isAfter(b.startsAt().minus(in.grace()));
            if (!near) {
                continue;
            }
            Instant a = start.isAfter(b.startsAt()) ? start : b.startsAt();
            Instant z = end.isBefore(b.endsAt()) ? end : b.endsAt();
            long overlap = Math.max(0, Duration.between(a, z).toMillis());
            if (overlap > bestOverlap) {
                best = b;
                bestOverlap = overlap;
            }
        }
        return best;
    }

    /** The deterministic id of a session: name-based from tenant, instrument, source and its first evidence's event id. */
    public static UUID id(UUID tenantId, UUID instrumentId, String source, UUID firstEventId) {
        return UUID.nameUUIDFromBytes((tenantId + "/" + instrumentId + "/" + source + "/" + firstEventId)
                .getBytes(StandardCharsets.UTF_8));
    }
}
