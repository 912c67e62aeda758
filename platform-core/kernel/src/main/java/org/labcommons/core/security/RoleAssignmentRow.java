package org.labcommons.core.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import org.labcommons.core.tenancy.TenantId;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code role_assignment}; {@code scopeId} is null exactly for the tenant scope. */
@MappedEntity("role_assignment")
public record RoleAssignmentRow(UUID tenantId, @Id UUID id, UUID userId, String role, String scopeType,
                                @Nullable UUID scopeId, Instant grantedAt, @Nullable UUID grantedBy) {

    /** The assignment as the access checks use it. */
    public RoleAssignment toAssignment() {
        return new RoleAssignment(new TenantId(tenantId), id, userId, Role.fromId(role).orElseThrow(),
                ScopeType.fromId(scopeType).orElseThrow(), scopeId, grantedAt, grantedBy);
    }
}
