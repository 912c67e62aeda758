package org.labcommons.core.org;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code org_unit}. The key is (tenant_id, id); {@code id} alone serves as the
 * repository's id because every statement runs under the tenant's RLS policy, which adds the
 * tenant. {@code createdAt} is the database's {@code now()} (left out of inserts).
 */
@MappedEntity("org_unit")
public record OrgUnitRow(UUID tenantId, @Id UUID id, @Nullable UUID parentId, String kind, String code,
                         String nameZh, String nameEn, @Nullable Integer platformLevel,
                         @Nullable String managementMode, @Nullable @GeneratedValue Instant createdAt) {

    /** The unit as the API shows it. */
    public OrgUnit toOrgUnit() {
        return new OrgUnit(id, parentId, kind, code, nameZh, nameEn, platformLevel, managementMode, createdAt);
    }
}
