package org.labcommons.core.booking;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The store of maintenance windows ({@code maintenance_window}, whose {@code period} is a
 * {@code tstzrange}: read back as its bounds). Runs inside the caller's tenant-bound transaction,
 * so the RLS policy limits every statement to the bound tenant and the instrument's row lock lasts
 * until that transaction ends. What a window is checked against is {@link BookingRows}'.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface MaintenanceWindowRows extends GenericRepository<MaintenanceWindowRows.Row, UUID> {

    /** The columns of {@code maintenance_window} besides the period. */
    @MappedEntity("maintenance_window")
    record Row(@Id UUID id, UUID instrumentId, @Nullable String reason, @Nullable UUID createdBy, Instant createdAt) {
    }

    /** A window with the bounds of its period. */
    @Introspected
    record Line(UUID id, UUID instrumentId, Instant startsAt, Instant endsAt, @Nullable String reason,
                @Nullable UUID createdBy, Instant createdAt) {
        MaintenanceWindows.Window toWindow(ZoneId zone) {
            return new MaintenanceWindows.Window(id, instrumentId, Booking.at(startsAt, zone), Booking.at(endsAt, zone),
                    reason, createdBy, Booking.at(createdAt, zone));
        }
    }

    /**
     * Locks the instrument's row for update (new bookings, which key-share lock it, wait until the
     * transaction ends); empty when the bound tenant has no such instrument.
     */
    @Query("select 1 from instrument where id = :instrumentId for update")
    Optional<Integer> lockInstrument(UUID instrumentId);

    /** A new window [start, end) (the transaction's tenant). */
    @Query("insert into maintenance_window (tenant_id, id, instrument_id, period, reason, created_by, created_at) "
            + "values (app_tenant(), :id, :instrumentId, tstzrange(:start, :end, '[)'), cast(:reason as text), "
            + ":createdBy, :now)")
    void insert(UUID id, UUID instrumentId, Instant start, Instant end, @Nullable String reason, UUID createdBy,
                Instant now);

    /** The instrument's windows (only {@code only} when given; overlapping [from, to) when given), by start. */
    @Query("select id, instrument_id, lower(period) as starts_at, upper(period) as ends_at, reason, created_by, "
            + "created_at from maintenance_window where instrument_id = :instrumentId "
            + "and (cast(:only as uuid) is null or id = :only) and (cast(:from as timestamptz) is null "
            + "or period && tstzrange(cast(:from as timestamptz), cast(:to as timestamptz), '[)')) "
            + "order by lower(period) limit 1000")
    List<Line> list(UUID instrumentId, @Nullable UUID only, @Nullable Instant from, @Nullable Instant to);

    /** Deletes the instrument's window; the count deleted (0: no such window). */
    @Query("delete from maintenance_window where instrument_id = :instrumentId and id = :id")
    long deleteWindow(UUID instrumentId, UUID id);
}
