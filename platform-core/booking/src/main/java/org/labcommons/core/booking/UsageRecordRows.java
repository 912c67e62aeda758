package org.labcommons.core.booking;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The store of usage records ({@code usage_record}, 上机记录). Runs inside the caller's
 * tenant-bound transaction, so the RLS policy limits every statement to the bound tenant.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface UsageRecordRows extends GenericRepository<UsageRecordRows.Row, UUID> {

    /** A row of {@code usage_record} as read back. */
    @MappedEntity("usage_record")
    record Row(@Id UUID id, UUID instrumentId, @Nullable UUID bookingId, @Nullable UUID userId, Instant startedAt,
               Instant endedAt, String source, @Nullable String notes, @Nullable UUID recordedBy, Instant createdAt) {
        UsageRecords.UsageRecord toRecord(ZoneId zone) {
            return new UsageRecords.UsageRecord(id, instrumentId, bookingId, userId, Booking.at(startedAt, zone),
                    Booking.at(endedAt, zone), source, notes, recordedBy, Booking.at(createdAt, zone));
        }
    }

    /** Use recorded by staff for a booking (the transaction's tenant). */
    @Query("insert into usage_record (tenant_id, id, instrument_id, booking_id, user_id, started_at, ended_at, source, "
            + "notes, recorded_by, created_at) values (app_tenant(), :id, :instrumentId, :bookingId, :userId, :start, "
            + ":end, 'staff', cast(:notes as text), :recordedBy, :now)")
    void recordByStaff(UUID id, UUID instrumentId, UUID bookingId, UUID userId, Instant start, Instant end,
                       @Nullable String notes, UUID recordedBy, Instant now);

    /** The booking's usage records (only {@code only} when given), by start. */
    @Query("select id, instrument_id, booking_id, user_id, started_at, ended_at, source, notes, recorded_by, created_at "
            + "from usage_record where booking_id = :bookingId and (cast(:only as uuid) is null or id = :only) "
            + "order by started_at, id")
    List<Row> forBooking(UUID bookingId, @Nullable UUID only);

    /** Those of {@code bookings} that have a usage record. */
    @Query("select distinct booking_id from usage_record where booking_id in (:bookings)")
    List<UUID> withUsage(Collection<UUID> bookings);
}
