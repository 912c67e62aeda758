package org.labcommons.core.usage.sessions;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The store of measured usage sessions ({@code usage_session}, source {@code device}) as the session builder
 * writes them. Call it inside {@code TenantTransactions.inTenant}: RLS limits every statement to the bound tenant.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface SessionRows extends GenericRepository<SessionRows.Row, UUID> {

    /** The key of a {@code usage_session} row. */
    @MappedEntity("usage_session")
    record Row(@Id UUID id, UUID instrumentId) {
    }

    /** A stored session (measured values), its evidence as JSON text. */
    @Introspected
    record Stored(UUID id, UUID instrumentId, String source, String status, Instant startedAt, @Nullable Instant endedAt,
                  @Nullable UUID userId, @Nullable String identifiedBy, @Nullable UUID bookingId, String link,
                  int earlyMinutes, int overtimeMinutes, String grade, @Nullable BigDecimal energyWh,
                  @Nullable BigDecimal peakWatts, String evidence, @Nullable UUID supersededBy, long version) {
    }

    String COLUMNS = "id, instrument_id, source, status, started_at, ended_at, user_id, identified_by, booking_id, link, "
            + "early_minutes, overtime_minutes, grade, energy_wh, peak_watts, evidence::text as evidence, superseded_by, version";

    /**
     * Serialises the recomputation of one instrument's sessions (consumers on other partitions may meet the same
     * instrument): a transaction-scoped advisory lock on the tenant and instrument.
     */
    @Query("select count(*) from (select pg_advisory_xact_lock(hashtextextended(cast(app_tenant() as text) || '/usage-session/' "
            + "|| cast(:instrumentId as text), 0))) l")
    long lock(UUID instrumentId);

    /** The instrument's measured sessions that start before {@code to} and end at or after {@code from} (or are open). */
    @Query("select " + COLUMNS + " from usage_session where instrument_id = :instrumentId and source = 'device' "
            + "and started_at < :to and (ended_at is null or ended_at >= :from) order by started_at, id")
    List<Stored> overlapping(UUID instrumentId, Instant from, Instant to);

    /** The instrument's measured sessions, any status, in order of start (specifications, pages). */
    @Query("select " + COLUMNS + " from usage_session where instrument_id = :instrumentId and source = 'device' "
            + "order by started_at, id")
    List<Stored> ofInstrument(UUID instrumentId);

    /** Inserts a session or sets its measured values (a superseded one comes back). */
    @Query("insert into usage_session (tenant_id, id, instrument_id, source, status, started_at, ended_at, user_id, "
            + "identified_by, booking_id, link, early_minutes, overtime_minutes, grade, energy_wh, peak_watts, evidence, "
            + "superseded_by, version) values (app_tenant(), :id, :instrumentId, 'device', :status, :startedAt, "
            + "cast(:endedAt as timestamptz), cast(:userId as uuid), cast(:identifiedBy as text), cast(:bookingId as uuid), "
            + ":link, :earlyMinutes, :overtimeMinutes, :grade, :energyWh, :peakWatts, cast(:evidence as jsonb), null, :version) "
            + "on conflict (tenant_id, id) do update set status = excluded.status, started_at = excluded.started_at, "
            + "ended_at = excluded.ended_at, user_id = excluded.user_id, identified_by = excluded.identified_by, "
            + "booking_id = excluded.booking_id, link = excluded.link, early_minutes = excluded.early_minutes, "
            + "overtime_minutes = excluded.overtime_minutes, grade = excluded.grade, energy_wh = excluded.energy_wh, "
            + "peak_watts = excluded.peak_watts, evidence = excluded.evidence, superseded_by = null, "
            + "version = excluded.version, updated_at = now()")
    void upsert(UUID id, UUID instrumentId, String status, Instant startedAt, @Nullable Instant endedAt,
                @Nullable UUID userId, @Nullable String identifiedBy, @Nullable UUID bookingId, String link,
                int earlyMinutes, int overtimeMinutes, String grade, BigDecimal energyWh, BigDecimal peakWatts,
                String evidence, long version);

    /** Marks a session superseded (by {@code supersededBy}, or by nothing). */
    @Query("update usage_session set status = 'superseded', superseded_by = cast(:supersededBy as uuid), "
            + "version = :version, updated_at = now() where id = :id")
    void supersede(UUID id, @Nullable UUID supersededBy, long version);
}
