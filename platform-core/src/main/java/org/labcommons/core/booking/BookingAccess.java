package org.labcommons.core.booking;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.catalog.CatalogueAccess;
import org.labcommons.core.catalog.Instrument;
import org.labcommons.core.catalog.InstrumentService;
import org.labcommons.core.catalog.OrgUnits;
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
public class BookingAccess {
    private static final Duration MAX_RANGE = Duration.ofDays(366);
    private final CatalogueAccess catalogue;
    private final InstrumentService instruments;
    private final OrgUnits units;
    private final AccessPolicy access;
    private final BookingService bookings;
    private final BookingClock clock;

    public BookingAccess(CatalogueAccess catalogue, InstrumentService instruments, OrgUnits units, AccessPolicy access,
                         BookingService bookings, BookingClock clock) {
        this.catalogue = catalogue;
        this.instruments = instruments;
        this.units = units;
        this.access = access;
        this.bookings = bookings;
        this.clock = clock;
    }

    /** A booking the caller may see, its instrument, and whether the caller is its staff. */
    public record Seen(Booking booking, Instrument instrument, boolean staff) {
    }

    public static AuthenticatedUser caller(HttpRequest<?> request) {
        return request.getAttribute(AuthenticatedUser.ATTRIBUTE, AuthenticatedUser.class)
                .orElseThrow(() -> new ProblemException(HttpStatus.UNAUTHORIZED, "invalid_token"));
    }

    public Instrument readable(AuthenticatedUser user, UUID instrumentId) {
        return catalogue.readable(user, instrumentId);
    }

    public Instrument managed(AuthenticatedUser user, UUID instrumentId) {
        return catalogue.managed(user, instrumentId);
    }

    public boolean staff(AuthenticatedUser user, Instrument instrument) {
        return catalogue.mayManage(user, instrument);
    }

    /** The instrument, when the caller may book it (404 when unreadable, 403 when readable but not bookable). */
    public Instrument bookable(AuthenticatedUser user, UUID instrumentId) {
        Instrument i = readable(user, instrumentId);
        if (user.homeTenant().equals(user.actingTenant())) {
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

    /** A booking the caller may see (requester or staff), else 404. */
    public Seen booking(AuthenticatedUser user, UUID bookingId) {
        catalogue.requireMember(user);
        Booking b = bookings.find(user.actingTenant(), bookingId).orElseThrow(ProblemException::notFound);
        Instrument i = instruments.find(user.actingTenant(), b.instrumentId()).orElseThrow(ProblemException::notFound);
        boolean staff = staff(user, i);
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
