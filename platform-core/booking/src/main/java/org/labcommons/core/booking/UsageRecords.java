package org.labcommons.core.booking;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Usage records (上机记录): the actual use of an instrument. Staff record it for a booking when no
 * device reports it; instrument controllers will fill the same table (source {@code device},
 * idempotent on device and sequence). A record counts as use of the user's authorisation. Every
 * {@link UsageRecordListener} hears of a new record in its transaction.
 */
@Singleton
public record UsageRecords(TenantTransactions tenants,
                           AuditLog audit,
                           Qualifications qualifications,
                           BookingEvents events,
                           BookingClock clock,
                           UsageRecordRows rows,
                           BookingRows bookings,
                           List<UsageRecordListener> listeners) {
    @Serdeable
    public record UsageRecord(UUID id, UUID instrumentId, @Nullable UUID bookingId, @Nullable UUID userId,
                              OffsetDateTime start, OffsetDateTime end, String source, @Nullable String notes,
                              @Nullable UUID recordedBy, OffsetDateTime createdAt) {
    }

    /** Staff record use for a booking (not for a rejected or cancelled one). */
    public UsageRecord record(TenantId tenant, BookingService.Requester staff, UUID bookingId, Instant start, Instant end,
                              @Nullable String notes) {
        if (!end.isAfter(start)) {
            throw BookingService.refused(List.of(BookingService.refusal("end", "end_before_start", Map.of())));
        }
        return tenants.inTenant(tenant, c -> {
            ZoneId zone = bookings.zone();
            Booking b = bookings.findById(bookingId).orElseThrow(ProblemException::notFound).toBooking(zone);
            if (List.of("rejected", "cancelled").contains(b.status())) {
                throw new ProblemException(io.micronaut.http.HttpStatus.CONFLICT, "wrong_state", b.status());
            }
            UUID id = UUID.randomUUID();
            rows.recordByStaff(id, b.instrumentId(), bookingId, b.requesterUserId(), start, end,
                    notes == null || notes.isBlank() ? null : notes.strip(), staff.userId(), clock.now());
            qualifications.touch(c, b.instrumentId(), b.requesterUserId(), end);
            UsageRecord u = read(bookingId, id, zone).get(0);
            audit.append(c, staff.actor().entry("usage.recorded", "booking", bookingId.toString(),
                    Map.of("usageId", id.toString(), "start", start.toString(), "end", end.toString())));
            events.usageRecorded(c, u);
            for (UsageRecordListener l : listeners) {
                l.recorded(c, tenant, u);
            }
            return u;
        });
    }

    public List<UsageRecord> forBooking(TenantId tenant, UUID bookingId) {
        return tenants.inTenant(tenant, c -> read(bookingId, null, bookings.zone()));
    }

    private List<UsageRecord> read(UUID bookingId, @Nullable UUID only, ZoneId zone) {
        return rows.forBooking(bookingId, only).stream().map(r -> r.toRecord(zone)).toList();
    }
}
