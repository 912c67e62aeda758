package org.labcommons.core.booking;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.db.SqlStates;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The waitlist: a user waits for a slot; when an overlapping booking is cancelled (or rejected, or
 * moved) the first person waiting gets an offer ({@link WaitlistOffers#offerNext}) that they accept
 * (a booking is created under the usual rules) or decline before it expires. An expired offer is
 * closed when it is next touched and the slot goes to the next person.
 */
@Singleton
public class Waitlist {
    private final TenantTransactions tenants;
    private final AuditLog audit;
    private final BookingService bookings;
    private final BookingClock clock;
    private final WaitlistRows rows;

    public Waitlist(TenantTransactions tenants, AuditLog audit, BookingService bookings, BookingClock clock,
                    WaitlistRows rows) {
        this.rows = rows;
        this.tenants = tenants;
        this.audit = audit;
        this.bookings = bookings;
        this.clock = clock;
    }

    /** A place in the queue, with its open offer if any. */
    @Serdeable
    public record Entry(UUID id, UUID instrumentId, UUID userId, OffsetDateTime start, OffsetDateTime end,
                        String status, @Nullable Offer offer, OffsetDateTime createdAt) {
    }

    /** An offer of a freed slot. */
    @Serdeable
    public record Offer(UUID id, UUID waitlistId, UUID instrumentId, OffsetDateTime start, OffsetDateTime end,
                        String status, OffsetDateTime expiresAt, @Nullable UUID bookingId) {
    }

    /** What accepting an offer gave: the booking. */
    private record Accepted(@Nullable Booking booking, boolean expired) {
    }

    public Entry join(TenantId tenant, BookingService.Requester who, UUID instrumentId, BookingService.NewBooking r) {
        if (!r.end().isAfter(r.start())) {
            throw BookingService.refused(List.of(BookingService.refusal("end", "end_before_start", Map.of())));
        }
        if (!r.start().isAfter(clock.now())) {
            throw BookingService.refused(List.of(BookingService.refusal("start", "in_the_past", Map.of())));
        }
        return tenants.inTenant(tenant, c -> {
            UUID id = UUID.randomUUID();
            Instant now = clock.now();
            try {
                rows.join(id, instrumentId, who.userId(), who.homeTenant().value(), r.start(), r.end(), r.accountCode(),
                        r.purpose(), r.assisted(), now);
            } catch (DataAccessException e) {
                if (SqlStates.causedBy(e, SqlStates.UNIQUE_VIOLATION)) {
                    throw new ProblemException(HttpStatus.CONFLICT, "already_waiting");
                }
                throw e;
            }
            audit.append(c, who.actor().entry("waitlist.joined", "waitlist_entry", id.toString(),
                    Map.of("instrumentId", instrumentId.toString(), "start", r.start().toString(),
                            "end", r.end().toString())));
            return entries(c, who.userId(), id).get(0);
        });
    }

    /** The user's waitlist entries in the tenant, newest first. */
    public List<Entry> mine(TenantId tenant, UUID userId) {
        return tenants.inTenant(tenant, c -> entries(c, userId, null));
    }

    /** Leaves the queue (an open offer is declined and passed on). */
    public void withdraw(TenantId tenant, BookingService.Requester who, UUID entryId) {
        tenants.inTenant(tenant, c -> {
            Entry e = entries(c, who.userId(), entryId).stream().findFirst().orElseThrow(ProblemException::notFound);
            if (!List.of("waiting", "offered").contains(e.status())) {
                throw new ProblemException(HttpStatus.CONFLICT, "wrong_state", e.status());
            }
            close(c, entryId, "withdrawn");
            if (e.offer() != null && "offered".equals(e.offer().status())) {
                closeOffer(c, e.offer().id(), "declined");
                bookings.offerNext(c, e.instrumentId(), e.start().toInstant(), e.end().toInstant(), null);
            }
            audit.append(c, who.actor().entry("waitlist.withdrawn", "waitlist_entry", entryId.toString(), Map.of()));
            return null;
        });
    }

    /** Accepts an open offer: creates the booking (usual rules; 409 when taken again meanwhile). */
    public Booking accept(TenantId tenant, BookingService.Requester who, UUID offerId) {
        Accepted result;
        UUID[] instrument = new UUID[1];
        try {
            result = tenants.inTenantRetrying(tenant, c -> {
                WaitlistRows.OfferRow o = offerForUpdate(offerId, who.userId());
                instrument[0] = o.instrumentId();
                if (!"offered".equals(o.status())) {
                    throw new ProblemException(HttpStatus.CONFLICT, "wrong_state", o.status());
                }
                if (!clock.now().isBefore(o.expiresAt())) {
                    expire(c, o);
                    return new Accepted(null, true);
                }
                BookingService.NewBooking r = new BookingService.NewBooking(o.startsAt(), o.endsAt(), o.accountCode(), null,
                        o.assisted(), o.purpose());
                Booking b = bookings.insert(c, tenant, who, o.instrumentId(), r, null, null, offerId);
                rows.accepted(offerId, b.id(), clock.now());
                close(c, o.waitlistId(), "booked");
                audit.append(c, who.actor().entry("waitlist.accepted", "waitlist_entry", o.waitlistId().toString(),
                        Map.of("offerId", offerId.toString(), "bookingId", b.id().toString())));
                return new Accepted(b, false);
            });
        } catch (BookingService.SlotTaken taken) {
            throw bookings.conflict(tenant, instrument[0], who.userId(), taken);
        }
        if (result.expired()) {
            throw new ProblemException(HttpStatus.GONE, "offer_expired");
        }
        return result.booking();
    }

    /** Declines an open offer; the slot goes to the next person waiting. */
    public void decline(TenantId tenant, BookingService.Requester who, UUID offerId) {
        tenants.inTenant(tenant, c -> {
            WaitlistRows.OfferRow o = offerForUpdate(offerId, who.userId());
            if (!"offered".equals(o.status())) {
                throw new ProblemException(HttpStatus.CONFLICT, "wrong_state", o.status());
            }
            closeOffer(c, offerId, "declined");
            close(c, o.waitlistId(), "withdrawn");
            audit.append(c, who.actor().entry("waitlist.declined", "waitlist_entry", o.waitlistId().toString(),
                    Map.of("offerId", offerId.toString())));
            bookings.offerNext(c, o.instrumentId(), o.startsAt(), o.endsAt(), null);
            return null;
        });
    }

    /**
     * Expires the offer if it is still open and past its expiry (the sweep's step; a no-op when
     * someone accepted, declined or expired it meanwhile). Returns whether it expired it here.
     */
    public boolean expireIfDue(TenantId tenant, UUID offerId) {
        return tenants.inTenant(tenant, c -> {
            WaitlistRows.OfferRow o = rows.offerForUpdate(offerId, null).orElse(null);
            if (o == null || !"offered".equals(o.status()) || clock.now().isBefore(o.expiresAt())) {
                return false;
            }
            expire(c, o);
            return true;
        });
    }

    private void expire(Connection c, WaitlistRows.OfferRow o) throws SQLException {
        closeOffer(c, o.id(), "expired");
        close(c, o.waitlistId(), "withdrawn");
        audit.append(c, org.labcommons.core.audit.AuditEntry.system("waitlist.offer_expired", "waitlist_entry",
                o.waitlistId().toString(), Map.of("offerId", o.id().toString())));
        bookings.offerNext(c, o.instrumentId(), o.startsAt(), o.endsAt(), null);
    }

    private void closeOffer(Connection c, UUID offerId, String status) {
        rows.closeOffer(offerId, status, clock.now());
    }

    private void close(Connection c, UUID entryId, String status) {
        rows.close(entryId, status, clock.now());
    }

    /** The caller's offer, locked; someone else's offer does not exist (404). */
    private WaitlistRows.OfferRow offerForUpdate(UUID offerId, UUID userId) {
        return rows.offerForUpdate(offerId, userId).orElseThrow(ProblemException::notFound);
    }

    private List<Entry> entries(Connection c, UUID userId, @Nullable UUID only) throws SQLException {
        return rows.entries(userId, only, rows.zone());
    }
}
