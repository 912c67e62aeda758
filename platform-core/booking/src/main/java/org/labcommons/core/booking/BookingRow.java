package org.labcommons.core.booking;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;

/**
 * A row of {@code booking} as {@link BookingRows} reads it. The key is (tenant_id, id); {@code id}
 * alone serves as the repository's id because every statement runs under the tenant's RLS policy.
 * The generated ranges {@code slot} and {@code blocked} are the database's (not mapped).
 */
@MappedEntity("booking")
public record BookingRow(@Id UUID id, UUID instrumentId, String status, Instant startsAt, Instant endsAt,
                         Instant blockedUntil, UUID requesterUserId, UUID requesterTenantId,
                         @Nullable String accountCode, String rateGroup, boolean assisted, @Nullable String purpose,
                         @Nullable UUID seriesId, @Nullable Integer seriesIndex, @Nullable UUID decidedBy,
                         @Nullable Instant decidedAt, @Nullable String decisionNote, @Nullable Instant cancelledAt,
                         @Nullable Instant checkedInAt, @Nullable Instant noShowAt, @Nullable UUID waitlistOfferId,
                         long version, Instant createdAt, @Nullable Instant noShowOverturnedAt) {

    /** The booking as the API shows it, its times in {@code zone}. */
    public Booking toBooking(ZoneId zone) {
        return new Booking(id, instrumentId, status, Booking.at(startsAt, zone), Booking.at(endsAt, zone),
                Booking.at(blockedUntil, zone), requesterUserId, requesterTenantId, accountCode, rateGroup, assisted,
                purpose, seriesId, seriesIndex, decidedBy, Booking.at(decidedAt, zone), decisionNote,
                Booking.at(cancelledAt, zone), Booking.at(checkedInAt, zone), Booking.at(noShowAt, zone),
                waitlistOfferId, version, Booking.at(createdAt, zone), Booking.at(noShowOverturnedAt, zone));
    }
}
