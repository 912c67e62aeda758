package org.labcommons.core.reports.evaluation;

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
import java.util.Optional;
import java.util.UUID;

/**
 * The store of evaluation runs and their scores (V49 {@code evaluation_run}, {@code evaluation_score}), inside the
 * caller's tenant-bound transaction. Score cards and inputs travel as JSON text.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface RunRows extends GenericRepository<RunRows.Key, UUID> {
    String COLUMNS = "r.id, r.scheme_id, r.scheme_code, s.version as scheme_version, r.year, r.version, r.status, "
            + "r.previous_run_id, r.covered, r.scored, r.mean_hours, r.sd_hours, r.mean_score, r.sd_score, "
            + "r.min_value_fen, r.fingerprint, r.computed_at, r.started_by, r.published_at, r.published_by";
    String FROM = " from evaluation_run r join evaluation_scheme s on s.tenant_id = r.tenant_id and s.id = r.scheme_id ";

    @MappedEntity("evaluation_run")
    record Key(@Id UUID id) {
    }

    @Introspected
    record RunRow(UUID id, UUID schemeId, String schemeCode, int schemeVersion, int year, int version, String status,
                  @Nullable UUID previousRunId, int covered, int scored, @Nullable BigDecimal meanHours,
                  @Nullable BigDecimal sdHours, @Nullable BigDecimal meanScore, @Nullable BigDecimal sdScore,
                  long minValueFen, String fingerprint, Instant computedAt, @Nullable UUID startedBy,
                  @Nullable Instant publishedAt, @Nullable UUID publishedBy) {
    }

    @Introspected
    record ScoreRow(UUID instrumentId, String assetNumber, String nameZh, String nameEn, long valueFen,
                    @Nullable BigDecimal effectiveHours, @Nullable BigDecimal total, @Nullable Integer rank, String card,
                    String inputs) {
    }

    @Query("select " + COLUMNS + FROM + "where r.id = :id")
    Optional<RunRow> find(UUID id);

    @Query("select id from evaluation_run where id = :id for update")
    Optional<UUID> lock(UUID id);

    @Query("select " + COLUMNS + FROM + "where r.scheme_code = :code and r.year = :year and r.status = 'draft'")
    Optional<RunRow> draft(String code, int year);

    /** The newest run of a code and year (any status). */
    @Query("select " + COLUMNS + FROM + "where r.scheme_code = :code and r.year = :year order by r.version desc limit 1")
    Optional<RunRow> latest(String code, int year);

    @Query("select " + COLUMNS + FROM + "where (cast(:year as integer) is null or r.year = :year) "
            + "and (cast(:code as text) is null or r.scheme_code = :code) "
            + "order by r.year desc, r.scheme_code, r.version desc limit :limit offset :offset")
    List<RunRow> page(@Nullable Integer year, @Nullable String code, int offset, int limit);

    @Query("select count(*) from evaluation_run r where (cast(:year as integer) is null or r.year = :year) "
            + "and (cast(:code as text) is null or r.scheme_code = :code)")
    long count(@Nullable Integer year, @Nullable String code);

    @Query("insert into evaluation_run (tenant_id, id, scheme_id, scheme_code, year, version, status, previous_run_id, "
            + "covered, scored, mean_hours, sd_hours, mean_score, sd_score, min_value_fen, fingerprint, computed_at, "
            + "started_by) values (app_tenant(), :id, :schemeId, :code, :year, :version, 'draft', "
            + "cast(:previousRunId as uuid), :covered, :scored, cast(:meanHours as numeric), cast(:sdHours as numeric), "
            + "cast(:meanScore as numeric), cast(:sdScore as numeric), :minValueFen, :fingerprint, :now, :startedBy)")
    void insert(UUID id, UUID schemeId, String code, int year, int version, @Nullable UUID previousRunId, int covered,
                int scored, @Nullable BigDecimal meanHours, @Nullable BigDecimal sdHours, @Nullable BigDecimal meanScore,
                @Nullable BigDecimal sdScore, long minValueFen, String fingerprint, Instant now, UUID startedBy);

    /** Rewrites a draft's figures after a recomputation; the rows changed (0 when it is no longer a draft). */
    @Query("update evaluation_run set scheme_id = :schemeId, covered = :covered, scored = :scored, "
            + "mean_hours = cast(:meanHours as numeric), sd_hours = cast(:sdHours as numeric), "
            + "mean_score = cast(:meanScore as numeric), sd_score = cast(:sdScore as numeric), "
            + "min_value_fen = :minValueFen, fingerprint = :fingerprint, computed_at = :now, started_by = :startedBy "
            + "where id = :id and status = 'draft'")
    long recomputed(UUID id, UUID schemeId, int covered, int scored, @Nullable BigDecimal meanHours,
                    @Nullable BigDecimal sdHours, @Nullable BigDecimal meanScore, @Nullable BigDecimal sdScore,
                    long minValueFen, String fingerprint, Instant now, UUID startedBy);

    @Query("select coalesce(max(version), 0) + 1 from evaluation_run where scheme_code = :code and year = :year")
    int nextVersion(String code, int year);

    @Query("update evaluation_run set status = 'published', published_at = :now, published_by = :by "
            + "where id = :id and status = 'draft'")
    long publish(UUID id, Instant now, UUID by);

    /** The other published runs of the code and year become superseded; their ids. */
    @Query("update evaluation_run set status = 'superseded' where scheme_code = :code and year = :year "
            + "and status = 'published' and id <> :id returning id")
    List<UUID> supersedeOthers(UUID id, String code, int year);

    @Query("delete from evaluation_score where run_id = :runId")
    void deleteScores(UUID runId);

    @Query("insert into evaluation_score (tenant_id, run_id, instrument_id, asset_number, name_zh, name_en, value_fen, "
            + "effective_hours, total, rank, card, inputs) values (app_tenant(), :runId, :instrumentId, :assetNumber, "
            + ":nameZh, :nameEn, :valueFen, cast(:effectiveHours as numeric), cast(:total as numeric), "
            + "cast(:rank as integer), cast(:card as jsonb), cast(:inputs as jsonb))")
    void insertScore(UUID runId, UUID instrumentId, String assetNumber, String nameZh, String nameEn, long valueFen,
                     @Nullable BigDecimal effectiveHours, @Nullable BigDecimal total, @Nullable Integer rank, String card,
                     String inputs);

    /** A run's scores: ranked first (best first), then the not available ones by asset number. */
    @Query("select instrument_id, asset_number, name_zh, name_en, value_fen, effective_hours, total, rank, "
            + "cast(card as text) as card, cast(inputs as text) as inputs from evaluation_score where run_id = :runId "
            + "order by rank nulls last, asset_number, instrument_id")
    List<ScoreRow> scores(UUID runId);
}
