package org.labcommons.core.usage.sessions;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.labcommons.core.events.Outbox;
import org.labcommons.core.usage.UsageTopics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Computes an instrument's measured sessions again over a range where new readings arrived, and writes what
 * changed: sessions upserted into {@code usage_session}, the ones no longer produced superseded, and for each
 * change a {@code usage.session.v1} event through the outbox, all in the caller's tenant transaction
 * (docs/usage.md). The range is the new readings' span widened by {@code margin} on each side and then to the
 * stored sessions it meets; the readings read are that range widened by {@code margin} again, and only sessions
 * starting inside the range are written (the ones outside were written by earlier computations).
 */
@Singleton
public record SessionRecompute(SessionRows sessions, ReadingRows readings, SessionInputRows inputs, Outbox outbox,
                               JsonMapper json, PowerSettings power, ReadingSettings settings,
                               @Value("${labcommons.usage.link.grace:15m}") Duration grace) {
    private static final Argument<List<Map<String, Object>>> EVIDENCE = Argument.listOf(Argument.mapOf(String.class, Object.class));

    /** What one recomputation wrote. */
    public record Outcome(int written, int superseded, int events) {
    }

    /** Recomputes {@code instrumentId}'s sessions around [from, to], in the tenant transaction of {@code c}. */
    public Outcome recompute(Connection c, UUID tenantId, UUID instrumentId, Instant from, Instant to) throws SQLException {
        sessions.lock(instrumentId);
        Duration margin = settings.getMargin();
        Instant rangeFrom = from.minus(margin);
        Instant rangeTo = to.plus(margin);
        for (SessionRows.Stored s : sessions.overlapping(instrumentId, rangeFrom, rangeTo)) {
            if (BuiltSession.SUPERSEDED.equals(s.status())) {
                continue;
            }
            if (s.startedAt().isBefore(rangeFrom)) {
                rangeFrom = s.startedAt();
            }
            if (s.endedAt() != null && s.endedAt().isAfter(rangeTo)) {
                rangeTo = s.endedAt();
            }
        }
        Instant loadFrom = rangeFrom.minus(margin);
        Instant loadTo = rangeTo.plus(margin);
        List<Reading> rs = readings.readings(instrumentId, loadFrom, loadTo);
        PowerRule rule = inputs.policy(instrumentId).map(p -> p.apply(power.rule())).orElse(power.rule());
        List<BookingSlot> bookings = inputs.bookings(instrumentId, loadFrom.minus(grace), loadTo.plus(grace));
        List<BuiltSession> built = SessionBuilder.build(new SessionBuilder.Input(tenantId, instrumentId, rs, rule, grace,
                bookings, credentials(rs)));

        Map<UUID, SessionRows.Stored> stored = new HashMap<>();
        for (SessionRows.Stored s : sessions.overlapping(instrumentId, rangeFrom, rangeTo)) {
            stored.put(s.id(), s);
        }
        final Instant wFrom = rangeFrom;
        final Instant wTo = rangeTo;
        List<BuiltSession> kept = built.stream()
                .filter(b -> !b.start().isBefore(wFrom) && b.start().isBefore(wTo)).toList();
        Set<UUID> keptIds = new HashSet<>();
        int written = 0;
        int events = 0;
        for (BuiltSession b : kept) {
            keptIds.add(b.id());
            SessionRows.Stored before = stored.get(b.id());
            String evidence = write(b.evidenceMaps());
            String type = eventType(before, b, evidence);
            if (type == null && before != null && sameMeasures(before, b, evidence)) {
                continue;
            }
            long version = before == null ? 1 : (type == null ? before.version() : before.version() + 1);
            sessions.upsert(b.id(), instrumentId, b.status(), b.start(), b.end(), b.userId(), b.identifiedBy(), b.bookingId(),
                    b.link(), b.earlyMinutes(), b.overtimeMinutes(), b.grade(), b.energyWh(), b.peakWatts(), evidence, version);
            written++;
            if (type != null) {
                outbox.append(c, event(type, payload(b.id(), instrumentId, b.status(), b.start(), b.end(), b.userId(),
                        b.identifiedBy(), b.bookingId(), b.link(), b.earlyMinutes(), b.overtimeMinutes(), b.grade(),
                        b.energyWh(), version)));
                events++;
            }
        }
        int superseded = 0;
        for (SessionRows.Stored s : stored.values().stream()
                .sorted(java.util.Comparator.comparing(SessionRows.Stored::startedAt).thenComparing(SessionRows.Stored::id)).toList()) {
            if (BuiltSession.SUPERSEDED.equals(s.status()) || keptIds.contains(s.id())
                    || s.startedAt().isBefore(wFrom) || !s.startedAt().isBefore(wTo)) {
                continue;
            }
            UUID by = replacement(s, kept);
            long version = s.version() + 1;
            sessions.supersede(s.id(), by, version);
            outbox.append(c, event("usage.session.superseded", payload(s.id(), instrumentId, BuiltSession.SUPERSEDED,
                    s.startedAt(), s.endedAt(), s.userId(), s.identifiedBy(), s.bookingId(), s.link(), s.earlyMinutes(),
                    s.overtimeMinutes(), s.grade(), s.energyWh(), version)));
            superseded++;
            events++;
        }
        return new Outcome(written, superseded, events);
    }

    /** The credentials the readings name (each list holds one impossible value, so it is never empty). */
    private List<Credential> credentials(List<Reading> rs) {
        Set<String> logins = new HashSet<>(List.of(""));
        Set<String> cards = new HashSet<>(List.of(""));
        for (Reading r : rs) {
            if (r.userName() != null) {
                logins.add(Credential.normaliseLogin(r.userName()));
            }
            if (r.cardId() != null) {
                cards.add(Credential.normaliseCard(r.cardId()));
            }
        }
        if (logins.size() == 1 && cards.size() == 1) {
            return List.of();
        }
        return inputs.credentials(logins, cards);
    }

    /**
     * The event a write announces: null when only what grows while a session is open changed (energy, peak,
     * evidence of the last sample), which is written without a new version.
     */
    static String eventType(SessionRows.Stored before, BuiltSession b, String evidence) {
        if (before == null) {
            return BuiltSession.OPEN.equals(b.status()) ? "usage.session.opened" : "usage.session.closed";
        }
        if (BuiltSession.SUPERSEDED.equals(before.status())) {
            return BuiltSession.OPEN.equals(b.status()) ? "usage.session.opened" : "usage.session.closed";
        }
        if (BuiltSession.OPEN.equals(before.status()) && BuiltSession.CLOSED.equals(b.status())) {
            return "usage.session.closed";
        }
        boolean same = before.status().equals(b.status()) && before.startedAt().equals(b.start())
                && Objects.equals(before.endedAt(), b.end()) && Objects.equals(before.userId(), b.userId())
                && Objects.equals(before.identifiedBy(), b.identifiedBy()) && Objects.equals(before.bookingId(), b.bookingId())
                && before.link().equals(b.link()) && before.earlyMinutes() == b.earlyMinutes()
                && before.overtimeMinutes() == b.overtimeMinutes() && before.grade().equals(b.grade());
        if (!same) {
            return "usage.session.changed";
        }
        return BuiltSession.OPEN.equals(b.status()) ? null : (sameNumbers(before, b) ? null : "usage.session.changed");
    }

    private static boolean sameNumbers(SessionRows.Stored before, BuiltSession b) {
        return before.energyWh() != null && before.energyWh().compareTo(b.energyWh()) == 0
                && before.peakWatts() != null && before.peakWatts().compareTo(b.peakWatts()) == 0;
    }

    /** Whether nothing at all changed (no write needed). */
    private boolean sameMeasures(SessionRows.Stored before, BuiltSession b, String evidence) {
        return sameNumbers(before, b) && read(before.evidence()).equals(read(evidence));
    }

    /** The kept session that overlaps a superseded one most (null: none). */
    private static UUID replacement(SessionRows.Stored s, List<BuiltSession> kept) {
        UUID best = null;
        long bestOverlap = 0;
        Instant sEnd = s.endedAt() != null ? s.endedAt() : Instant.MAX;
        for (BuiltSession b : kept) {
            Instant bEnd = b.end() != null ? b.end() : Instant.MAX;
            Instant a = s.startedAt().isAfter(b.start()) ? s.startedAt() : b.start();
            Instant z = sEnd.isBefore(bEnd) ? sEnd : bEnd;
            if (!a.isBefore(z) && !(a.equals(z) && a.equals(b.start()))) {
                continue;
            }
            long overlap = z.equals(Instant.MAX) ? Long.MAX_VALUE : Math.max(1, Duration.between(a, z).toMillis());
            if (overlap > bestOverlap) {
                best = b.id();
                bestOverlap = overlap;
            }
        }
        return best;
    }

    private static Outbox.Event event(String type, Map<String, Object> payload) {
        return new Outbox.Event(UsageTopics.USAGE_SESSION, type, 1, "usage_session", (String) payload.get("id"),
                (Long) payload.get("version"), payload);
    }

    /** The payload of a {@code usage.session.v1} event: the session after the change (docs/events.md). */
    static Map<String, Object> payload(UUID id, UUID instrumentId, String status, Instant start, Instant end, UUID userId,
                                       String identifiedBy, UUID bookingId, String link, int early, int overtime,
                                       String grade, BigDecimal energyWh, long version) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("id", id.toString());
        p.put("instrumentId", instrumentId.toString());
        p.put("source", BuiltSession.SOURCE);
        p.put("status", status);
        p.put("start", start.toString());
        p.put("end", end == null ? null : end.toString());
        p.put("minutes", end == null ? null : Duration.between(start, end).toMinutes());
        p.put("userId", userId == null ? null : userId.toString());
        p.put("identifiedBy", identifiedBy);
        p.put("bookingId", bookingId == null ? null : bookingId.toString());
        p.put("link", link);
        p.put("earlyMinutes", early);
        p.put("overtimeMinutes", overtime);
        p.put("grade", grade);
        p.put("energyWh", energyWh);
        p.put("version", version);
        return p;
    }

    private String write(Collection<Map<String, Object>> evidence) {
        try {
            return json.writeValueAsString(evidence);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Map<String, Object>> read(String text) {
        try {
            return json.readValue(text, EVIDENCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
