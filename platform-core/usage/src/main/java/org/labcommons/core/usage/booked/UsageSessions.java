package org.labcommons.core.usage.booked;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.booking.BookingAccess;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.booking.BookingPeople;
import org.labcommons.core.booking.UsageRecords;
import org.labcommons.core.catalog.CatalogueAccess;
import org.labcommons.core.catalog.ManagedInstruments;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Usage sessions for the API and the pages (docs/usage.md): lists, one session with its evidence,
 * corrections and the staff records of its booking, staff corrections with a reason, and the
 * attribution of an unattributed session to a person (and one of their bookings). Who sees what: the
 * staff of an instrument (those who manage it: {@link ManagedInstruments}, {@link BookingAccess}) see
 * its sessions, everyone sees their own; any other session of the acting tenant, and every other
 * tenant's, is a 404. Corrections and attributions are the instrument's staff's (403 for the session's
 * own person), audited, and leave the measured values in place ({@code usage_session_correction}): the
 * effective values are the latest correction's.
 */
@Singleton
public record UsageSessions(TenantTransactions tenants, BookedRows rows, SessionEvents events, AuditLog audit,
                            BookingAccess access, CatalogueAccess catalogue, UsageRecords records,
                            BookingPeople people, BookingClock clock) {
    /** The links a list may ask for. */
    public static final List<String> LINKS = List.of("booked", "unbooked", "unattributed");
    private static final Duration MAX_SESSION = Duration.ofDays(31);

    /** A page of sessions and how many there are in all. */
    @Serdeable
    public record Page(List<UsageSession> items, long total, int page, int size) {
    }

    /** A list's optional filters (effective values). */
    public record Filter(@Nullable UUID instrumentId, @Nullable UUID userId, @Nullable Instant from,
                         @Nullable Instant to, @Nullable String link) {
    }

    /** The sessions the caller may see (of the instruments they manage, and their own), latest first. */
    public Page list(AuthenticatedUser user, Filter f, int page, int size) {
        catalogue.requireMember(user);
        return page(user.actingTenant(), ManagedInstruments.of(user), user.userId(), f, page, size);
    }

    /** The staff's queue: unattributed sessions of the instruments the caller manages (403 when none). */
    public Page unattributed(AuthenticatedUser user, @Nullable UUID instrumentId, int page, int size) {
        catalogue.requireMember(user);
        ManagedInstruments m = ManagedInstruments.of(user);
        if (m.none()) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
        return page(user.actingTenant(), m, null, new Filter(instrumentId, null, null, null, "unattributed"), page, size);
    }

    private Page page(TenantId tenant, ManagedInstruments m, @Nullable UUID me, Filter f, int page, int size) {
        String[] instruments = strings(m.instruments());
        String[] units = strings(m.units());
        return tenants.inTenant(tenant, c -> {
            long total = rows.count(m.all(), instruments, units, me, false, f.instrumentId(), f.userId(), f.from(),
                    f.to(), f.link());
            List<UsageSession> items = rows.page(m.all(), instruments, units, me, false, f.instrumentId(), f.userId(),
                    f.from(), f.to(), f.link(), size, (long) page * size).stream().map(UsageSession::of).toList();
            return new Page(items, total, page, size);
        });
    }

    /** One session the caller may see, with its evidence, corrections and its booking's staff records; else 404. */
    public UsageSession.Detail get(AuthenticatedUser user, UUID id) {
        seen(user, id);
        return detail(user.actingTenant(), id);
    }

    /**
     * A staff correction ({@code usage.session.corrected}): start, end and reason required; the person
     * and booking default to the session's current ones; a booking must be of the session's instrument.
     */
    public UsageSession.Detail correct(AuthenticatedUser user, UUID id, SessionInputs.Correction in) {
        List<FieldProblem> problems = new ArrayList<>();
        if (in.start() == null) {
            problems.add(new FieldProblem("start", "not_null", "validation.not_null", Map.of()));
        }
        if (in.end() == null) {
            problems.add(new FieldProblem("end", "not_null", "validation.not_null", Map.of()));
        }
        if (in.start() != null && in.end() != null && (!in.end().isAfter(in.start())
                || Duration.between(in.start(), in.end()).compareTo(MAX_SESSION) > 0)) {
            problems.add(new FieldProblem("end", "range", "validation.booking.range", Map.of("days", MAX_SESSION.toDays())));
        }
        String reason = reason(in.reason(), true, problems);
        invalidIf(problems);
        UsageSession now = staffSession(user, id);
        UUID person = in.userId() != null ? in.userId() : now.userId();
        UUID booking = in.bookingId() != null ? in.bookingId() : now.bookingId();
        return write(user, now, in.start().toInstant(), in.end().toInstant(), person, booking, reason,
                "usage_session.corrected", "corrected");
    }

    /**
     * Assigns an unattributed session to a person and optionally one of their bookings
     * ({@code usage.session.changed}); a session that is not unattributed is {@code 409 wrong_state}.
     */
    public UsageSession.Detail attribute(AuthenticatedUser user, UUID id, SessionInputs.Attribution in) {
        List<FieldProblem> problems = new ArrayList<>();
        if (in.userId() == null) {
            problems.add(new FieldProblem("userId", "not_null", "validation.not_null", Map.of()));
        }
        String reason = reason(in.reason(), false, problems);
        invalidIf(problems);
        UsageSession now = staffSession(user, id);
        if (!"unattributed".equals(now.link())) {
            throw new ProblemException(HttpStatus.CONFLICT, "wrong_state", now.link());
        }
        if (now.end() == null) {
            throw new ProblemException(HttpStatus.CONFLICT, "wrong_state", now.status());
        }
        return write(user, now, now.start(), now.end(), in.userId(), in.bookingId(),
                reason == null ? "attributed" : reason, "usage_session.attributed", "changed");
    }

    private UsageSession.Detail write(AuthenticatedUser user, UsageSession before, Instant start, Instant end,
                                      @Nullable UUID person, @Nullable UUID booking, String reason, String action,
                                      String eventType) {
        TenantId tenant = user.actingTenant();
        if (person != null && !person.equals(before.userId()) && people.find(tenant, person).isEmpty()) {
            invalidIf(List.of(new FieldProblem("userId", "unknown", "validation.unknown_reference", Map.of())));
        }
        UUID id = before.id();
        tenants.inTenant(tenant, c -> {
            rows.lock(id).orElseThrow(ProblemException::notFound);
            if (booking != null) {
                BookedRows.BookingFacts b = rows.booking(booking).orElse(null);
                if (b == null || !b.instrumentId().equals(before.instrumentId())
                        || (person != null && !b.requesterUserId().equals(person))) {
                    invalidIf(List.of(new FieldProblem("bookingId", "unknown", "validation.unknown_reference", Map.of())));
                }
            }
            rows.correct(UUID.randomUUID(), id, start, end, person, booking, reason, user.userId());
            rows.touch(id, clock.now());
            UsageSession after = UsageSession.of(rows.view(id).orElseThrow());
            Map<String, Object> details = new HashMap<>();
            details.put("instrumentId", before.instrumentId().toString());
            details.put("reason", reason);
            details.put("start", start.toString());
            details.put("end", end.toString());
            details.put("userId", person == null ? "" : person.toString());
            details.put("bookingId", booking == null ? "" : booking.toString());
            details.put("previousStart", before.start().toString());
            details.put("previousEnd", before.end() == null ? "" : before.end().toString());
            details.put("previousUserId", before.userId() == null ? "" : before.userId().toString());
            details.put("previousBookingId", before.bookingId() == null ? "" : before.bookingId().toString());
            audit.append(c, CatalogueAccess.actor(user).entry(action, "usage_session", id.toString(), details));
            events.append(c, eventType, after);
            return after;
        });
        return detail(tenant, id);
    }

    /** The session as the caller may see it (staff of its instrument, or its person); else 404. */
    private Seen seen(AuthenticatedUser user, UUID id) {
        catalogue.requireMember(user);
        UsageSession s = tenants.inTenant(user.actingTenant(), c -> rows.view(id).map(UsageSession::of))
                .orElseThrow(ProblemException::notFound);
        boolean staff = access.target(user, s.instrumentId()).map(BookingAccess.Target::staff).orElse(false);
        if (!staff && !user.userId().equals(s.userId())) {
            throw ProblemException.notFound();
        }
        return new Seen(s, staff);
    }

    private record Seen(UsageSession session, boolean staff) {
    }

    /** A session the caller manages: 404 when not visible, 403 when only its person. */
    private UsageSession staffSession(AuthenticatedUser user, UUID id) {
        Seen seen = seen(user, id);
        if (!seen.staff()) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
        if ("superseded".equals(seen.session().status())) {
            throw new ProblemException(HttpStatus.CONFLICT, "wrong_state", "superseded");
        }
        return seen.session();
    }

    private UsageSession.Detail detail(TenantId tenant, UUID id) {
        UsageSession.Detail d = tenants.inTenant(tenant, c -> {
            BookedRows.SessionView v = rows.view(id).orElseThrow(ProblemException::notFound);
            List<UsageSession.Correction> corrections = rows.corrections(id).stream()
                    .map(r -> new UsageSession.Correction(r.id(), r.startedAt(), r.endedAt(), r.userId(), r.bookingId(),
                            r.reason(), r.correctedBy(), r.correctedAt())).toList();
            return new UsageSession.Detail(UsageSession.of(v), v.evidence(), corrections, List.of());
        });
        UUID booking = d.session().bookingId();
        return booking == null ? d : new UsageSession.Detail(d.session(), d.evidence(), d.corrections(),
                records.forBooking(tenant, booking));
    }

    private static String reason(@Nullable String reason, boolean required, List<FieldProblem> problems) {
        String r = reason == null || reason.isBlank() ? null : reason.strip();
        if (r == null && required) {
            problems.add(new FieldProblem("reason", "not_blank", "validation.not_blank", Map.of()));
        } else if (r != null && r.length() > 1000) {
            problems.add(new FieldProblem("reason", "size", "validation.size", Map.of("min", 1, "max", 1000)));
        }
        return r;
    }

    private static void invalidIf(List<FieldProblem> problems) {
        if (!problems.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
        }
    }

    private static String[] strings(Set<UUID> ids) {
        return ids.stream().map(UUID::toString).toArray(String[]::new);
    }
}
