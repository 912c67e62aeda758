package org.labcommons.core.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import org.labcommons.core.tenancy.TenantId;

import java.time.Instant;
import java.util.UUID;

/** One role a user holds in a tenant, on the tenant as a whole or on one org unit or instrument. */
@Serdeable
public record RoleAssignment(TenantId tenant, UUID id, UUID userId, Role role, ScopeType scopeType,
                             @Nullable UUID scopeId, Instant grantedAt, @Nullable UUID grantedBy) {

    /** Whether this assignment reaches {@code scope}: same tenant, and the scope is or lies inside its own. */
    public boolean covers(Scope scope) {
        if (!tenant.equals(scope.tenant())) {
            return false;
        }
        return switch (scopeType) {
            case TENANT -> true;
            case ORG_UNIT -> scope.type() != ScopeType.TENANT
                    && ((scope.type() == ScopeType.ORG_UNIT && scopeId.equals(scope.id())) || scope.within().contains(scopeId));
            case INSTRUMENT -> scope.type() == ScopeType.INSTRUMENT && scopeId.equals(scope.id());
        };
    }
}
