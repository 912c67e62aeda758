package org.labcommons.core.billing.charges;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What rating reads of the sources (booking's {@code booking}, {@code sample_request}, {@code usage_record}, usage's
 * {@code usage_session}, catalogue's {@code instrument}), read-only, in the caller's tenant transaction.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ChargeSourceRows extends GenericRepository<ChargeSourceRows.Key, UUID> {

    /** The key of a row. */
    @MappedEntity("booking")
    record Key(@Id UUID id) {
    }

    /** A booking as rating needs it. */
    @Introspected
    record BookingFacts(UUID id, UUID instrumentId, UUID requesterUserId, UUID requesterTenantId,
                        @Nullable String accountCode, String rateGroup, boolean assisted, String status,
                        Instant startsAt, Instant endsAt) {
    }

    /** A sample request as rating needs it. */
    @Introspected
    record SampleFacts(UUID id, UUID instrumentId, @Nullable UUID serviceId, UUID requesterUserId,
                       UUID requesterTenantId, @Nullable String accountCode, String rateGroup, int sampleCount,
                       @Nullable Integer receivedCount, int itemCount, Instant submittedAt,
                       @Nullable Instant resultsReadyAt) {
    }

    /** The instrument's unit (null: none). */
    @Introspected
    record Unit(UUID id, @Nullable UUID orgUnitId) {
    }

    @Query("select id, instrument_id, requester_user_id, requester_tenant_id, account_code, rate_group, assisted, status, "
            + "starts_at, ends_at from booking where id = :id")
    Optional<BookingFacts> booking(UUID id);

    @Query("select id, instrument_id, service_id, requester_user_id, requester_tenant_id, account_code, rate_group, "
            + "sample_count, received_count, cardinality(items) as item_count, submitted_at, results_ready_at "
            + "from sample_request where id = :id")
    Optional<SampleFacts> sample(UUID id);

    @Query("select id, org_unit_id from instrument where id = :id")
    Optional<Unit> unit(UUID id);

    /** The time zone of the bound tenant. */
    @Query("select time_zone from tenant where id = app_tenant()")
    Optional<String> tenantZone();

    /**
     * Bookings that ended in [since, before) and still stand (approved or checked in) with no charge yet (of their
     * own, or of a session or record of theirs), and (unless the instrument's policy is booked time only) neither a
     * measured session nor a staff usage record.
     */
    @Query("select b.id from booking b left join charge_policy p on p.tenant_id = b.tenant_id and p.instrument_id = b.instrument_id "
            + "where b.status in ('approved', 'checked_in') and b.ends_at >= :since and b.ends_at < :before "
            + "and not exists (select 1 from charge c where c.booking_id = b.id) "
            + "and (coalesce(p.basis, 'measured') = 'booked' or (not exists (select 1 from usage_session s "
            + "where s.booking_id = b.id and s.source <> 'booking' and s.status = 'closed') "
            + "and not exists (select 1 from usage_record r where r.booking_id = b.id))) "
            + "order by b.ends_at, b.id limit :limit")
    List<UUID> bookedBasisDue(Instant since, Instant before, int limit);
}
