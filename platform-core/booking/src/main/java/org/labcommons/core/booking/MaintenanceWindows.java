package org.labcommons.core.booking;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Maintenance windows block an instrument's calendar. A window may not cover an active booking
 * (409 with the booking's slot: cancel or move it first) nor another window. Creating one locks the
 * instrument row for update, which waits for bookings in flight (they hold a key-share lock on it)
 * and makes new ones wait, so a booking and a window can never slip past each other.
 */
@Singleton
public record MaintenanceWindows(TenantTransactions tenants,
                                 AuditLog audit,
                                 BookingClock clock,
                                 MaintenanceWindowRows rows,
                                 BookingRows bookings) {
    @Serdeable
    public record Window(UUID id, UUID instrumentId, OffsetDateTime start, OffsetDateTime end, @Nullable String reason,
                         @Nullable UUID createdBy, OffsetDateTime createdAt) {
    }

    public Window create(TenantId tenant, AuditEntry.Actor actor, UUID createdBy, UUID instrumentId, Instant start,
                         Instant end, @Nullable String reason) {
        if (!end.isAfter(start)) {
            throw BookingService.refused(List.of(BookingService.refusal("end", "end_before_start", Map.of())));
        }
        return tenants.inTenant(tenant, c -> {
            ZoneId zone = bookings.zone();
            rows.lockInstrument(instrumentId).orElseThrow(ProblemException::notFound);
            Optional<SlotConflictException.Conflict> inTheWay = bookings.bookingIn(instrumentId, start, end)
                    .map(w -> w.conflict("booking", zone))
                    .or(() -> bookings.maintenanceIn(instrumentId, start, end).map(w -> w.conflict("maintenance", zone)));
            if (inTheWay.isPresent()) {
                throw new SlotConflictException(inTheWay.get());
            }
            UUID id = UUID.randomUUID();
            rows.insert(id, instrumentId, start, end, reason == null || reason.isBlank() ? null : reason.strip(),
                    createdBy, clock.now());
            audit.append(c, actor.entry("maintenance.created", "instrument", instrumentId.toString(),
                    Map.of("windowId", id.toString(), "start", start.toString(), "end", end.toString())));
            return rows.list(instrumentId, id, null, null).get(0).toWindow(zone);
        });
    }

    public List<Window> list(TenantId tenant, UUID instrumentId, Instant from, Instant to) {
        return tenants.inTenant(tenant, c -> {
            ZoneId zone = bookings.zone();
            return rows.list(instrumentId, null, from, to).stream().map(w -> w.toWindow(zone)).toList();
        });
    }

    public void delete(TenantId tenant, AuditEntry.Actor actor, UUID instrumentId, UUID id) {
        tenants.inTenant(tenant, c -> {
            if (rows.deleteWindow(instrumentId, id) == 0) {
                throw ProblemException.notFound();
            }
            audit.append(c, actor.entry("maintenance.deleted", "instrument", instrumentId.toString(),
                    Map.of("windowId", id.toString())));
            return null;
        });
    }
}
