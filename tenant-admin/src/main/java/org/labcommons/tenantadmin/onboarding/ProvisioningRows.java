package org.labcommons.tenantadmin.onboarding;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.UUID;

/**
 * The store of what a new institution starts with: default org units, its identity-provider
 * registration and default rate groups. Runs in the new tenant's transaction ({@code tenantId}
 * must be the bound tenant: the policies refuse any other). Every insert skips a row a previous
 * attempt made (fixed ids), and answers 1 for a row inserted, 0 for one that was there.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ProvisioningRows extends GenericRepository<ProvisioningRows.RateGroup, UUID> {

    /** The key of a {@code rate_group} row. */
    @MappedEntity("rate_group")
    record RateGroup(@Id UUID id) {
    }

    @Query("insert into org_unit (tenant_id, id, kind, code, name_zh, name_en, platform_level, management_mode) "
            + "values (:tenantId, :id, :kind, :code, :nameZh, :nameEn, cast(:platformLevel as integer), "
            + ":managementMode) on conflict do nothing")
    int orgUnit(UUID tenantId, UUID id, String kind, String code, String nameZh, String nameEn,
                @Nullable Integer platformLevel, @Nullable String managementMode);

    @Query("insert into trusted_issuer (tenant_id, id, issuer, audience, client_id, name_claim, email_claim) "
            + "values (:tenantId, :id, :issuer, :audience, :clientId, :nameClaim, :emailClaim) on conflict do nothing")
    int trustedIssuer(UUID tenantId, UUID id, String issuer, String audience, @Nullable String clientId,
                      @Nullable String nameClaim, @Nullable String emailClaim);

    @Query("insert into rate_group (tenant_id, id, code, name_zh, name_en) "
            + "values (:tenantId, :id, :code, :nameZh, :nameEn) on conflict do nothing")
    int rateGroup(UUID tenantId, UUID id, String code, String nameZh, String nameEn);
}
