package org.labcommons.core.booking;

import io.micronaut.core.annotation.Nullable;
import org.labcommons.core.security.AuthenticatedUser;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Port: the bookings a person holds at <em>other</em> institutions, as their home institution keeps
 * them (the linked records of cross-institution booking, docs/federation.md). platform-core only
 * shows them (the "my bookings" page); the records are kept by the federation module, which
 * implements this port. Without an implementation (platform-core alone) the page has no such
 * section. Implementations read only the person's home tenant and only the person's own records.
 */
public interface BookingsElsewhere {

    /** One linked record: the owner's names and the booking as the owner last reported it, times in the home's zone. */
    record Item(UUID bookingId, UUID ownerTenantId, @Nullable String ownerSlug, String ownerNameZh, String ownerNameEn,
                UUID instrumentId, @Nullable String instrumentNameZh, @Nullable String instrumentNameEn,
                OffsetDateTime start, OffsetDateTime end, String status, String homeStatus,
                @Nullable String refusalReason, String rateGroup, @Nullable Long estimatedCostFen) {
    }

    /** A slice of the person's records and how many there are in all. */
    record Listing(List<Item> items, long total) {
    }

    /**
     * The records of {@code person} (their home tenant, their user id): those not yet ended at
     * {@code now} first, soonest first, then the ended ones, latest first; {@code limit} of them
     * from {@code offset}.
     */
    Listing of(AuthenticatedUser person, Instant now, int offset, int limit);
}
