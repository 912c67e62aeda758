package org.labcommons.core.usage.booked;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.booking.UsageRecordListener;
import org.labcommons.core.booking.UsageRecords;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/**
 * Grade C usage sessions (docs/usage.md, "Booked against used"): use known only from a staff usage
 * record (source {@code staff}) or from a booking that was checked in and ended with nothing recorded
 * (source {@code booking}), for an instrument whose devices did not report during that time. Where a
 * device reported, the measured session stands for the use and no grade C session is made (the record
 * stays and is shown beside it). Ids are name-based UUIDs of (tenant, instrument, source, record or
 * booking id), and the insert does nothing when the id is there, so a repeat changes nothing and writes
 * no event. A staff record made after a booking's grade C session supersedes it.
 */
@Singleton
public record ManualSessions(TenantTransactions tenants, BookedRows rows, SessionEvents events, BookingClock clock)
        implements UsageRecordListener {

    /** The deterministic id of a grade C session. */
    public static UUID sessionId(TenantId tenant, UUID instrumentId, String source, UUID madeFrom) {
        String name = tenant.value() + "/" + instrumentId + "/" + source + "/" + madeFrom;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }

    /** A staff record, in its own transaction ({@link UsageRecords#record}). */
    @Override
    public void recorded(Connection c, TenantId tenant, UsageRecords.UsageRecord r) throws SQLException {
        if (!"staff".equals(r.source()) || r.userId() == null) {
            return;
        }
        fromRecord(c, tenant, r.id(), r.instrumentId(), r.bookingId(), r.userId(), r.start().toInstant(),
                r.end().toInstant());
    }

    /** The grade C session of a staff record, unless a device reported then; true when made now. */
    boolean fromRecord(Connection c, TenantId tenant, UUID recordId, UUID instrumentId, @Nullable UUID bookingId,
                       UUID userId, Instant start, Instant end) throws SQLException {
        if (rows.deviceReported(instrumentId, start, end)) {
            return false;
        }
        UUID id = sessionId(tenant, instrumentId, "staff", recordId);
        String evidence = "[{\"type\":\"usage_record\",\"recordId\":\"" + recordId + "\"}]";
        if (!insert(c, id, instrumentId, "staff", start, end, userId, bookingId, evidence)) {
            return false;
        }
        if (bookingId != null) {
            Instant now = clock.now();
            for (UUID old : rows.fromBooking(bookingId)) {
                if (rows.supersede(old, id, now) > 0) {
                    events.append(c, "superseded", UsageSession.of(rows.view(old).orElseThrow()));
                }
            }
        }
        return true;
    }

    /** The grade C session of a checked-in booking with nothing recorded (the sweep found it); true when made now. */
    boolean fromCheckedIn(Connection c, TenantId tenant, BookedRows.CheckedIn b) throws SQLException {
        Instant start = b.checkedInAt().isAfter(b.startsAt()) && b.checkedInAt().isBefore(b.endsAt())
                ? b.checkedInAt() : b.startsAt();
        UUID id = sessionId(tenant, b.instrumentId(), "booking", b.id());
        String evidence = "[{\"type\":\"booking.checked_in\",\"bookingId\":\"" + b.id() + "\",\"at\":\""
                + b.checkedInAt() + "\"}]";
        return insert(c, id, b.instrumentId(), "booking", start, b.endsAt(), b.userId(), b.id(), evidence);
    }

    /** Every grade C session of checked-in bookings of {@code tenant} that ended in (since, dueBefore]. */
    int checkedIn(TenantId tenant, Instant since, Instant dueBefore, int limit) {
        return tenants.inTenant(tenant, c -> {
            int made = 0;
            for (BookedRows.CheckedIn b : rows.checkedInUnrecorded(since, dueBefore, limit)) {
                if (fromCheckedIn(c, tenant, b)) {
                    made++;
                }
            }
            return made;
        });
    }

    private boolean insert(Connection c, UUID id, UUID instrumentId, String source, Instant start, Instant end,
                           UUID userId, @Nullable UUID bookingId, String evidence) throws SQLException {
        String link = bookingId == null ? "unbooked" : "booked";
        int early = 0;
        int overtime = 0;
        BookedRows.BookingFacts b = bookingId == null ? null : rows.booking(bookingId).orElse(null);
        if (b != null) {
            early = UsageSession.minutesBetween(start, b.startsAt());
            overtime = UsageSession.minutesBetween(b.endsAt(), end);
        }
        if (rows.insertManual(id, instrumentId, source, start, end, userId, bookingId, link, early, overtime, evidence,
                clock.now()) == 0) {
            return false;
        }
        events.append(c, "closed", UsageSession.of(rows.view(id).orElseThrow()));
        return true;
    }
}
