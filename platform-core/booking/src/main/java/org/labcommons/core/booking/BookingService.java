package org.labcommons.core.booking;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.catalog.RateGroupPolicy;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Machine-time bookings (docs/booking.md), the entry point the controllers, pages and federation
 * call: every change runs in one transaction bound to the instrument's tenant, checks the
 * instrument's rules, and writes its audit entry and its {@code booking.v1} event in the same
 * transaction. Overlap is refused by the database's exclusion constraints (SQLState 23P01), never
 * by a check-then-insert; the refusal becomes {@link SlotConflictException} with the slot in the
 * way. The work is cut along its seams: {@link BookingAdmission} (rules, slots, locks, the insert),
 * {@link BookingLifecycle} (approve to no-show), {@link WaitlistOffers} (a freed slot goes to the
 * waitlist), and {@link BookingRows}, the one place the booking SQL lives.
 */
@Singleton
public record BookingService(TenantTransactions tenants,
                             BookingRows rows,
                             BookingAdmission admission,
                             BookingLifecycle lifecycle,
                             WaitlistOffers offers,
                             RateGroupPolicy rateGroups) {
    /** A booking may be checked in from this long before its start until its end. */
    public static final Duration CHECK_IN_EARLY = Duration.ofMinutes(15);
    /** The SQLState of the exclusion constraints' refusal: a slot in the way (exclusion_violation). */
    static final String EXCLUSION_VIOLATION = "23P01";

    /**
     * Who acts: the user, the tenant whose issuer vouched for them (their home), the audit actor,
     * and whether they manage the instrument (staff: approve, record, cancel after the deadline).
     */
    public record Requester(UUID userId, TenantId homeTenant, AuditEntry.Actor actor, boolean staff) {
    }

    /** What a booking request asks for. {@code rateGroup} null: derived from the requester. */
    public record NewBooking(Instant start, Instant end, @Nullable String accountCode, @Nullable String rateGroup,
                             boolean assisted, @Nullable String purpose) {
    }

    /** One occurrence of a recurring request: created, or why not. */
    public record Occurrence(int index, Instant start, Instant end, @Nullable Booking booking,
                             @Nullable ProblemException refusal, @Nullable SlotConflictException conflict) {
        public String outcome() {
            return booking != null ? "created" : conflict != null ? "conflict" : "refused";
        }
    }

    /** A busy interval of an instrument's calendar (no personal data). */
    @Serdeable
    public record Busy(String kind, OffsetDateTime start, OffsetDateTime end, @Nullable String status) {
    }

    /** The database refused the slot (23P01); the transaction is rolled back before the conflict is read. */
    static final class SlotTaken extends RuntimeException {
        final Instant start;
        final Instant end;
        final Instant blockedUntil;

        SlotTaken(Instant start, Instant end, Instant blockedUntil) {
            super("slot taken", null, false, false);
            this.start = start;
            this.end = end;
            this.blockedUntil = blockedUntil;
        }
    }

    // ------------------------------------------------------------------ create

    public Booking create(TenantId tenant, Requester who, UUID instrumentId, NewBooking request) {
        return create(tenant, who, instrumentId, request, null);
    }

    /**
     * What the access decision needs of an instrument, read by the booking's own transaction (its
     * first statement, which also takes the key-share lock): its unit and that unit's ancestors
     * (the unit first), and its sharing scope.
     */
    public record InstrumentAccess(UUID instrumentId, @Nullable UUID orgUnitId, String sharingScope, List<UUID> unitChain) {
    }

    /**
     * The access decision on the instrument a booking is for, made inside the booking's
     * transaction: throws (404, 403) to refuse, else returns whether the requester is the
     * instrument's staff.
     */
    @FunctionalInterface
    public interface Admission {
        boolean staff(InstrumentAccess instrument);
    }

    /**
     * A booking whose access decision ({@code admission}, null: already decided by the caller) is
     * made in the same transaction as the booking itself: one transaction for the whole request.
     * {@code who.staff()} is replaced by the admission's answer.
     */
    public Booking create(TenantId tenant, Requester who, UUID instrumentId, NewBooking request,
                          @Nullable Admission admission) {
        try {
            return tenants.inTenantRetrying(tenant,
                    c -> this.admission.insert(c, tenant, who, instrumentId, request, null, null, null, null, admission));
        } catch (SlotTaken taken) {
            throw conflict(tenant, instrumentId, who.userId(), taken);
        }
    }

    /**
     * Staff book for someone else (an assisted session, a request by phone): {@code forUser} is the
     * person the booking is for (its requester: their home tenant, their qualification, their
     * limits), acting through the staff member's audit actor with staff rights (any rate group).
     * The staff member is its approver, so it is {@code approved} at once (decided by
     * {@code staffUserId}); every calendar rule and the exclusion constraints apply as usual.
     */
    public Booking createOnBehalf(TenantId tenant, Requester forUser, UUID staffUserId, UUID instrumentId,
                                  NewBooking request) {
        try {
            return tenants.inTenantRetrying(tenant,
                    c -> admission.insert(c, tenant, forUser, instrumentId, request, null, null, null, staffUserId, null));
        } catch (SlotTaken taken) {
            throw conflict(tenant, instrumentId, forUser.userId(), taken);
        }
    }

    /**
     * Weekly occurrences of {@code first} (same local time in the tenant's zone), each in its own
     * transaction: what fits is created, and every occurrence that does not is reported.
     */
    public List<Occurrence> createWeekly(TenantId tenant, Requester who, UUID instrumentId, NewBooking first,
                                         int occurrences) {
        ZoneId zone = ZoneId.of(tenants.inTenant(tenant, BookingRulesService::timeZone));
        UUID series = UUID.randomUUID();
        ZonedDateTime start = first.start().atZone(zone);
        ZonedDateTime end = first.end().atZone(zone);
        List<Occurrence> out = new ArrayList<>();
        for (int i = 0; i < occurrences; i++) {
            Instant s = start.plusWeeks(i).toInstant();
            Instant e = end.plusWeeks(i).toInstant();
            NewBooking one = new NewBooking(s, e, first.accountCode(), first.rateGroup(), first.assisted(), first.purpose());
            int index = i + 1;
            try {
                Booking b = tenants.inTenantRetrying(tenant, c -> insert(c, tenant, who, instrumentId, one, series, index, null));
                out.add(new Occurrence(index, s, e, b, null, null));
            } catch (SlotTaken taken) {
                out.add(new Occurrence(index, s, e, null, null, conflict(tenant, instrumentId, who.userId(), taken)));
            } catch (SlotConflictException conflict) {
                out.add(new Occurrence(index, s, e, null, null, conflict));
            } catch (ProblemException refused) {
                if (refused.status() == HttpStatus.NOT_FOUND) {
                    throw refused;
                }
                out.add(new Occurrence(index, s, e, null, refused, null));
            }
        }
        return out;
    }

    /** Inserts a booking after checking every rule ({@link BookingAdmission#insert}); the caller's transaction is bound to {@code tenant}. */
    Booking insert(Connection c, TenantId tenant, Requester who, UUID instrumentId, NewBooking r,
                   @Nullable UUID seriesId, @Nullable Integer seriesIndex, @Nullable UUID offerId) throws SQLException {
        return admission.insert(c, tenant, who, instrumentId, r, seriesId, seriesIndex, offerId, null, null);
    }

    /** The rate group a requester from {@code requesterHome} would book the instrument under (what pages show before booking). */
    public String rateGroupFor(TenantId tenant, TenantId requesterHome, UUID instrumentId) {
        return tenants.inTenant(tenant, c -> rateGroups.forBooking(tenant, requesterHome,
                new HashSet<>(rows.machineTimeRateGroups(instrumentId))));
    }

    /** Reads the active booking in the way of a refused slot (a new transaction: the refused one is gone). */
    SlotConflictException conflict(TenantId tenant, UUID instrumentId, UUID userId, SlotTaken taken) {
        return admission.conflict(tenant, instrumentId, userId, taken, null);
    }

    /** Offers a freed slot to the first person waiting ({@link WaitlistOffers#offerNext}). */
    void offerNext(Connection c, UUID instrumentId, Instant freedStart, Instant freedEnd, @Nullable UUID freedBooking)
            throws SQLException {
        offers.offerNext(c, instrumentId, freedStart, freedEnd, freedBooking);
    }

    // ------------------------------------------------------------------ reads

    public Optional<Booking> find(TenantId tenant, UUID id) {
        return tenants.inTenant(tenant, c -> {
            ZoneId zone = rows.zone();
            return rows.findById(id).map(b -> b.toBooking(zone));
        });
    }

    /** Bookings of an instrument overlapping [from, to); only {@code userId}'s when given. */
    public List<Booking> forInstrument(TenantId tenant, UUID instrumentId, @Nullable UUID userId, Instant from, Instant to) {
        return tenants.inTenant(tenant, c -> toBookings(rows.forInstrument(instrumentId, userId, from, to), rows.zone()));
    }

    /** The user's bookings in the tenant overlapping [from, to). */
    public List<Booking> mine(TenantId tenant, UUID userId, Instant from, Instant to) {
        return tenants.inTenant(tenant, c -> toBookings(rows.mine(userId, from, to), rows.zone()));
    }

    /** Free/busy: active bookings (with their buffer) and maintenance windows overlapping [from, to). */
    public List<Busy> busy(TenantId tenant, UUID instrumentId, Instant from, Instant to) {
        return tenants.inTenant(tenant, c -> {
            ZoneId zone = rows.zone();
            return rows.busy(instrumentId, from, to).stream().map(b -> b.toBusy(zone)).toList();
        });
    }

    static List<Booking> toBookings(List<BookingRow> found, ZoneId zone) {
        return found.stream().map(b -> b.toBooking(zone)).toList();
    }

    // ------------------------------------------------------------------ state changes ({@link BookingLifecycle})

    /** Staff approve a requested booking. */
    public Booking approve(TenantId tenant, Requester staff, UUID id, @Nullable String note) {
        return lifecycle.decide(tenant, staff, id, "approved", note);
    }

    /** Staff reject a requested booking; the slot is offered to the waitlist. */
    public Booking reject(TenantId tenant, Requester staff, UUID id, @Nullable String note) {
        return lifecycle.decide(tenant, staff, id, "rejected", note);
    }

    /**
     * Cancels a requested or approved booking. Its requester may cancel until the rules'
     * cancellation deadline before the start; staff at any time. The freed slot is offered to the
     * first person waiting for it.
     */
    public Booking cancel(TenantId tenant, Requester who, UUID id, @Nullable String reason) {
        return lifecycle.cancel(tenant, who, id, reason);
    }

    /** What {@link #cancelForHome} did. */
    public enum HomeCancel {
        /** the booking was active and is now cancelled */
        CANCELLED,
        /** the booking was already rejected, cancelled or marked a no-show: nothing to do */
        ALREADY_ENDED,
        /** the requester has checked in: the booking is in use and cannot be taken back */
        IN_USE,
        /** no such booking in the owner's data, or its requester's home is another tenant */
        NOT_FOUND
    }

    /**
     * The compensation of the cross-institution saga (docs/federation.md): the requester's home
     * institution refused the booking, so the owner cancels it, as the platform (no user acts: the
     * audit actor is the system, {@code cancelled_by} stays empty), whatever the cancellation
     * deadline, with the reason as the note; the requester is told, the staff too, and the freed
     * slot goes to the waitlist. Only the requester's home tenant may ask: a booking whose
     * {@code requester_tenant_id} is not {@code home} is {@link HomeCancel#NOT_FOUND}. Idempotent:
     * a booking that is no longer active is left alone.
     */
    public HomeCancel cancelForHome(TenantId owner, TenantId home, UUID id, String reason, String note) {
        return lifecycle.cancelForHome(owner, home, id, reason, note);
    }

    /**
     * Moves a requested or approved booking to a new slot: the same rules as a new booking, the
     * requester's cancellation deadline on the old slot, and the exclusion constraints. When the
     * rules want approval for this requester the booking is requested again.
     */
    public Booking reschedule(TenantId tenant, Requester who, UUID id, Instant start, Instant end) {
        Booking before = find(tenant, id).orElseThrow(ProblemException::notFound);
        return lifecycle.reschedule(tenant, who, before, start, end);
    }

    /** The requester (or staff) checks in: from 15 minutes before the start until the end. Counts as use. */
    public Booking checkIn(TenantId tenant, Requester who, UUID id) {
        return lifecycle.checkIn(tenant, who, id);
    }

    /**
     * Staff mark an approved booking whose start has passed without a check-in as a no-show. When
     * the user's no-shows on the instrument since their last block reach the rules' threshold, the
     * user is blocked from booking it for {@code noShowBlockDays}.
     */
    public Booking noShow(TenantId tenant, Requester staff, UUID id) {
        return lifecycle.noShow(tenant, staff.actor(), id, null);
    }

    /**
     * The platform marks an approved booking whose start has passed as a no-show, with the same
     * consequences as {@link #noShow} (the count, the block); the audit actor is the system and
     * {@code reason} (such as {@code no_usage_measured}: the usage module measured no use while the
     * instrument's device reported) goes into the audit entry and the {@code booking.no_show} event.
     */
    public Booking noShowBySystem(TenantId tenant, UUID id, String reason) {
        return lifecycle.noShow(tenant, AuditEntry.Actor.SYSTEM, id, reason);
    }

    /**
     * Staff overturn a no-show (the person did come, or had a good reason): the booking is
     * {@code approved} again, with when, by whom and why; the running block that counted this
     * no-show is lifted; audited, and a {@code booking.no_show_overturned} event. A booking that is
     * not a no-show is {@code 409 wrong_state}; a blank reason is {@code 400 validation_failed}; a
     * slot another booking took since is {@code 409 conflict}.
     */
    public Booking overturnNoShow(TenantId tenant, Requester staff, UUID id, String reason) {
        return lifecycle.overturnNoShow(tenant, staff, id, reason);
    }

    // ------------------------------------------------------------------ helpers

    static FieldProblem refusal(String field, String code, Map<String, Object> args) {
        return new FieldProblem(field, code, "booking.refusal." + code, args);
    }

    static ProblemException refused(List<FieldProblem> problems) {
        return new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, "booking_not_allowed", problems);
    }

    static String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
