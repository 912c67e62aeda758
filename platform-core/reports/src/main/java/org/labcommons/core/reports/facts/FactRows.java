package org.labcommons.core.reports.facts;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What the projector writes (V46): each source's remembered contribution ({@code fact_source}) and the rollups it
 * changes by deltas ({@code fact_day}, {@code fact_month}, the user, project and trainee sets), in the consumer's
 * tenant transaction (row level security: the event's tenant only).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface FactRows extends GenericRepository<FactRows.Key, UUID> {

    /** The key of a row. */
    @MappedEntity("fact_source")
    record Key(@Id UUID sourceId) {
    }

    /** A source's contribution as remembered. */
    @Introspected
    record Stored(String kind, UUID sourceId, long version, UUID instrumentId, @Nullable LocalDate day,
                  String userClass, String serviceType, @Nullable UUID userId, @Nullable String project,
                  @Nullable UUID bookingId, long rawMin, long effectiveMin, long bookedMin, long samples,
                  long revenueFen, boolean measured) {
    }

    String COLUMNS = "kind, source_id, version, instrument_id, day, user_class, service_type, user_id, project, "
            + "booking_id, raw_min, effective_min, booked_min, samples, revenue_fen, measured";

    /** The source's row, locked for the rest of the transaction. */
    @Query("select " + COLUMNS + " from fact_source where kind = :kind and source_id = :id for update")
    Optional<Stored> source(String kind, UUID id);

    /**
     * Serialises the work on one booking's facts until the transaction ends (a transaction-scoped advisory lock on the
     * booking id): a booking's event and its session's event may be handled at once by two consumer processes, and
     * each must see what the other committed (else a session could keep the class it had without its booking).
     */
    @Query("select count(*) from (select pg_advisory_xact_lock(hashtextextended(:bookingId, 0))) x")
    long lockBooking(String bookingId);

    /** The sessions and staff records of a booking, locked. */
    @Query("select " + COLUMNS + " from fact_source where booking_id = :bookingId and kind in ('session', 'record') "
            + "order by kind, source_id for update")
    List<Stored> ofBooking(UUID bookingId);

    /** Whether a measured session (not superseded) of the booking is known. */
    @Query("select exists (select 1 from fact_source where booking_id = :bookingId and kind = 'session' and measured)")
    boolean measured(UUID bookingId);

    @Query("insert into fact_source (tenant_id, kind, source_id, version, instrument_id, day, user_class, service_type, "
            + "user_id, project, booking_id, raw_min, effective_min, booked_min, samples, revenue_fen, measured, updated_at) "
            + "values (app_tenant(), :kind, :sourceId, :version, :instrumentId, :day, :userClass, :serviceType, "
            + "cast(:userId as uuid), :project, cast(:bookingId as uuid), :rawMin, :effectiveMin, :bookedMin, :samples, "
            + ":revenueFen, :measured, now()) "
            + "on conflict (tenant_id, kind, source_id) do update set version = excluded.version, "
            + "instrument_id = excluded.instrument_id, day = excluded.day, user_class = excluded.user_class, "
            + "service_type = excluded.service_type, user_id = excluded.user_id, project = excluded.project, "
            + "booking_id = excluded.booking_id, raw_min = excluded.raw_min, effective_min = excluded.effective_min, "
            + "booked_min = excluded.booked_min, samples = excluded.samples, revenue_fen = excluded.revenue_fen, "
            + "measured = excluded.measured, updated_at = now()")
    void save(String kind, UUID sourceId, long version, UUID instrumentId, @Nullable LocalDate day, String userClass,
              String serviceType, @Nullable UUID userId, @Nullable String project, @Nullable UUID bookingId,
              long rawMin, long effectiveMin, long bookedMin, long samples, long revenueFen, boolean measured);

    @Query("insert into fact_day (tenant_id, instrument_id, day, user_class, service_type, effective_min, booked_min, "
            + "samples, revenue_fen) values (app_tenant(), :instrumentId, :day, :userClass, :serviceType, :effectiveMin, "
            + ":bookedMin, :samples, :revenueFen) on conflict (tenant_id, instrument_id, day, user_class, service_type) "
            + "do update set effective_min = fact_day.effective_min + excluded.effective_min, "
            + "booked_min = fact_day.booked_min + excluded.booked_min, samples = fact_day.samples + excluded.samples, "
            + "revenue_fen = fact_day.revenue_fen + excluded.revenue_fen")
    void addDay(UUID instrumentId, LocalDate day, String userClass, String serviceType, long effectiveMin,
                long bookedMin, long samples, long revenueFen);

    @Query("insert into fact_month (tenant_id, instrument_id, month, user_class, service_type, effective_min, booked_min, "
            + "samples, revenue_fen) values (app_tenant(), :instrumentId, :month, :userClass, :serviceType, :effectiveMin, "
            + ":bookedMin, :samples, :revenueFen) on conflict (tenant_id, instrument_id, month, user_class, service_type) "
            + "do update set effective_min = fact_month.effective_min + excluded.effective_min, "
            + "booked_min = fact_month.booked_min + excluded.booked_min, samples = fact_month.samples + excluded.samples, "
            + "revenue_fen = fact_month.revenue_fen + excluded.revenue_fen")
    void addMonth(UUID instrumentId, LocalDate month, String userClass, String serviceType, long effectiveMin,
                  long bookedMin, long samples, long revenueFen);

    @Query("insert into fact_month_user (tenant_id, instrument_id, month, user_class, user_id, refs) values (app_tenant(), "
            + ":instrumentId, :month, :userClass, :userId, greatest(:delta, 0)) "
            + "on conflict (tenant_id, instrument_id, month, user_class, user_id) "
            + "do update set refs = greatest(fact_month_user.refs + :delta, 0)")
    void addUser(UUID instrumentId, LocalDate month, String userClass, UUID userId, int delta);

    @Query("delete from fact_month_user where instrument_id = :instrumentId and month = :month and user_class = :userClass "
            + "and user_id = :userId and refs = 0")
    void pruneUser(UUID instrumentId, LocalDate month, String userClass, UUID userId);

    @Query("insert into fact_month_project (tenant_id, instrument_id, month, user_class, project, refs) values (app_tenant(), "
            + ":instrumentId, :month, :userClass, :project, greatest(:delta, 0)) "
            + "on conflict (tenant_id, instrument_id, month, user_class, project) "
            + "do update set refs = greatest(fact_month_project.refs + :delta, 0)")
    void addProject(UUID instrumentId, LocalDate month, String userClass, String project, int delta);

    @Query("delete from fact_month_project where instrument_id = :instrumentId and month = :month "
            + "and user_class = :userClass and project = :project and refs = 0")
    void pruneProject(UUID instrumentId, LocalDate month, String userClass, String project);

    @Query("insert into fact_month_trainee (tenant_id, instrument_id, month, user_id) values (app_tenant(), :instrumentId, "
            + ":month, :userId) on conflict do nothing")
    void trainee(UUID instrumentId, LocalDate month, UUID userId);
}
