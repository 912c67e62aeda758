package org.labcommons.core.booking;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.exceptions.DataAccessException;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.catalog.RateGroupPolicy;
import org.labcommons.core.db.SqlStates;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.sql.Connection;
import java.sql.SQLException;
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
 * Whether a slot may be booked, and the insert when it may: the instrument's rules (slot length,
 * notice, horizon, hours, closures, rate groups, qualification), the user's no-show block and
 * future bookings, maintenance windows, and the locks that make the count hold (the calendar's
 * advisory lock, the instrument row's key-share lock, {@link BookingPrefetchRows}, {@link BookingRows}). Overlap itself is the
 * exclusion constraints' decision: their refusal (23P01) becomes {@link BookingService.SlotTaken},
 * and {@link #conflict} reads what is in the way.
 */
@Singleton
public record BookingAdmission(TenantTransactions tenants,
                               BookingRows rows,
                               BookingPrefetchRows prefetchRows,
                               AuditLog audit,
                               Qualifications qualifications,
                               BookingEvents events,
                               BookingClock clock,
                               RateGroupPolicy rateGroups,
                               @Nullable ChargeAccountPort accounts) {
    /**
     * Inserts a booking after checking every rule; the caller's transaction is bound to
     * {@code tenant}. {@code approvedBy}: staff booking on behalf of {@code who}, approved by them
     * at once (null: the rules decide). {@code admission}: the access decision, made here on what
     * the first statement read (null: the caller decided).
     *
     * <p>Statements (round trips) per booking: one reads everything the rules need and takes the
     * locks (the instrument's row key-share, the per-instrument advisory lock), one counts the
     * user's future bookings and finds a maintenance window in the way (after the locks, so a fresh
     * snapshot), then the insert (returning the row), the audit entry and the outbox event.
     */
    Booking insert(Connection c, TenantId tenant, BookingService.Requester who, UUID instrumentId,
                   BookingService.NewBooking r, @Nullable UUID seriesId, @Nullable Integer seriesIndex,
                   @Nullable UUID offerId, @Nullable UUID approvedBy, @Nullable BookingService.Admission admission)
            throws SQLException {
        Instant now = clock.now();
        BookingPrefetchRows.Prefetched pre = prefetchRows.prefetch(c, instrumentId, who.userId(), now);
        if (admission != null) {
            who = new BookingService.Requester(who.userId(), who.homeTenant(), who.actor(), admission.staff(pre.access()));
        }
        BookingRules rules = pre.rules();
        ZoneId zone = ZoneId.of(rules.timeZone());
        boolean outside = !who.homeTenant().equals(tenant);
        String yours = rateGroups.forBooking(tenant, who.homeTenant(), pre.priceGroups());
        String rateGroup = r.rateGroup() != null ? r.rateGroup() : yours;
        List<FieldProblem> problems = new ArrayList<>();
        if (r.rateGroup() != null && !who.staff() && !r.rateGroup().equals(yours)) {
            problems.add(refusal("rateGroup", "rate_group_not_yours", Map.of("value", r.rateGroup())));
        }
        SlotConflictException maintenance = null;
        if (checkRules(c, who, instrumentId, pre.bookable(), rules, r.start(), r.end(), rateGroup, r.assisted(), problems)) {
            blockProblem(pre.blockedUntil(), zone, problems);
            // the advisory lock is held since the first statement: this count is the serialised one
            BookingRows.Serialised counted = rows.futureAndMaintenance(instrumentId, who.userId(), now, r.start(),
                    r.end());
            if (counted.futureBookings() >= rules.maxFutureBookings()) {
                problems.add(refusal("requester", "too_many_future_bookings", Map.of("max", rules.maxFutureBookings())));
            }
            if (counted.maintenance(zone) != null) {
                maintenance = new SlotConflictException(counted.maintenance(zone));
            }
        }
        UUID id = UUID.randomUUID();
        String accountCode = blankToNull(r.accountCode());
        if (accounts != null && accountCode != null) {
            // billing's say on the account (ChargeAccountPort): one statement, a hold for prepaid or budgeted accounts
            accounts.admit(c, tenant, who.userId(), who.homeTenant(), instrumentId, null, accountCode, rateGroup,
                    r.start(), r.end(), id, problems);
        }
        if (!problems.isEmpty()) {
            throw refused(problems);
        }
        if (maintenance != null) {
            throw maintenance;
        }
        String status = rules.needsApproval(outside, r.assisted()) && approvedBy == null ? "requested" : "approved";
        Instant blockedUntil = r.end().plus(Duration.ofMinutes(rules.bufferMinutes()));
        Booking b;
        try {
            b = rows.insert(new BookingRows.NewRow(id, instrumentId, seriesId, seriesIndex, who.userId(),
                    who.homeTenant().value(), accountCode, rateGroup, r.assisted(),
                    blankToNull(r.purpose()), status, r.start(), r.end(), blockedUntil, offerId, now, approvedBy), zone);
        } catch (DataAccessException e) {
            if (SqlStates.causedBy(e, BookingService.EXCLUSION_VIOLATION)) {
                throw new BookingService.SlotTaken(r.start(), r.end(), blockedUntil);
            }
            throw e;
        }
        Map<String, Object> details = new HashMap<>();
        details.put("instrumentId", instrumentId.toString());
        details.put("status", status);
        details.put("start", r.start().toString());
        details.put("end", r.end().toString());
        details.put("rateGroup", rateGroup);
        if (approvedBy != null) {
            details.put("onBehalfOf", who.userId().toString());
            details.put("approvedBy", approvedBy.toString());
        }
        audit.append(c, who.actor().entry("booking.requested", "booking", id.toString(), details));
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("approvalRequired", "requested".equals(status));
        if (approvedBy != null) {
            extra.put("onBehalfOf", true);
        }
        events.booking(c, "requested", b, extra);
        return b;
    }

    /**
     * Every rule a slot must satisfy, as field problems (empty: allowed). {@code excluding} is the
     * booking being rescheduled (it does not count against the user's future bookings).
     */
    void checkSlot(Connection c, BookingService.Requester who, UUID instrumentId, boolean bookable, BookingRules rules,
                   Instant start, Instant end, String rateGroup, boolean assisted, @Nullable UUID excluding,
                   List<FieldProblem> problems) throws SQLException {
        if (!checkRules(c, who, instrumentId, bookable, rules, start, end, rateGroup, assisted, problems)) {
            return;
        }
        Instant now = clock.now();
        ZoneId zone = ZoneId.of(rules.timeZone());
        blockProblem(rows.blockedUntil(instrumentId, who.userId(), now).orElse(null), zone, problems);
        if (excluding == null) {
            // the count below holds because the slot lock serialises this instrument's new bookings
            rows.lockSlots(instrumentId);
            if (rows.futureBookings(instrumentId, who.userId(), now) >= rules.maxFutureBookings()) {
                problems.add(refusal("requester", "too_many_future_bookings", Map.of("max", rules.maxFutureBookings())));
            }
        }
    }

    /** A maintenance window in the way of [start, end) is a {@link SlotConflictException}. */
    void checkMaintenance(Connection c, UUID instrumentId, BookingRules rules, Instant start, Instant end)
            throws SQLException {
        Optional<SlotConflictException.Conflict> window = rows.maintenanceIn(instrumentId, start, end)
                .map(w -> w.conflict("maintenance", ZoneId.of(rules.timeZone())));
        if (window.isPresent()) {
            throw new SlotConflictException(window.get());
        }
    }

    private static void blockProblem(@Nullable Instant blockedUntil, ZoneId zone, List<FieldProblem> problems) {
        if (blockedUntil != null) {
            problems.add(refusal("requester", "blocked_no_shows", Map.of("until", Booking.at(blockedUntil, zone).toString())));
        }
    }

    /**
     * The rules a slot must satisfy that need no count (and the requester's authorisation): false
     * when the slot is not even a range (end not after start), so nothing else is checked.
     */
    private boolean checkRules(Connection c, BookingService.Requester who, UUID instrumentId, boolean bookable,
                               BookingRules rules, Instant start, Instant end, String rateGroup, boolean assisted,
                               List<FieldProblem> problems) throws SQLException {
        Instant now = clock.now();
        ZoneId zone = ZoneId.of(rules.timeZone());
        if (!end.isAfter(start)) {
            problems.add(refusal("end", "end_before_start", Map.of()));
            return false;
        }
        long minutes = Duration.between(start, end).toMinutes();
        if (minutes < rules.minSlotMinutes()) {
            problems.add(refusal("end", "slot_too_short", Map.of("min", rules.minSlotMinutes())));
        } else if (minutes > rules.maxSlotMinutes()) {
            problems.add(refusal("end", "slot_too_long", Map.of("max", rules.maxSlotMinutes())));
        }
        if (start.isBefore(now.plus(Duration.ofMinutes(rules.minNoticeMinutes())))) {
            problems.add(refusal("start", "notice_too_short", Map.of("minutes", rules.minNoticeMinutes())));
        }
        if (start.isAfter(now.plus(Duration.ofDays(rules.horizonDays())))) {
            problems.add(refusal("start", "beyond_horizon", Map.of("days", rules.horizonDays())));
        }
        if (!SlotRules.withinHours(rules, zone, start, end)) {
            problems.add(refusal("start", "outside_hours", Map.of()));
        }
        SlotRules.closure(rules, zone, start, end).ifPresent(cl -> problems.add(refusal("start", "closed",
                Map.of("from", cl.from().toString(), "to", cl.to().toString(),
                        "reason", cl.reason() == null ? "" : cl.reason()))));
        if (rules.allowedRateGroups() != null && !rules.allowedRateGroups().contains(rateGroup)) {
            problems.add(refusal("rateGroup", "rate_group_not_allowed", Map.of("value", rateGroup)));
        }
        if (!bookable) {
            problems.add(refusal("instrumentId", "instrument_unavailable", Map.of()));
        }
        if (rules.qualificationRequired() && !assisted) {
            Optional<Qualifications.Authorisation> a = qualifications.find(c, instrumentId, who.userId());
            if (a.isEmpty()) {
                problems.add(refusal("requester", "not_authorised", Map.of()));
            } else if ("revoked".equals(a.get().state())) {
                problems.add(refusal("requester", "authorisation_revoked", Map.of()));
            } else if ("expired".equals(a.get().state())) {
                problems.add(refusal("requester", "authorisation_expired",
                        Map.of("days", rules.authorisationExpiryDays())));
            }
        }
        return true;
    }

    /**
     * Reads the active booking in the way of a refused slot (a new transaction: the refused one is
     * gone); {@code excluding}: the booking being moved.
     */
    SlotConflictException conflict(TenantId tenant, UUID instrumentId, UUID userId, BookingService.SlotTaken taken,
                                   @Nullable UUID excluding) {
        return tenants.inTenant(tenant, c -> {
            ZoneId zone = rows.zone();
            return new SlotConflictException(rows.bookingInTheWay(instrumentId, userId, taken.start, taken.end,
                    taken.blockedUntil, excluding).map(s -> s.conflict("booking", zone)).orElse(new SlotConflictException.Conflict("booking", null, null)));
        });
    }
}
