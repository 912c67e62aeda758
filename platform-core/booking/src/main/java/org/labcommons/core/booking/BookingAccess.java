package org.labcommons.core.booking;

import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.catalog.CatalogueAccess;
import org.labcommons.core.catalog.OrgUnits;
import org.labcommons.core.org.OrgUnitRows;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.security.AccessPolicy;
import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.security.Scope;
import org.labcommons.core.tenancy.TenantId;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/**
 * Who may do what in booking, on top of the catalogue's rules ({@link CatalogueAccess}):
 * <ul>
 *   <li>whoever may read an instrument may read its rules, its free/busy calendar and its
 *       maintenance windows;</li>
 *   <li>booking needs {@link Action#BOOK_INSTRUMENT} on the instrument, which every member of the
 *       instrument's own institution has; an outside user needs a role there;</li>
 *   <li>staff are those who may manage the instrument (its instrument admins and the admins of its
 *       unit or an ancestor unit, or of the tenant): they set rules, train, authorise, record
 *       maintenance and usage, approve, reject and mark no-shows;</li>
 *   <li>a booking is seen by its requester and the instrument's staff; to anyone else it does not
 *       exist (404).</li>
 * </ul>
 */
@Singleton
public record BookingAccess(CatalogueAccess catalogue,
                            org.labcommons.core.tenancy.TenantTransactions tenants,
                            OrgUnits units,
                            AccessPolicy access,
                            BookingService bookings,
                            BookingClock clock,
                            BookingPeople people,
                            BookingRows rows,
                            OrgUnitRows orgUnitRows) {
    private static final Duration MAX_RANGE = Duration.ofDays(366);
    /** A booking the caller may see, its instrument, and whether the caller is its staff. */
    public record Seen(Booking booking, Target instrument, boolean staff) {
    }

    /** What access decisions need of an instrument, and whether the caller is its staff. */
    public record Target(UUID id, UUID orgUnitId, String sharingScope, boolean staff) {
    }

    /**
     * The instrument as access sees it, read in one tenant transaction (its unit's ancestor chain
     * included); the same rules as {@link CatalogueAccess#readable}/{@link CatalogueAccess#managed}
     * without reading the whole record. Empty when the acting tenant has no such instrument.
     */
    public java.util.Optional<Target> target(AuthenticatedUser user, UUID instrumentId) {
        catalogue.requireMember(user);
        TenantId tenant = user.actingTenant();
        return tenants.inTenant(tenant, c -> rows.instrumentPlace(instrumentId).map(place -> {
            UUID unit = place.orgUnitId();
            Scope scope = unit == null ? Scope.instrument(tenant, instrumentId)
                    : Scope.instrument(tenant, instrumentId, orgUnitRows.chain(unit).toArray(UUID[]::new));
            return new Target(instrumentId, unit, place.sharingScope(),
                    access.allows(user.roles(), Action.MANAGE_INSTRUMENT, scope));
        }));
    }

    /** An instrument the caller may read: 404 when absent, or private and not theirs to manage. */
    public Target readable(AuthenticatedUser user, UUID instrumentId) {
        Target t = target(user, instrumentId).orElseThrow(ProblemException::notFound);
        if ("private".equals(t.sharingScope()) && !t.staff()) {
            throw ProblemException.notFound();
        }
        return t;
    }

    /** An instrument the caller manages: 404 when not readable, 403 when readable but not managed. */
    public Target managed(AuthenticatedUser user, UUID instrumentId) {
        Target t = readable(user, instrumentId);
        if (!t.staff()) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
        return t;
    }

    public boolean staff(AuthenticatedUser user, Target instrument) {
        return instrument.staff();
    }

    /** The instrument, when the caller may book it (404 when unreadable, 403 when readable but not bookable). */
    public Target bookable(AuthenticatedUser user, UUID instrumentId) {
        Target i = readable(user, instrumentId);
        if (user.homeTenant().equals(user.actingTenant()) || i.staff()) {
            return i;
        }
        TenantId tenant = user.actingTenant();
        Scope scope = i.orgUnitId() == null ? Scope.instrument(tenant, i.id())
                : Scope.instrument(tenant, i.id(), units.chain(tenant, i.orgUnitId()).toArray(UUID[]::new));
        if (!access.allows(user.roles(), Action.BOOK_INSTRUMENT, scope)) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
        return i;
    }

    /**
     * {@link #bookable} decided on what the booking's own transaction read
     * ({@link BookingService#create(TenantId, BookingService.Requester, UUID, BookingService.NewBooking,
     * BookingService.Admission)}), so a booking request runs one transaction instead of two or three:
     * 404 when the instrument is private and not the caller's to manage, 403 when the caller may not
     * book it; else whether the caller is its staff. The same rules as {@link #target},
     * {@link #readable} and {@link #bookable}; {@link CatalogueAccess#requireMember} is checked by
     * {@link #admission} before any transaction.
     */
    public boolean admitBooking(AuthenticatedUser user, BookingService.InstrumentAccess i) {
        TenantId tenant = user.actingTenant();
        Scope scope = i.orgUnitId() == null ? Scope.instrument(tenant, i.instrumentId())
                : Scope.instrument(tenant, i.instrumentId(), i.unitChain().toArray(UUID[]::new));
        boolean staff = access.allows(user.roles(), Action.MANAGE_INSTRUMENT, scope);
        if ("private".equals(i.sharingScope()) && !staff) {
            throw ProblemException.notFound();
        }
        if (user.homeTenant().equals(user.actingTenant()) || staff) {
            return staff;
        }
        if (!access.allows(user.roles(), Action.BOOK_INSTRUMENT, scope)) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
        return staff;
    }

    /** The caller's access decision for a booking, to be made in the booking's transaction (membership checked now). */
    public BookingService.Admission admission(AuthenticatedUser user) {
        catalogue.requireMember(user);
        return instrument -> admitBooking(user, instrument);
    }

    /** A booking the caller may see (requester or staff), else 404. */
    public Seen booking(AuthenticatedUser user, UUID bookingId) {
        catalogue.requireMember(user);
        Booking b = bookings.find(user.actingTenant(), bookingId).orElseThrow(ProblemException::notFound);
        Target i = target(user, b.instrumentId()).orElseThrow(ProblemException::notFound);
        boolean staff = i.staff();
        if (!staff && !b.requesterUserId().equals(user.userId())) {
            throw ProblemException.notFound();
        }
        return new Seen(b, i, staff);
    }

    /** A booking the caller manages as staff: 404 when not visible, 403 when only its requester. */
    public Seen staffBooking(AuthenticatedUser user, UUID bookingId) {
        Seen seen = booking(user, bookingId);
        if (!seen.staff()) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
        return seen;
    }

    /**
     * Staff booking for someone else: the requester is {@code userId} (their home tenant, acting
     * through the staff member's audit actor, with staff rights). 403 when the caller is not the
     * instrument's staff; 400 ({@code onBehalfOf} unknown) when no such person may book in the
     * acting tenant (members and holders of a role there), so other tenants' users are not probed.
     */
    public BookingService.Requester onBehalf(AuthenticatedUser staff, Target instrument, UUID userId) {
        if (!instrument.staff()) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
        BookingPeople.Person p = people.find(staff.actingTenant(), userId).filter(x -> x.homeTenant() != null)
                .orElseThrow(() -> new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", java.util.List.of(
                        new ProblemException.FieldProblem("onBehalfOf", "unknown", "validation.unknown_reference", Map.of()))));
        return new BookingService.Requester(p.userId(), p.homeTenant(), CatalogueAccess.actor(staff), true);
    }

    public static BookingService.Requester requester(AuthenticatedUser user, boolean staff) {
        return new BookingService.Requester(user.userId(), user.homeTenant(), CatalogueAccess.actor(user), staff);
    }

    /** A list window: [from, to), by default from a day ago for 31 days; at most 366 days. */
    public Instant[] window(OffsetDateTime from, OffsetDateTime to) {
        Instant f = from == null ? clock.now().minus(Duration.ofDays(1)) : from.toInstant();
        Instant t = to == null ? f.plus(Duration.ofDays(31)) : to.toInstant();
        if (!t.isAfter(f) || Duration.between(f, t).compareTo(MAX_RANGE) > 0) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", java.util.List.of(
                    new ProblemException.FieldProblem("to", "range", "validation.booking.range", Map.of("days", 366))));
        }
        return new Instant[]{f, t};
    }
}
