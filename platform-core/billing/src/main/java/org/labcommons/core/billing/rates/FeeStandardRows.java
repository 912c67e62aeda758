package org.labcommons.core.billing.rates;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The store of fee standards ({@code fee_standard}, {@code fee_standard_step}, V39). Runs inside the caller's
 * tenant-bound transaction: the RLS policies limit every statement to the bound tenant ({@link #activeInstitutions}
 * reads the global tenant registry). The time bands travel as JSON text; parsing is {@link FeeStandards}'.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface FeeStandardRows extends GenericRepository<FeeStandardRows.Key, UUID> {
    /** The columns of {@link Stored}. */
    String COLUMNS = "id, instrument_id, service_id, rate_group_code, version, unit, price_fen, minimum_fen, rounding, "
            + "assisted_surcharge_fen, cast(time_bands as text) as time_bands, status, effective_from, filing_ref, note, "
            + "activated_at, created_at, created_by, updated_at";
    /** The same card key: instrument, machine time or service, rate group. */
    String SAME_KEY = "instrument_id = :instrumentId and service_id is not distinct from cast(:serviceId as uuid) "
            + "and rate_group_code = :rateGroup";

    /** The key of a row. */
    @MappedEntity("fee_standard")
    record Key(@Id UUID id) {
    }

    /** A stored fee standard. */
    @Introspected
    record Stored(UUID id, UUID instrumentId, @Nullable UUID serviceId, String rateGroupCode, int version, String unit,
                  long priceFen, long minimumFen, int rounding, long assistedSurchargeFen, @Nullable String timeBands,
                  String status, LocalDate effectiveFrom, @Nullable String filingRef, @Nullable String note,
                  @Nullable Instant activatedAt, Instant createdAt, @Nullable UUID createdBy, Instant updatedAt) {
    }

    /** A step of a card's life. */
    @Introspected
    record StepRow(int seq, String action, @Nullable String fromStatus, String toStatus, Instant at,
                   @Nullable UUID actorId, @Nullable String note) {
    }

    /** The time zone of the bound tenant (empty with no tenant bound). */
    @Query("select time_zone from tenant where id = app_tenant()")
    Optional<String> tenantZone();

    /** The active institutions (the global registry, no tenant bound): activation visits each in turn. */
    @Query("select id from tenant where status = 'active' and kind = 'institution' order by id")
    List<UUID> activeInstitutions();

    /** The next version of a card key. */
    @Query("select coalesce(max(version), 0) + 1 from fee_standard where " + SAME_KEY)
    int nextVersion(UUID instrumentId, @Nullable UUID serviceId, String rateGroup);

    @Query("insert into fee_standard (tenant_id, id, instrument_id, service_id, rate_group_code, version, unit, price_fen, "
            + "minimum_fen, rounding, assisted_surcharge_fen, time_bands, status, effective_from, note, created_at, "
            + "created_by, updated_at) values (app_tenant(), :id, :instrumentId, cast(:serviceId as uuid), :rateGroup, "
            + ":version, :unit, :priceFen, :minimumFen, :rounding, :assistedSurchargeFen, cast(:timeBands as jsonb), "
            + "'draft', :effectiveFrom, :note, :now, :createdBy, :now)")
    void insert(UUID id, UUID instrumentId, @Nullable UUID serviceId, String rateGroup, int version, String unit,
                long priceFen, long minimumFen, int rounding, long assistedSurchargeFen, @Nullable String timeBands,
                LocalDate effectiveFrom, @Nullable String note, Instant now, UUID createdBy);

    /** Rewrites a draft's terms; the rows changed (0 when it is no longer a draft). */
    @Query("update fee_standard set unit = :unit, price_fen = :priceFen, minimum_fen = :minimumFen, rounding = :rounding, "
            + "assisted_surcharge_fen = :assistedSurchargeFen, time_bands = cast(:timeBands as jsonb), "
            + "effective_from = :effectiveFrom, note = :note, updated_at = :now where id = :id and status = 'draft'")
    long updateDraft(UUID id, String unit, long priceFen, long minimumFen, int rounding, long assistedSurchargeFen,
                     @Nullable String timeBands, LocalDate effectiveFrom, @Nullable String note, Instant now);

    /** Moves a card from {@code from} to {@code to}; the rows changed (0 when it was not in {@code from}). */
    @Query("update fee_standard set status = :to, updated_at = :now where id = :id and status = :from")
    long move(UUID id, String from, String to, Instant now);

    /** Files a committee-approved card with the authority's reference and its effective date; the rows changed. */
    @Query("update fee_standard set status = 'filed', filing_ref = :filingRef, effective_from = :effectiveFrom, "
            + "updated_at = :now where id = :id and status = 'committee_approved'")
    long file(UUID id, String filingRef, LocalDate effectiveFrom, Instant now);

    /** Marks a filed card as in effect (its published price set); the rows changed. */
    @Query("update fee_standard set activated_at = :now, updated_at = :now where id = :id and status = 'filed' "
            + "and activated_at is null")
    long activated(UUID id, Instant now);

    /** One card, locked for the rest of the transaction. */
    @Query("select " + COLUMNS + " from fee_standard where id = :id for update")
    Optional<Stored> lock(UUID id);

    @Query("select " + COLUMNS + " from fee_standard where id = :id")
    Optional<Stored> find(UUID id);

    /** The cards matching the filters (each null: any), newest first. */
    @Query("select " + COLUMNS + " from fee_standard where (cast(:instrumentId as uuid) is null or instrument_id = :instrumentId) "
            + "and (cast(:serviceId as uuid) is null or service_id = :serviceId) "
            + "and (cast(:rateGroup as text) is null or rate_group_code = :rateGroup) "
            + "and (cast(:status as text) is null or status = :status) "
            + "order by updated_at desc, id limit :limit offset :offset")
    List<Stored> page(@Nullable UUID instrumentId, @Nullable UUID serviceId, @Nullable String rateGroup,
                      @Nullable String status, int offset, int limit);

    @Query("select count(*) from fee_standard where (cast(:instrumentId as uuid) is null or instrument_id = :instrumentId) "
            + "and (cast(:serviceId as uuid) is null or service_id = :serviceId) "
            + "and (cast(:rateGroup as text) is null or rate_group_code = :rateGroup) "
            + "and (cast(:status as text) is null or status = :status)")
    long count(@Nullable UUID instrumentId, @Nullable UUID serviceId, @Nullable String rateGroup, @Nullable String status);

    /**
     * The card of a key in force on {@code day}: of the filed (or since superseded) ones whose effective date has
     * come, the latest effective date, then the highest version.
     */
    @Query("select " + COLUMNS + " from fee_standard where " + SAME_KEY + " and status in ('filed', 'superseded') "
            + "and effective_from <= :day order by effective_from desc, version desc limit 1")
    Optional<Stored> inForce(UUID instrumentId, @Nullable UUID serviceId, String rateGroup, LocalDate day);

    /** Filed cards whose day has come and which have not yet taken effect, oldest effective date first. */
    @Query("select id from fee_standard where status = 'filed' and activated_at is null and effective_from <= :day "
            + "order by effective_from, version limit :limit")
    List<UUID> due(LocalDate day, int limit);

    /** The filed cards of a key that an effective card supersedes (earlier effective date, other id). */
    @Query("select id from fee_standard where " + SAME_KEY + " and status = 'filed' and effective_from < :effectiveFrom "
            + "and id <> :id")
    List<UUID> supersededBy(UUID id, UUID instrumentId, @Nullable UUID serviceId, String rateGroup, LocalDate effectiveFrom);

    @Query("insert into fee_standard_step (tenant_id, fee_standard_id, seq, action, from_status, to_status, at, actor_id, note) "
            + "select app_tenant(), :id, coalesce(max(seq), 0) + 1, :action, :fromStatus, :toStatus, :at, "
            + "cast(:actorId as uuid), :note from fee_standard_step where fee_standard_id = :id")
    void step(UUID id, String action, @Nullable String fromStatus, String toStatus, Instant at, @Nullable UUID actorId,
              @Nullable String note);

    @Query("select seq, action, from_status, to_status, at, actor_id, note from fee_standard_step "
            + "where fee_standard_id = :id order by seq")
    List<StepRow> steps(UUID id);
}
