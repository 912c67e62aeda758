package org.labcommons.core.usage.policy;

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
import java.util.Optional;
import java.util.UUID;

/**
 * The store of instruments' thresholds and interlock policies ({@code usage_policy}, one row per instrument that
 * has one; a null column means the default). Runs inside the caller's tenant-bound transaction.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface UsagePolicyRows extends GenericRepository<UsagePolicyRows.Row, UUID> {

    /** A row of {@code usage_policy}. */
    @MappedEntity("usage_policy")
    record Row(@Id UUID instrumentId, @Nullable BigDecimal onWatts, @Nullable Integer onSustainS,
               @Nullable Integer offAfterS, @Nullable Integer mergeGapS, @Nullable Integer minSessionS,
               @Nullable Boolean walkUp, @Nullable String failMode, @Nullable Integer earlyGraceMin,
               @Nullable Integer endGraceMin, @Nullable Integer warnBeforeMin, long version, Instant updatedAt,
               @Nullable UUID updatedBy) {
    }

    @Query("select instrument_id, on_watts, on_sustain_s, off_after_s, merge_gap_s, min_session_s, walk_up, fail_mode, "
            + "early_grace_min, end_grace_min, warn_before_min, version, updated_at, updated_by from usage_policy "
            + "where instrument_id = :instrumentId")
    Optional<Row> find(UUID instrumentId);

    /** Whether the bound tenant has this instrument, locking its row against concurrent policy changes. */
    @Query("select 1 from instrument where id = :instrumentId for key share")
    Optional<Integer> instrumentExists(UUID instrumentId);

    /** Writes the instrument's policy (a new row at version 1, or the next version). */
    @Query("insert into usage_policy (tenant_id, instrument_id, on_watts, on_sustain_s, off_after_s, merge_gap_s, "
            + "min_session_s, walk_up, fail_mode, early_grace_min, end_grace_min, warn_before_min, version, updated_at, "
            + "updated_by) values (app_tenant(), :instrumentId, cast(:onWatts as numeric), cast(:onSustainS as integer), "
            + "cast(:offAfterS as integer), cast(:mergeGapS as integer), cast(:minSessionS as integer), "
            + "cast(:walkUp as boolean), cast(:failMode as text), cast(:earlyGraceMin as integer), "
            + "cast(:endGraceMin as integer), cast(:warnBeforeMin as integer), 1, :now, :by) "
            + "on conflict (tenant_id, instrument_id) do update set on_watts = excluded.on_watts, "
            + "on_sustain_s = excluded.on_sustain_s, off_after_s = excluded.off_after_s, merge_gap_s = excluded.merge_gap_s, "
            + "min_session_s = excluded.min_session_s, walk_up = excluded.walk_up, fail_mode = excluded.fail_mode, "
            + "early_grace_min = excluded.early_grace_min, end_grace_min = excluded.end_grace_min, "
            + "warn_before_min = excluded.warn_before_min, version = usage_policy.version + 1, "
            + "updated_at = excluded.updated_at, updated_by = excluded.updated_by")
    void upsert(UUID instrumentId, @Nullable BigDecimal onWatts, @Nullable Integer onSustainS, @Nullable Integer offAfterS,
                @Nullable Integer mergeGapS, @Nullable Integer minSessionS, @Nullable Boolean walkUp,
                @Nullable String failMode, @Nullable Integer earlyGraceMin, @Nullable Integer endGraceMin,
                @Nullable Integer warnBeforeMin, Instant now, UUID by);

    /** The instruments of the bound tenant that have a policy row. */
    @Query("select instrument_id from usage_policy")
    List<UUID> instrumentsWithPolicy();
}
