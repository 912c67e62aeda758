package org.labcommons.core.demo;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.UUID;

/**
 * The demo data's own statements: each inserts a row unless it is there already, so loading twice
 * changes nothing. Tenants are global (no tenant bound); issuers and org units are inserted inside
 * their tenant's transaction, naming the bound tenant (the policies refuse any other). Rate groups,
 * accounts, roles and instruments go through their own stores and services.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface DemoRows extends GenericRepository<DemoRows.TenantRow, UUID> {

    /** The columns of a {@code tenant} row the demo writes. */
    @MappedEntity("tenant")
    record TenantRow(@Id UUID id, String slug, String kind, String nameZh, String nameEn, @Nullable UUID parentId,
                     @Nullable String regionCode) {
    }

    @Query("insert into tenant (id, slug, kind, name_zh, name_en, parent_id, region_code) "
            + "values (:id, :slug, :kind, :nameZh, :nameEn, :parentId, :regionCode) on conflict (id) do nothing")
    long addTenant(UUID id, String slug, String kind, String nameZh, String nameEn, @Nullable UUID parentId,
                   @Nullable String regionCode);

    @Query("insert into trusted_issuer (tenant_id, id, issuer, audience) values (:tenantId, :id, :issuer, 'labcommons') "
            + "on conflict (tenant_id, issuer) do nothing")
    long trustIssuer(UUID tenantId, UUID id, String issuer);

    @Query("insert into org_unit (tenant_id, id, kind, code, name_zh, name_en, platform_level, management_mode) "
            + "values (:tenantId, :id, :kind, :code, :nameZh, :nameEn, :platformLevel, :managementMode) "
            + "on conflict do nothing")
    long addUnit(UUID tenantId, UUID id, String kind, String code, String nameZh, String nameEn,
                 @Nullable Integer platformLevel, @Nullable String managementMode);
}
