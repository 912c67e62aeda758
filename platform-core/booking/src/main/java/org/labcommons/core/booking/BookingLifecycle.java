package org.labcommons.core.booking;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.db.SqlStates;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.labcommons.core.booking.BookingService.blankToNull;
import static org.labcommons.core.booking.BookingService.refusal;
import static org.labcommons.core.booking.BookingService.refused;

/**
 * What happens to a booking after it is made: approve, reject, cancel (by its requester, staff, or
 * the requester's home institution), reschedule, check in, no-show. Each change locks the row
 * (after the calendar's advisory lock when the row is checked against the exclusion constraints
 * again: calendar, then row, the order every writer keeps), checks the state, and writes the audit
 * entry and the {@code booking.v1} event in the same transaction; a freed slot goes to the
 * waitlist ({@link WaitlistOffers}).
 */
@Singleton
public record BookingLifecycle(TenantTransactions tenants,
                               BookingRows rows,
                               BookingAdmission admission,
                               WaitlistOffers offers,
                               AuditLog audit,
                               BookingRulesService rulesService,
                               Qualifications qualifications,
                               BookingEvents events,
                               BookingClock clock,
                               @Nullable ChargeAccountPort accounts) {
    /** Staff approve ({@code approved}) or reject ({@code rejected}: the slot is offered to the waitlist) a requested booking. */
    Booking decide(TenantId tenant, BookingService.Requester staff, UUID id, String status, @Nullable String note) {
        return tenants.inTenant(tenant, c -> {
            ZoneId zone = rows.zone();
            if ("approved".equals(status)) {
                rows.lockSlotsOf(id); // the updated row is checked against the exclusion constraints again
            }
            Booking b = forUpdate(id, zone);
            requireStatus(b, "requested");
            Instant now = clock.now();
            rows.decide(id, status, staff.userId(), blankToNull(note), now);
            Booking after = rows.findById(id).orElseThrow().toBooking(zone);
            audit.append(c, staff.actor().entry("booking." + status, "booking", id.toString(),
                    Map.of("instrumentId", b.instrumentId().toString(), "note", note == null ? "" : note)));
            events.booking(c, status, after, null);
            if ("rejected".equals(status)) {
                release(c, tenant, b);
                offers.offerNext(c, b.instrumentId(), b.startInstant(), b.endInstant(), b.id());
            }
            return after;
        });
    }

    /** See {@link BookingService#cancel}. */
    Booking cancel(TenantId tenant, BookingService.Requester who, UUID id, @Nullable String reason) {
        return tenants.inTenant(tenant, c -> {
            ZoneId zone = rows.zone();
            Booking b = forUpdate(id, zone);
            requireStatus(b, "requested", "approved");
            BookingRules rules = rulesService.rules(c, b.instrumentId());
            Instant now = clock.now();
            requireBeforeDeadline(who, rules, b, now);
            rows.cancel(id, who.userId(), blankToNull(reason), now);
            Booking after = rows.findById(id).orElseThrow().toBooking(zone);
            Map<String, Object> details = new HashMap<>();
            details.put("instrumentId", b.instrumentId().toString());
            details.put("by", who.userId().equals(b.requesterUserId()) ? "requester" : "staff");
            details.put("reason", reason == null ? "" : reason);
            audit.append(c, who.actor().entry("booking.cancelled", "booking", id.toString(), details));
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("cancelledBy", details.get("by"));
            events.booking(c, "cancelled", after, extra);
            release(c, tenant, b);
            offers.offerNext(c, b.instrumentId(), b.startInstant(), b.endInstant(), b.id());
            return after;
        });
    }

    /** See {@link BookingService#cancelForHome}. */
    BookingService.HomeCancel cancelForHome(TenantId owner, TenantId home, UUID id, String reason, String note) {
        return tenants.inTenantRetrying(owner, c -> {
            ZoneId zone = rows.zone();
            Optional<Booking> found = rows.findForUpdateOfHome(id, home.value()).map(r -> r.toBooking(zone));
            if (found.isEmpty()) {
                return BookingService.HomeCancel.NOT_FOUND;
            }
            Booking b = found.get();
            if ("checked_in".equals(b.status())) {
                audit.append(c, AuditEntry.system("booking.home_cancel_refused", "booking", id.toString(),
                        Map.of("instrumentId", b.instrumentId().toString(), "reason", reason, "status", b.status())));
                return BookingService.HomeCancel.IN_USE;
            }
            if (!"requested".equals(b.status()) && !"approved".equals(b.status())) {
                return BookingService.HomeCancel.ALREADY_ENDED;
            }
            Instant now = clock.now();
            rows.cancelForHome(id, note, now);
            Booking after = rows.findById(id).orElseThrow().toBooking(zone);
            Map<String, Object> details = new HashMap<>();
            details.put("instrumentId", b.instrumentId().toString());
            details.put("by", "home");
            details.put("reason", reason);
            details.put("homeTenantId", home.toString());
            audit.append(c, AuditEntry.system("booking.cancelled", "booking", id.toString(), details));
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("cancelledBy", "home");
            extra.put("reason", reason);
            events.booking(c, "cancelled", after, extra);
            release(c, owner, b);
            offers.offerNext(c, b.instrumentId(), b.startInstant(), b.endInstant(), b.id());
            return BookingService.HomeCancel.CANCELLED;
        });
    }

    /** See {@link BookingService#reschedule}. */
    Booking reschedule(TenantId tenant, BookingService.Requester who, Booking before, Instant start, Instant end) {
        UUID id = before.id();
        try {
            return tenants.inTenantRetrying(tenant, c -> {
                ZoneId zone = rows.zone();
                rows.lockSlots(before.instrumentId());
                boolean bookable = rows.lockInstrumentShared(before.instrumentId()).orElseThrow(ProblemException::notFound);
                Booking b = forUpdate(id, zone);
                requireStatus(b, "requested", "approved");
                BookingRules rules = rulesService.rules(c, b.instrumentId());
                Instant now = clock.now();
                requireBeforeDeadline(who, rules, b, now);
                List<FieldProblem> problems = new ArrayList<>();
                BookingService.Requester owner = new BookingService.Requester(b.requesterUserId(),
                        new TenantId(b.requesterTenantId()), who.actor(), who.staff());
                admission.checkSlot(c, owner, b.instrumentId(), bookable, rules, start, end, b.rateGroup(), b.assisted(),
                        b.id(), problems);
                if (!problems.isEmpty()) {
                    throw refused(problems);
                }
                admission.checkMaintenance(c, b.instrumentId(), rules, start, end);
                boolean outside = !tenant.value().equals(b.requesterTenantId());
                String status = rules.needsApproval(outside, b.assisted()) && !who.staff() ? "requested" : b.status();
                Instant blockedUntil = end.plus(Duration.ofMinutes(rules.bufferMinutes()));
                try {
                    rows.reschedule(id, start, end, blockedUntil, status, now);
                } catch (DataAccessException e) {
                    if (SqlStates.causedBy(e, BookingService.EXCLUSION_VIOLATION)) {
                        throw new BookingService.SlotTaken(start, end, blockedUntil);
                    }
                    throw e;
                }
                Booking after = rows.findById(id).orElseThrow().toBooking(zone);
                Map<String, Object> details = new HashMap<>();
                details.put("instrumentId", b.instrumentId().toString());
                details.put("previousStart", b.startInstant().toString());
                details.put("previousEnd", b.endInstant().toString());
                details.put("start", start.toString());
                details.put("end", end.toString());
                audit.append(c, who.actor().entry("booking.rescheduled", "booking", id.toString(), details));
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("previousStart", b.startInstant().toString());
                extra.put("previousEnd", b.endInstant().toString());
                events.booking(c, "rescheduled", after, extra);
                offers.offerNext(c, b.instrumentId(), b.startInstant(), b.endInstant(), b.id());
                return after;
            });
        } catch (BookingService.SlotTaken taken) {
            throw admission.conflict(tenant, before.instrumentId(), before.requesterUserId(), taken, id);
        }
    }

    /** See {@link BookingService#checkIn}. */
    Booking checkIn(TenantId tenant, BookingService.Requester who, UUID id) {
        return tenants.inTenant(tenant, c -> {
            ZoneId zone = rows.zone();
            rows.lockSlotsOf(id); // the updated row is checked against the exclusion constraints again
            Booking b = forUpdate(id, zone);
            requireStatus(b, "approved");
            Instant now = clock.now();
            if (now.isBefore(b.startInstant().minus(BookingService.CHECK_IN_EARLY)) || !now.isBefore(b.endInstant())) {
                throw refused(List.of(refusal("start", "check_in_window",
                        Map.of("minutes", BookingService.CHECK_IN_EARLY.toMinutes()))));
            }
            rows.checkIn(id, now);
            qualifications.touch(c, b.instrumentId(), b.requesterUserId(), now);
            Booking after = rows.findById(id).orElseThrow().toBooking(zone);
            audit.append(c, who.actor().entry("booking.checked_in", "booking", id.toString(),
                    Map.of("instrumentId", b.instrumentId().toString())));
            events.booking(c, "checked_in", after, null);
            return after;
        });
    }

    /**
     * See {@link BookingService#noShow}: marked by {@code actor} (staff, or the platform with a
     * {@code reason} such as {@code no_usage_measured}).
     */
    Booking noShow(TenantId tenant, AuditEntry.Actor actor, UUID id, @Nullable String reason) {
        return tenants.inTenant(tenant, c -> {
            ZoneId zone = rows.zone();
            Booking b = forUpdate(id, zone);
            requireStatus(b, "approved");
            Instant now = clock.now();
            if (now.isBefore(b.startInstant())) {
                throw refused(List.of(refusal("start", "not_started", Map.of())));
            }
            rows.noShow(id, now);
            BookingRules rules = rulesService.rules(c, b.instrumentId());
            long count = rows.noShowsSinceBlock(b.instrumentId(), b.requesterUserId());
            Instant blockedUntil = null;
            if (count >= rules.noShowThreshold()) {
                blockedUntil = now.plus(Duration.ofDays(rules.noShowBlockDays()));
                rows.block(UUID.randomUUID(), b.instrumentId(), b.requesterUserId(), count, now, blockedUntil);
            }
            Booking after = rows.findById(id).orElseThrow().toBooking(zone);
            Map<String, Object> details = new HashMap<>();
            details.put("instrumentId", b.instrumentId().toString());
            details.put("noShows", count);
            details.put("blockedUntil", blockedUntil == null ? "" : blockedUntil.toString());
            if (reason != null) {
                details.put("reason", reason);
            }
            audit.append(c, actor.entry("booking.no_show", "booking", id.toString(), details));
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("noShows", count);
            extra.put("blockedUntil", blockedUntil == null ? null : blockedUntil.toString());
            if (reason != null) {
                extra.put("reason", reason);
            }
            events.booking(c, "no_show", after, extra);
            return after;
        });
    }

    /** See {@link BookingService#overturnNoShow}. */
    Booking overturnNoShow(TenantId tenant, BookingService.Requester staff, UUID id, String reason) {
        String why = blankToNull(reason);
        if (why == null || why.length() > 1000) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(why == null
                    ? new FieldProblem("reason", "not_blank", "validation.not_blank", Map.of())
                    : new FieldProblem("reason", "size", "validation.size", Map.of("min", 1, "max", 1000))));
        }
        return tenants.inTenant(tenant, c -> {
            ZoneId zone = rows.zone();
            rows.lockSlotsOf(id); // approved again: the row is checked against the exclusion constraints again
            BookingRow row = rows.findForUpdate(id).orElseThrow(ProblemException::notFound);
            Booking b = row.toBooking(zone);
            requireStatus(b, "no_show");
            Instant now = clock.now();
            try {
                rows.overturnNoShow(id, staff.userId(), why, now);
            } catch (DataAccessException e) {
                if (SqlStates.causedBy(e, BookingService.EXCLUSION_VIOLATION)) {
                    throw new ProblemException(HttpStatus.CONFLICT, "conflict");
                }
                throw e;
            }
            Map<String, Object> details = new HashMap<>();
            details.put("instrumentId", b.instrumentId().toString());
            details.put("reason", why);
            details.put("noShowAt", row.noShowAt().toString());
            Optional<BookingRows.Block> block = rows.blockCounting(b.instrumentId(), b.requesterUserId(), row.noShowAt())
                    .filter(k -> k.blockedUntil().isAfter(now));
            block.ifPresent(k -> {
                rows.liftBlock(k.id());
                details.put("liftedBlock", Map.of("id", k.id().toString(), "noShows", k.noShows(),
                        "blockedFrom", k.blockedFrom().toString(), "blockedUntil", k.blockedUntil().toString()));
            });
            Booking after = rows.findById(id).orElseThrow().toBooking(zone);
            audit.append(c, staff.actor().entry("booking.no_show_overturned", "booking", id.toString(), details));
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("reason", why);
            extra.put("overturnedBy", staff.userId().toString());
            extra.put("liftedBlockUntil", block.map(k -> k.blockedUntil().toString()).orElse(null));
            events.booking(c, "no_show_overturned", after, extra);
            return after;
        });
    }

    /** The booking, its row locked for update; 404 when absent. */
    private Booking forUpdate(UUID id, ZoneId zone) {
        return rows.findForUpdate(id).orElseThrow(ProblemException::notFound).toBooking(zone);
    }

    /** Billing releases what the booking held against its account ({@link ChargeAccountPort}), in this transaction. */
    private void release(java.sql.Connection c, TenantId tenant, Booking b) throws java.sql.SQLException {
        if (accounts != null && b.accountCode() != null) {
            accounts.release(c, tenant, b.id());
        }
    }

    private static void requireStatus(Booking b, String... allowed) {
        for (String s : allowed) {
            if (s.equals(b.status())) {
                return;
            }
        }
        throw new ProblemException(HttpStatus.CONFLICT, "wrong_state", b.status());
    }

    private static void requireBeforeDeadline(BookingService.Requester who, BookingRules rules, Booking b, Instant now) {
        if (!who.staff() && now.isAfter(b.startInstant().minus(Duration.ofHours(rules.cancellationDeadlineHours())))) {
            throw refused(List.of(refusal("start", "cancellation_deadline_passed",
                    Map.of("hours", rules.cancellationDeadlineHours()))));
        }
    }
}
