package org.labcommons.core.org;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The store of org units. Call it inside {@code TenantTransactions.inTenant}: it joins that
 * transaction's connection, so the RLS policy on {@code org_unit} limits every statement to the
 * bound tenant (with no tenant bound it reads nothing and writes nothing).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface OrgUnitRows extends GenericRepository<OrgUnitRow, UUID> {

    Optional<OrgUnitRow> findById(UUID id);

    boolean existsById(UUID id);

    boolean existsByCode(String code);

    /** Inserts a unit (its {@code tenantId} must be the bound tenant: the policy refuses any other). */
    OrgUnitRow save(OrgUnitRow row);

    /** Changes everything but the key and the creation time; the count of rows changed. */
    long update(@Id UUID id, @Nullable UUID parentId, String kind, String code, String nameZh, String nameEn,
                @Nullable Integer platformLevel, @Nullable String managementMode);

    /** A page of units ordered by code; {@code kind} and {@code parentId} filter when given. */
    @Query("select * from org_unit where (cast(:kind as text) is null or kind = :kind) "
            + "and (cast(:parentId as uuid) is null or parent_id = :parentId) "
            + "order by code limit :limit offset :offset")
    List<OrgUnitRow> page(@Nullable String kind, @Nullable UUID parentId, int offset, int limit);

    /** {@code unit} and its ancestors, nearest first (at most 64 levels); empty when there is no such unit. */
    @Query("with recursive up(id, parent_id, depth) as ("
            + "select id, parent_id, 0 from org_unit where id = :unit union all "
            + "select o.id, o.parent_id, up.depth + 1 from org_unit o join up on o.id = up.parent_id "
            + "where up.depth < 64) select id from up order by depth")
    List<UUID> chain(UUID unit);
}
