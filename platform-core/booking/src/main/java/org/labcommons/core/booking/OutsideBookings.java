package org.labcommons.core.booking;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.catalog.CatalogueAccess;
import org.labcommons.core.catalog.Instrument;
import org.labcommons.core.catalog.PublicCatalogue;
import org.labcommons.core.directory.TenantDirectory.TenantProfile;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.tenancy.TenantId;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Booking another institution's instrument without holding a role there (docs/booking.md,
 * "Across institutions"). The caller acts in its home tenant A; the owner B is named in the path.
 * Acting in a tenant where one holds no role stays impossible (it is a 404, by design), so this is
 * the only way in, and it is narrow:
 * <ul>
 *   <li>the instrument must be one the caller may see in B's public catalogue
 *       ({@link PublicCatalogue#visibleScopes}: consortium and public entries, network entries
 *       when A and B share a network; never tenant-only, private or archived ones);</li>
 *   <li>the booking is written by {@link BookingService} in B's tenant, with B's rules, B's
 *       approval policy for outside users and the outside rate group; the requester is the caller
 *       with home tenant A, never staff;</li>
 *   <li>afterwards the caller sees, cancels, moves and checks in only bookings it requested from A;
 *       any other id is a 404, exactly like an id that does not exist.</li>
 * </ul>
 * A's linked record (A's people and finance see what they hold elsewhere) is kept by the
 * federation module from the {@code booking.v1} events this writes.
 */
@Singleton
public record OutsideBookings(PublicCatalogue catalogue,
                              BookingService bookings,
                              BookingRulesService rules,
                              Waitlist waitlist) {
    /** The owner tenant and an instrument of it the caller may book from outside. */
    public record Place(TenantProfile owner, Instrument instrument) {
        public TenantId tenant() {
            return owner.id();
        }
    }

    /** B, when it is an active institution other than the caller's home; else 404 (or 400 for the caller's own). */
    public TenantProfile owner(AuthenticatedUser user, String tenantRef) {
        TenantProfile owner = catalogue.owner(tenantRef).orElseThrow(ProblemException::notFound);
        if (owner.id().equals(user.homeTenant())) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(
                    new ProblemException.FieldProblem("tenant", "own_institution", "validation.booking.own_institution",
                            Map.of())));
        }
        return owner;
    }

    /** An instrument of B the caller may see and so ask to book; 404 otherwise. */
    public Place place(AuthenticatedUser user, String tenantRef, UUID instrumentId) {
        TenantProfile owner = owner(user, tenantRef);
        Instrument i = catalogue.find(owner, homeOnly(user), instrumentId).orElseThrow(ProblemException::notFound);
        return new Place(owner, i);
    }

    public BookingRules rules(AuthenticatedUser user, String tenantRef, UUID instrumentId) {
        Place p = place(user, tenantRef, instrumentId);
        return rules.get(p.tenant(), instrumentId);
    }

    public List<BookingService.Busy> busy(AuthenticatedUser user, String tenantRef, UUID instrumentId, Instant from, Instant to) {
        Place p = place(user, tenantRef, instrumentId);
        return bookings.busy(p.tenant(), instrumentId, from, to);
    }

    /** Creates the booking in B (the caller cannot pick a rate group from outside). */
    public Booking create(AuthenticatedUser user, String tenantRef, UUID instrumentId, BookingService.NewBooking r) {
        Place p = place(user, tenantRef, instrumentId);
        return bookings.create(p.tenant(), requester(user), instrumentId, r);
    }

    public List<BookingService.Occurrence> createWeekly(AuthenticatedUser user, String tenantRef, UUID instrumentId,
                                                        BookingService.NewBooking first, int occurrences) {
        Place p = place(user, tenantRef, instrumentId);
        return bookings.createWeekly(p.tenant(), requester(user), instrumentId, first, occurrences);
    }

    public Waitlist.Entry joinWaitlist(AuthenticatedUser user, String tenantRef, UUID instrumentId, BookingService.NewBooking r) {
        Place p = place(user, tenantRef, instrumentId);
        return waitlist.join(p.tenant(), requester(user), instrumentId, r);
    }

    /** The caller's bookings in B (requested from the caller's home tenant). */
    public List<Booking> mine(AuthenticatedUser user, String tenantRef, Instant from, Instant to) {
        TenantProfile owner = owner(user, tenantRef);
        return bookings.mine(owner.id(), user.userId(), from, to).stream()
                .filter(b -> user.homeTenant().value().equals(b.requesterTenantId())).toList();
    }

    /** One of the caller's bookings in B; 404 for anything else. */
    public Booking booking(AuthenticatedUser user, String tenantRef, UUID bookingId) {
        return held(user, owner(user, tenantRef).id(), bookingId);
    }

    public Booking cancel(AuthenticatedUser user, String tenantRef, UUID bookingId, @Nullable String reason) {
        TenantId owner = owner(user, tenantRef).id();
        held(user, owner, bookingId);
        return bookings.cancel(owner, requester(user), bookingId, reason);
    }

    public Booking reschedule(AuthenticatedUser user, String tenantRef, UUID bookingId, Instant start, Instant end) {
        TenantId owner = owner(user, tenantRef).id();
        held(user, owner, bookingId);
        return bookings.reschedule(owner, requester(user), bookingId, start, end);
    }

    public Booking checkIn(AuthenticatedUser user, String tenantRef, UUID bookingId) {
        TenantId owner = owner(user, tenantRef).id();
        held(user, owner, bookingId);
        return bookings.checkIn(owner, requester(user), bookingId);
    }

    /** One of the caller's bookings at {@code owner} (requested from the caller's home); 404 for anything else. */
    private Booking held(AuthenticatedUser user, TenantId owner, UUID bookingId) {
        return bookings.find(owner, bookingId)
                .filter(b -> b.requesterUserId().equals(user.userId())
                        && user.homeTenant().value().equals(b.requesterTenantId()))
                .orElseThrow(ProblemException::notFound);
    }

    /** The caller as a requester from its home tenant; never staff of B. */
    static BookingService.Requester requester(AuthenticatedUser user) {
        return new BookingService.Requester(user.userId(), user.homeTenant(), CatalogueAccess.actor(user), false);
    }

    /**
     * The caller as the catalogue should judge it: by its home tenant only (a role it may hold in
     * another tenant it acts in does not widen what it sees of B).
     */
    private static AuthenticatedUser homeOnly(AuthenticatedUser user) {
        return user.homeTenant().equals(user.actingTenant()) ? user
                : new AuthenticatedUser(user.userId(), user.issuer(), user.subject(), user.homeTenant(), user.homeTenant(),
                List.of());
    }
}
