package org.labcommons.core.billing.interinst;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The store of disbursement shares, runs and lines ({@code disbursement_share}, {@code _run}, {@code _line}, V43). */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface DisbursementRows extends GenericRepository<DisbursementRows.Key, UUID> {

    /** The key of a row. */
    @MappedEntity("disbursement_run")
    record Key(@Id UUID id) {
    }

    /** A configured split (unit null: the institution's default), basis points summing to 10,000. */
    @Introspected
    @Serdeable
    record DisbursementShare(@Nullable UUID unitId, int labBp, int departmentBp, int institutionBp, @Nullable UUID updatedBy,
                    Instant updatedAt) {
    }

    /** A run of a quarter. */
    @Introspected
    @Serdeable
    record DisbursementRun(UUID id, String quarter, long totalFen, int labs, @Nullable UUID startedBy, Instant createdAt) {
    }

    /** What a run disbursed for one lab. */
    @Introspected
    @Serdeable
    record DisbursementLine(UUID unitId, @Nullable UUID departmentId, long revenueFen, int labBp, int departmentBp, int institutionBp,
                   long labFen, long departmentFen, long institutionFen, UUID transactionId) {
    }

    @Query("select unit_id, lab_bp, department_bp, institution_bp, updated_by, updated_at from disbursement_share "
            + "order by unit_id nulls first")
    List<DisbursementShare> shares();

    @Query("insert into disbursement_share (tenant_id, id, unit_id, lab_bp, department_bp, institution_bp, updated_by) "
            + "values (app_tenant(), :id, :unitId, :labBp, :departmentBp, :institutionBp, :by) "
            + "on conflict (tenant_id, coalesce(unit_id, '00000000-0000-0000-0000-000000000000'::uuid)) do update set "
            + "lab_bp = excluded.lab_bp, department_bp = excluded.department_bp, institution_bp = excluded.institution_bp, "
            + "updated_by = excluded.updated_by, updated_at = now()")
    long upsertShare(UUID id, @Nullable UUID unitId, int labBp, int departmentBp, int institutionBp, @Nullable UUID by);

    @Query("select id, quarter, total_fen, labs, started_by, created_at from disbursement_run where quarter = :quarter")
    Optional<DisbursementRun> runOf(String quarter);

    @Query("select id, quarter, total_fen, labs, started_by, created_at from disbursement_run where id = :id")
    Optional<DisbursementRun> run(UUID id);

    @Query("select id, quarter, total_fen, labs, started_by, created_at from disbursement_run order by quarter desc "
            + "limit :limit offset :offset")
    List<DisbursementRun> runs(int limit, long offset);

    @Query("select count(*) from disbursement_run")
    long countRuns();

    @Query("insert into disbursement_run (tenant_id, id, quarter, total_fen, labs, started_by) values (app_tenant(), :id, "
            + ":quarter, :totalFen, :labs, :startedBy) on conflict (tenant_id, quarter) do nothing")
    long insertRun(UUID id, String quarter, long totalFen, int labs, @Nullable UUID startedBy);

    @Query("insert into disbursement_line (tenant_id, run_id, unit_id, department_id, revenue_fen, lab_bp, department_bp, "
            + "institution_bp, lab_fen, department_fen, institution_fen, transaction_id) values (app_tenant(), :runId, :unitId, "
            + ":departmentId, :revenueFen, :labBp, :departmentBp, :institutionBp, :labFen, :departmentFen, :institutionFen, "
            + ":transactionId)")
    long insertLine(UUID runId, UUID unitId, @Nullable UUID departmentId, long revenueFen, int labBp, int departmentBp,
                    int institutionBp, long labFen, long departmentFen, long institutionFen, UUID transactionId);

    @Query("select unit_id, department_id, revenue_fen, lab_bp, department_bp, institution_bp, lab_fen, department_fen, "
            + "institution_fen, transaction_id from disbursement_line where run_id = :runId order by unit_id")
    List<DisbursementLine> lines(UUID runId);
}
