package org.labcommons.core.directory;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The store of the tenant registry ({@code tenant}: global, no RLS, read without a tenant bound)
 * and of the per-tenant figures the directory shows (read inside that tenant's transaction).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface TenantRows extends GenericRepository<TenantRows.Row, UUID> {

    /** The columns of a {@code tenant} row the directory reads. */
    @MappedEntity("tenant")
    record Row(@Id UUID id, String slug, String kind, String nameZh, String nameEn, @Nullable UUID parentId,
               String status, String timeZone) {
    }

    /** Active tenants: the consortium, then networks, then institutions, each by slug. */
    @Query("select id, slug, kind, name_zh, name_en, parent_id, status, time_zone from tenant where status = 'active' "
            + "order by case kind when 'consortium' then 0 when 'network' then 1 else 2 end, slug")
    List<Row> active();

    /** The ids of the active institutions, in id order (the global registry: scheduled sweeps visit each in turn). */
    @Query("select id from tenant where status = 'active' and kind = 'institution' order by id")
    List<UUID> activeInstitutions();

    /** The active tenant whose id (as text) or slug is {@code idOrSlug}. */
    @Query("select id, slug, kind, name_zh, name_en, parent_id, status, time_zone from tenant "
            + "where (id::text = :idOrSlug or slug = :idOrSlug) and status = 'active'")
    Optional<Row> activeByIdOrSlug(String idOrSlug);

    /** The tenant, whatever its status. */
    Optional<Row> findById(UUID id);

    /** The id of the tenant with this slug and status. */
    Optional<UUID> findIdBySlugAndStatus(String slug, String status);
}
