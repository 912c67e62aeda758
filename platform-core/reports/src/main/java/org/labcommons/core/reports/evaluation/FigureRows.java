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
 * Figures staff enter (V49 {@code evaluation_figure}, append-only) and explanation tasks ({@code
 * evaluation_explanation}), inside the caller's tenant-bound transaction.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface FigureRows extends GenericRepository<FigureRows.Key, UUID> {
    String TASK_COLUMNS = "id, instrument_id, scheme_code, year, run_id, effective_hours, below_hours, status, "
            + "explanation, submitted_by, submitted_at, created_at";

    @MappedEntity("evaluation_figure")
    record Key(@Id UUID id) {
    }

    @Introspected
    record FigureRow(UUID id, UUID instrumentId, int year, String figure, BigDecimal value, String reason,
                     UUID enteredBy, Instant enteredAt) {
    }

    @Introspected
    record TaskRow(UUID id, UUID instrumentId, String schemeCode, int year, UUID runId, BigDecimal effectiveHours,
                   BigDecimal belowHours, String status, @Nullable String explanation, @Nullable UUID submittedBy,
                   @Nullable Instant submittedAt, Instant createdAt) {
    }

    @Query("insert into evaluation_figure (tenant_id, id, instrument_id, year, figure, value, reason, entered_by, "
            + "entered_at) values (app_tenant(), :id, :instrumentId, :year, :figure, :value, :reason, :enteredBy, :now)")
    void insert(UUID id, UUID instrumentId, int year, String figure, BigDecimal value, String reason, UUID enteredBy,
                Instant now);

    /** The figures in force for an instrument and year: the latest entry of each figure. */
    @Query("select distinct on (figure) id, instrument_id, year, figure, value, reason, entered_by, entered_at "
            + "from evaluation_figure where instrument_id = :instrumentId and year = :year "
            + "order by figure, entered_at desc, id")
    List<FigureRow> current(UUID instrumentId, int year);

    /** Every entry for an instrument and year, newest first (the history). */
    @Query("select id, instrument_id, year, figure, value, reason, entered_by, entered_at from evaluation_figure "
            + "where instrument_id = :instrumentId and year = :year order by entered_at desc, id")
    List<FigureRow> history(UUID instrumentId, int year);

    /** A task for an instrument below the hours; nothing when it already has one for the code and year. */
    @Query("insert into evaluation_explanation (tenant_id, id, instrument_id, scheme_code, year, run_id, effective_hours, "
            + "below_hours, status, created_at) values (app_tenant(), :id, :instrumentId, :code, :year, :runId, "
            + ":effectiveHours, :belowHours, 'open', :now) on conflict (tenant_id, instrument_id, scheme_code, year) "
            + "do nothing")
    long openTask(UUID id, UUID instrumentId, String code, int year, UUID runId, BigDecimal effectiveHours,
                  BigDecimal belowHours, Instant now);

    @Query("select " + TASK_COLUMNS + " from evaluation_explanation where (cast(:year as integer) is null or year = :year) "
            + "and (cast(:status as text) is null or status = :status) order by year desc, status, created_at, id")
    List<TaskRow> tasks(@Nullable Integer year, @Nullable String status);

    @Query("select " + TASK_COLUMNS + " from evaluation_explanation where id = :id")
    Optional<TaskRow> task(UUID id);

    @Query("update evaluation_explanation set status = 'submitted', explanation = :text, submitted_by = :by, "
            + "submitted_at = :now where id = :id")
    long submit(UUID id, String text, UUID by, Instant now);
}
