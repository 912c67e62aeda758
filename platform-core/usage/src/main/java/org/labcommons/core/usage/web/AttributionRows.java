package org.labcommons.core.usage.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.Optional;
import java.util.UUID;

/**
 * The statements of {@link StaffAttribution}: a session as it stands, the instrument of a booking, and
 * the attribution itself (person, booking, link; the version bumped). Runs inside
 * {@code TenantTransactions.inTenant} (RLS).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AttributionRows extends GenericRepository<UsagePageRows.SessionRow, UUID> {

    @Query("select id, instrument_id, source, status, started_at, ended_at, user_id, booking_id, link, grade "
            + "from usage_session where id = :id and status <> 'superseded' for update")
    Optional<UsagePageRows.SessionRow> lockSession(UUID id);

    @Query("select instrument_id from booking where id = :bookingId")
    Optional<UUID> bookingInstrument(UUID bookingId);

    @Query("update usage_session set user_id = :userId, booking_id = cast(:bookingId as uuid), link = :link, "
            + "identified_by = 'staff', version = version + 1, updated_at = now() "
            + "where id = :id and link = 'unattributed' and status <> 'superseded'")
    long attribute(UUID id, UUID userId, @Nullable UUID bookingId, String link);
}
