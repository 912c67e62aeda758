package org.labcommons.core.booking;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
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
 * Usage records (上机记录): the actual use of an instrument. Staff record it for a booking when no
 * device reports it; instrument controllers will fill the same table (source {@code device},
 * idempotent on device and sequence). A record counts as use of the user's authorisation.
 */
@Singleton
public class UsageRecords {
    private final TenantTransactions tenants;
    private final AuditLog audit;
    private final Qualifications qualifications;
    private final BookingEvents events;
    private final BookingClock clock;

    public UsageRecords(TenantTransactions tenants, AuditLog audit, Qualifications qualifications, BookingEvents events,
                        BookingClock clock) {
        this.tenants = tenants;
        this.audit = audit;
        this.qualifications = qualifications;
        this.events = events;
        this.clock = clock;
    }

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
            ZoneId zone = ZoneId.of(BookingRulesService.timeZone(c));
            Booking b = BookingService.find(c, bookingId, zone).orElseThrow(ProblemException::notFound);
            if (List.of("rejected", "cancelled").contains(b.status())) {
                throw new ProblemException(io.micronaut.http.HttpStatus.CONFLICT, "wrong_state", b.status());
            }
            UUID id = UUID.randomUUID();
            try (PreparedStatement ps = c.prepareStatement("insert into usage_record (tenant_id, id, instrument_id, "
                    + "booking_id, user_id, started_at, ended_at, source, notes, recorded_by, created_at) values "
                    + "(app_tenant(), ?, ?, ?, ?, ?, ?, 'staff', ?, ?, ?)")) {
                ps.setObject(1, id);
                ps.setObject(2, b.instrumentId());
                ps.setObject(3, bookingId);
                ps.setObject(4, b.requesterUserId());
                ps.setTimestamp(5, Timestamp.from(start));
                ps.setTimestamp(6, Timestamp.from(end));
                ps.setString(7, notes == null || notes.isBlank() ? null : notes.strip());
                ps.setObject(8, staff.userId());
                ps.setTimestamp(9, Timestamp.from(clock.now()));
                ps.executeUpdate();
            }
            qualifications.touch(c, b.instrumentId(), b.requesterUserId(), end);
            UsageRecord u = read(c, bookingId, id, zone).get(0);
            audit.append(c, staff.actor().entry("usage.recorded", "booking", bookingId.toString(),
                    Map.of("usageId", id.toString(), "start", start.toString(), "end", end.toString())));
            events.usageRecorded(c, u);
            return u;
        });
    }

    public List<UsageRecord> forBooking(TenantId tenant, UUID bookingId) {
        return tenants.inTenant(tenant, c -> read(c, bookingId, null, ZoneId.of(BookingRulesService.timeZone(c))));
    }

    private static List<UsageRecord> read(Connection c, UUID bookingId, @Nullable UUID only, ZoneId zone)
            throws SQLException {
        List<UsageRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select id, instrument_id, booking_id, user_id, started_at, ended_at, "
                + "source, notes, recorded_by, created_at from usage_record where booking_id = ? "
                + "and (?::uuid is null or id = ?) order by started_at, id")) {
            ps.setObject(1, bookingId);
            ps.setObject(2, only);
            ps.setObject(3, only);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new UsageRecord(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            rs.getObject(3, UUID.class), rs.getObject(4, UUID.class), Booking.at(rs, 5, zone),
                            Booking.at(rs, 6, zone), rs.getString(7), rs.getString(8), rs.getObject(9, UUID.class),
                            Booking.at(rs, 10, zone)));
                }
            }
        }
        return out;
    }
}
