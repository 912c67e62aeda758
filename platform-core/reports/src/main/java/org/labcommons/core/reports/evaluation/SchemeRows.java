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
 * The store of evaluation schemes (V48 {@code evaluation_scheme}, {@code evaluation_group}, {@code evaluation_item}),
 * inside the caller's tenant-bound transaction (RLS limits every statement to the bound tenant). Rules travel as JSON
 * text; parsing is {@link EvaluationSchemes}'.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface SchemeRows extends GenericRepository<SchemeRows.Key, UUID> {
    String COLUMNS = "id, code, version, name_zh, name_en, subject_kind, min_value_fen, explain_below_hours, status, "
            + "note, created_at, created_by";

    @MappedEntity("evaluation_scheme")
    record Key(@Id UUID id) {
    }

    @Introspected
    record SchemeRow(UUID id, String code, int version, String nameZh, String nameEn, String subjectKind,
                     @Nullable Long minValueFen, @Nullable BigDecimal explainBelowHours, String status,
                     @Nullable String note, Instant createdAt, @Nullable UUID createdBy) {
    }

    @Introspected
    record GroupRow(int seq, String code, String nameZh, String nameEn, BigDecimal weight, BigDecimal cap) {
    }

    @Introspected
    record ItemRow(int groupSeq, int seq, String code, String nameZh, String nameEn, String input, String rule) {
    }

    @Query("select count(*) from evaluation_scheme")
    long countAll();

    @Query("select coalesce(max(version), 0) + 1 from evaluation_scheme where code = :code")
    int nextVersion(String code);

    @Query("insert into evaluation_scheme (tenant_id, id, code, version, name_zh, name_en, subject_kind, min_value_fen, "
            + "explain_below_hours, status, note, created_at, created_by) values (app_tenant(), :id, :code, :version, "
            + ":nameZh, :nameEn, :subjectKind, cast(:minValueFen as bigint), cast(:explainBelowHours as numeric), "
            + "'active', :note, :now, cast(:createdBy as uuid))")
    void insert(UUID id, String code, int version, String nameZh, String nameEn, String subjectKind,
                @Nullable Long minValueFen, @Nullable BigDecimal explainBelowHours, @Nullable String note, Instant now,
                @Nullable UUID createdBy);

    @Query("insert into evaluation_group (tenant_id, scheme_id, seq, code, name_zh, name_en, weight, cap) values "
            + "(app_tenant(), :schemeId, :seq, :code, :nameZh, :nameEn, :weight, :cap)")
    void insertGroup(UUID schemeId, int seq, String code, String nameZh, String nameEn, BigDecimal weight,
                     BigDecimal cap);

    @Query("insert into evaluation_item (tenant_id, scheme_id, group_seq, seq, code, name_zh, name_en, input, kind, rule) "
            + "values (app_tenant(), :schemeId, :groupSeq, :seq, :code, :nameZh, :nameEn, :input, :kind, "
            + "cast(:rule as jsonb))")
    void insertItem(UUID schemeId, int groupSeq, int seq, String code, String nameZh, String nameEn, String input,
                    String kind, String rule);

    /** Retires the active version of a code (before its successor is inserted); the rows changed. */
    @Query("update evaluation_scheme set status = 'retired' where code = :code and status = 'active'")
    long retireActive(String code);

    @Query("select " + COLUMNS + " from evaluation_scheme where id = :id")
    Optional<SchemeRow> find(UUID id);

    @Query("select " + COLUMNS + " from evaluation_scheme where code = :code and status = 'active'")
    Optional<SchemeRow> active(String code);

    /** Schemes (a status or any), by code then newest version first. */
    @Query("select " + COLUMNS + " from evaluation_scheme where (cast(:status as text) is null or status = :status) "
            + "order by code, version desc limit :limit offset :offset")
    List<SchemeRow> page(@Nullable String status, int offset, int limit);

    @Query("select count(*) from evaluation_scheme where (cast(:status as text) is null or status = :status)")
    long count(@Nullable String status);

    @Query("select seq, code, name_zh, name_en, weight, cap from evaluation_group where scheme_id = :schemeId order by seq")
    List<GroupRow> groups(UUID schemeId);

    @Query("select group_seq, seq, code, name_zh, name_en, input, cast(rule as text) as rule from evaluation_item "
            + "where scheme_id = :schemeId order by group_seq, seq")
    List<ItemRow> items(UUID schemeId);
}
