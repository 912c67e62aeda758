package org.labcommons.core.catalog;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;
import java.util.UUID;

/**
 * The store of a tenant's rate groups ({@code rate_group}, V8). Runs inside the tenant's
 * transaction: the RLS policy keeps it to the bound tenant.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface RateGroupRows extends GenericRepository<RateGroupRows.Row, UUID> {

    /** The columns of a {@code rate_group} row the catalogue reads. */
    @MappedEntity("rate_group")
    record Row(@Id UUID id, String code, String nameZh, String nameEn) {
    }

    /** The bound tenant's groups: internal, consortium, external first, any others after them by code. */
    @Query("select id, code, name_zh, name_en from rate_group order by case code when 'internal' then 0 "
            + "when 'consortium' then 1 when 'external' then 2 else 3 end, code")
    List<Row> ordered();

    /** Adds a group unless its id or code is taken; 1 when added. {@code tenantId} must be the bound tenant. */
    @Query("insert into rate_group (tenant_id, id, code, name_zh, name_en) values (:tenantId, :id, :code, :nameZh, "
            + ":nameEn) on conflict do nothing")
    long addIfAbsent(UUID tenantId, UUID id, String code, String nameZh, String nameEn);

    /** The bound tenant's group codes, in {@link #ordered()}'s order. */
    default List<String> codes() {
        return ordered().stream().map(Row::code).toList();
    }
}
