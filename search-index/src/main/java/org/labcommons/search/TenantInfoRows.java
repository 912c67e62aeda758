package org.labcommons.search;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;
import java.util.UUID;

/**
 * The store of what search reads from the global tenant registry ({@code tenant}: no row level
 * security, read without a tenant bound).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface TenantInfoRows extends GenericRepository<TenantInfoRows.Row, UUID> {

    /** The columns of a {@code tenant} row that search shows and filters on. */
    @MappedEntity("tenant")
    record Row(@Id UUID id, String slug, String kind, String nameZh, String nameEn, @Nullable UUID parentId,
               @Nullable String regionCode, String status) {
    }

    /** Every tenant, whatever its status. */
    @Query("select id, slug, kind, name_zh, name_en, parent_id, region_code, status from tenant")
    List<Row> all();
}
