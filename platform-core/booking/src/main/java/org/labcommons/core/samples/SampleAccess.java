package org.labcommons.core.samples;

import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.booking.BookingAccess;
import org.labcommons.core.booking.BookingService;
import org.labcommons.core.catalog.CatalogueAccess;
import org.labcommons.core.catalog.ManagedInstruments;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.security.AuthenticatedUser;

import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Who may do what with sample requests, on top of booking's rules ({@link BookingAccess}):
 * <ul>
 *   <li>submitting needs what booking needs ({@link BookingAccess#bookable}): every member of the
 *       instrument's institution, and an outside user with a role there (acting in it with the
 *       {@code X-LabCommons-Tenant} header);</li>
 *   <li>staff are those who may manage the instrument (as for bookings): they accept, reject,
 *       receive, start, upload results, close and cancel;</li>
 *   <li>the requester may withdraw (before the samples are received);</li>
 *   <li>a request and its files are seen by its requester and the instrument's staff; to anyone
 *       else it does not exist (404).</li>
 * </ul>
 */
@Singleton
public record SampleAccess(BookingAccess booking, SampleRequests requests, CatalogueAccess catalogue) {
    /** A request the caller may see, and whether the caller is its instrument's staff. */
    public record Seen(SampleRequest request, boolean staff, boolean requester) {
    }

    /** The instruments and units the caller manages in the acting tenant ({@code all}: the whole tenant). */
    public record Managed(boolean all, Set<UUID> instruments, Set<UUID> units) {
        public boolean any() {
            return all || !instruments.isEmpty() || !units.isEmpty();
        }
    }

    /** The instrument, when the caller may send samples to it (404 unreadable, 403 readable but not allowed). */
    public BookingAccess.Target submittable(AuthenticatedUser user, UUID instrumentId) {
        return booking.bookable(user, instrumentId);
    }

    /** A request the caller may see (requester or staff), else 404. */
    public Seen seen(AuthenticatedUser user, UUID id) {
        catalogue.requireMember(user);
        SampleRequest r = requests.find(user.actingTenant(), id).orElseThrow(ProblemException::notFound);
        boolean staff = booking.target(user, r.instrumentId()).map(BookingAccess.Target::staff).orElse(false);
        boolean requester = r.requesterUserId().equals(user.userId());
        if (!staff && !requester) {
            throw ProblemException.notFound();
        }
        return new Seen(r, staff, requester);
    }

    /** A request the caller manages as staff: 404 when not visible, 403 when only its requester. */
    public Seen staff(AuthenticatedUser user, UUID id) {
        return seen(user, id, Seen::staff);
    }

    /** A request the caller sent: 404 when not visible, 403 when only its staff. */
    public Seen requester(AuthenticatedUser user, UUID id) {
        return seen(user, id, Seen::requester);
    }

    private Seen seen(AuthenticatedUser user, UUID id, Predicate<Seen> allowed) {
        Seen s = seen(user, id);
        if (!allowed.test(s)) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
        return s;
    }

    /** What the caller manages, from its role assignments in the acting tenant ({@link ManagedInstruments}, as the catalogue's lists). */
    public Managed managed(AuthenticatedUser user) {
        ManagedInstruments m = ManagedInstruments.of(user);
        return new Managed(m.all(), m.instruments(), m.units());
    }

    public static BookingService.Requester actor(AuthenticatedUser user, boolean staff) {
        return BookingAccess.requester(user, staff);
    }
}
