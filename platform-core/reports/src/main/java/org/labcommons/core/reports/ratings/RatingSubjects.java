package org.labcommons.core.reports.ratings;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.booking.Booking;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.booking.BookingService;
import org.labcommons.core.booking.BookingsElsewhere;
import org.labcommons.core.booking.OutsideBookings;
import org.labcommons.core.directory.TenantDirectory;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.samples.SampleRequest;
import org.labcommons.core.samples.SampleRequests;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.tenancy.TenantId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What a person may rate, read through booking's public services (never its tables):
 * <ul>
 *   <li>a booking they hold ({@link BookingService#find}, requester = the caller) whose end has passed and whose
 *       status is {@code approved} or {@code checked_in} (not cancelled, rejected, no-show or never approved);</li>
 *   <li>a sample request they submitted ({@link SampleRequests#find}) whose results were ready
 *       ({@code results_ready} or {@code closed} with {@code resultsReadyAt});</li>
 *   <li>a booking they hold at another institution ({@code owner}: that institution's id or slug), through
 *       {@link OutsideBookings#booking}, which checks the booking was requested by the caller from their home
 *       institution: the rating then lives in the owner's tenant.</li>
 * </ul>
 * Anything else they do not hold is 404; a held one not yet completed 409 {@code not_completed}; one served longer
 * than {@link RatingSettings#getRateWindow()} ago 409 {@code rate_window_passed}.
 */
@Singleton
public record RatingSubjects(BookingService bookings, SampleRequests samples, OutsideBookings outside,
                             Optional<BookingsElsewhere> elsewhere, TenantDirectory directory, BookingClock clock,
                             RatingSettings settings) {
    /** The kinds of things rated. */
    public static final List<String> KINDS = List.of("booking", "sample_request");
    static final Set<String> COMPLETED_BOOKING = Set.of("approved", "checked_in");
    static final Set<String> READY_SAMPLE = Set.of("results_ready", "closed");

    /** A thing the caller may rate: where it lives, its instrument, when it was served, who held it. */
    public record Subject(TenantId tenant, UUID instrumentId, String kind, UUID id, Instant servedAt, UUID raterUserId,
                          TenantId raterHome) {
    }

    /** One entry of /my/ratings: a completed booking or sample request and where it lives. */
    public record Rateable(TenantId tenant, @Nullable String ownerRef, String kind, UUID id, UUID instrumentId,
                           @Nullable String instrumentNameZh, @Nullable String instrumentNameEn, Instant servedAt,
                           @Nullable String ownerNameZh, @Nullable String ownerNameEn) {
    }

    /** The subject the caller holds, completed and within the rate window (404, 409 otherwise). */
    public Subject held(AuthenticatedUser user, @Nullable String owner, String kind, UUID id) {
        Subject s = find(user, owner, kind, id);
        if (s.servedAt().isBefore(clock.now().minus(settings.getRateWindow()))) {
            throw new ProblemException(HttpStatus.CONFLICT, "rate_window_passed");
        }
        return s;
    }

    /** The tenant a rating of the caller's lives in: the acting one, or {@code owner} (404 when not a place to book). */
    public TenantId tenantOf(AuthenticatedUser user, @Nullable String owner) {
        if (owner == null || owner.isBlank()
                || directory.findActive(owner.strip()).map(user.actingTenant()::equals).orElse(false)) {
            return user.actingTenant();
        }
        return outside.owner(user, owner).id();
    }

    private Subject find(AuthenticatedUser user, @Nullable String owner, String kind, UUID id) {
        TenantId tenant = tenantOf(user, owner);
        Instant now = clock.now();
        if ("booking".equals(kind)) {
            Booking b = tenant.equals(user.actingTenant())
                    ? bookings.find(tenant, id).filter(x -> x.requesterUserId().equals(user.userId()))
                    .orElseThrow(ProblemException::notFound)
                    : outside.booking(user, owner, id);
            if (!COMPLETED_BOOKING.contains(b.status()) || b.endInstant().isAfter(now)) {
                throw new ProblemException(HttpStatus.CONFLICT, "not_completed", b.status());
            }
            return new Subject(tenant, b.instrumentId(), kind, id, b.endInstant(), user.userId(),
                    new TenantId(b.requesterTenantId()));
        }
        if (!tenant.equals(user.actingTenant())) {   // sample requests are not sent across institutions
            throw ProblemException.notFound();
        }
        SampleRequest r = samples.find(tenant, id).filter(x -> x.requesterUserId().equals(user.userId()))
                .orElseThrow(ProblemException::notFound);
        if (!READY_SAMPLE.contains(r.status()) || r.resultsReadyAt() == null) {
            throw new ProblemException(HttpStatus.CONFLICT, "not_completed", r.status());
        }
        return new Subject(tenant, r.instrumentId(), kind, id, r.resultsReadyAt().toInstant(), user.userId(),
                new TenantId(r.requesterTenantId()));
    }

    /**
     * What the caller may rate (rated or not): their completed bookings and ready sample requests in the acting
     * tenant served within the rate window, and their completed bookings elsewhere (when the deployment keeps them:
     * {@link BookingsElsewhere}), most recent first, at most {@code limit} of each kind.
     */
    public List<Rateable> rateable(AuthenticatedUser user, int limit) {
        Instant now = clock.now();
        Instant from = now.minus(settings.getRateWindow());
        TenantId tenant = user.actingTenant();
        List<Rateable> out = new ArrayList<>();
        bookings.mine(tenant, user.userId(), from, now).stream()
                .filter(b -> COMPLETED_BOOKING.contains(b.status()) && !b.endInstant().isAfter(now))
                .sorted((a, b) -> b.endInstant().compareTo(a.endInstant())).limit(limit)
                .forEach(b -> out.add(new Rateable(tenant, null, "booking", b.id(), b.instrumentId(), null, null,
                        b.endInstant(), null, null)));
        samples.list(tenant, new SampleRequests.Filter(user.userId(), false, Set.of(), Set.of(),
                        List.copyOf(READY_SAMPLE), null), 0, limit).items().stream()
                .filter(r -> r.resultsReadyAt() != null && r.resultsReadyAt().toInstant().isAfter(from))
                .forEach(r -> out.add(new Rateable(tenant, null, "sample_request", r.id(), r.instrumentId(),
                        r.instrumentNameZh(), r.instrumentNameEn(), r.resultsReadyAt().toInstant(), null, null)));
        elsewhere.ifPresent(e -> e.of(user, now, 0, limit).items().stream()
                .filter(i -> COMPLETED_BOOKING.contains(i.status()) && "linked".equals(i.homeStatus())
                        && !i.end().toInstant().isAfter(now) && i.end().toInstant().isAfter(from))
                .forEach(i -> out.add(new Rateable(new TenantId(i.ownerTenantId()),
                        i.ownerSlug() != null ? i.ownerSlug() : i.ownerTenantId().toString(), "booking", i.bookingId(),
                        i.instrumentId(), i.instrumentNameZh(), i.instrumentNameEn(), i.end().toInstant(),
                        i.ownerNameZh(), i.ownerNameEn()))));
        out.sort((a, b) -> b.servedAt().compareTo(a.servedAt()));
        return out;
    }
}
