package org.labcommons.core.booking;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Maintenance windows block an instrument's calendar. A window may not cover an active booking
 * (409 with the booking's slot: cancel or move it first) nor another window. Creating one locks the
 * instrument row for update, which waits for bookings in flight (they hold a key-share lock on it)
 * and makes new ones wait, so a booking and a window can never slip past each other.
 */
@Singleton
public class MaintenanceWindows {
    private final TenantTransactions tenants;
    private final AuditLog audit;
    private final BookingClock clock;

    public MaintenanceWindows(TenantTransactions tenants, AuditLog audit, BookingClock clock) {
        this.tenants = tenants;
        this.audit = audit;
        this.clock = clock;
    }

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
            ZoneId zone = ZoneId.of(BookingRulesService.timeZone(c));
            try (PreparedStatement ps = c.prepareStatement("select 1 from instrument where id = ? for update")) {
                ps.setObject(1, instrumentId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw ProblemException.notFound();
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select starts_at, ends_at from booking where instrument_id = ? "
                    + "and status in ('requested', 'approved', 'checked_in') and slot && tstzrange(?, ?, '[)') "
                    + "order by starts_at limit 1")) {
                ps.setObject(1, instrumentId);
                ps.setTimestamp(2, Timestamp.from(start));
                ps.setTimestamp(3, Timestamp.from(end));
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        throw new SlotConflictException(new SlotConflictException.Conflict("booking",
                                Booking.at(rs, 1, zone), Booking.at(rs, 2, zone)));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select lower(period), upper(period) from maintenance_window "
                    + "where instrument_id = ? and period && tstzrange(?, ?, '[)') order by lower(period) limit 1")) {
                ps.setObject(1, instrumentId);
                ps.setTimestamp(2, Timestamp.from(start));
                ps.setTimestamp(3, Timestamp.from(end));
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        throw new SlotConflictException(new SlotConflictException.Conflict("maintenance",
                                Booking.at(rs, 1, zone), Booking.at(rs, 2, zone)));
                    }
                }
            }
            UUID id = UUID.randomUUID();
            try (PreparedStatement ps = c.prepareStatement("insert into maintenance_window (tenant_id, id, instrument_id, "
                    + "period, reason, created_by, created_at) values (app_tenant(), "
                    + "?, ?, tstzrange(?, ?, '[)'), ?, ?, ?)")) {
                ps.setObject(1, id);
                ps.setObject(2, instrumentId);
                ps.setTimestamp(3, Timestamp.from(start));
                ps.setTimestamp(4, Timestamp.from(end));
                ps.setString(5, reason == null || reason.isBlank() ? null : reason.strip());
                ps.setObject(6, createdBy);
                ps.setTimestamp(7, Timestamp.from(clock.now()));
                ps.executeUpdate();
            }
            audit.append(c, actor.entry("maintenance.created", "instrument", instrumentId.toString(),
                    Map.of("windowId", id.toString(), "start", start.toString(), "end", end.toString())));
            return read(c, instrumentId, id, null, null, zone).get(0);
        });
    }

    public List<Window> list(TenantId tenant, UUID instrumentId, Instant from, Instant to) {
        return tenants.inTenant(tenant, c -> read(c, instrumentId, null, from, to,
                ZoneId.of(BookingRulesService.timeZone(c))));
    }

    public void delete(TenantId tenant, AuditEntry.Actor actor, UUID instrumentId, UUID id) {
        tenants.inTenant(tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement("delete from maintenance_window where instrument_id = ? and id = ?")) {
                ps.setObject(1, instrumentId);
                ps.setObject(2, id);
                if (ps.executeUpdate() == 0) {
                    throw ProblemException.notFound();
                }
            }
            audit.append(c, actor.entry("maintenance.deleted", "instrument", instrumentId.toString(),
                    Map.of("windowId", id.toString())));
            return null;
        });
    }

    private static List<Window> read(Connection c, UUID instrumentId, @Nullable UUID only, @Nullable Instant from,
                                     @Nullable Instant to, ZoneId zone) throws SQLException {
        List<Window> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select id, lower(period), upper(period), reason, created_by, "
                + "created_at from maintenance_window where instrument_id = ? and (?::uuid is null or id = ?) "
                + "and (?::timestamptz is null or period && tstzrange(?::timestamptz, ?::timestamptz, '[)')) "
                + "order by lower(period) limit 1000")) {
            ps.setObject(1, instrumentId);
            ps.setObject(2, only);
            ps.setObject(3, only);
            ps.setTimestamp(4, from == null ? null : Timestamp.from(from));
            ps.setTimestamp(5, from == null ? null : Timestamp.from(from));
            ps.setTimestamp(6, to == null ? null : Timestamp.from(to));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Window(rs.getObject(1, UUID.class), instrumentId, Booking.at(rs, 2, zone),
                            Booking.at(rs, 3, zone), rs.getString(4), rs.getObject(5, UUID.class), Booking.at(rs, 6, zone)));
                }
            }
        }
        return out;
    }
}
