package org.labcommons.core.security;

import io.micronaut.core.annotation.Nullable;
import org.labcommons.core.tenancy.TenantId;

import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * What an action is done on: a tenant, an org unit or an instrument of one tenant. {@code within}
 * is the relation the caller knows and passes: the org units that contain this unit or instrument
 * (its owning unit and that unit's ancestors). A role held on one of them covers this scope.
 */
public record Scope(TenantId tenant, ScopeType type, @Nullable UUID id, Set<UUID> within) {
    public Scope {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(type, "type");
        if ((type == ScopeType.TENANT) != (id == null)) {
            throw new IllegalArgumentException("a tenant scope has no id; any other scope needs one");
        }
        within = Set.copyOf(within);
    }

    public static Scope tenant(TenantId tenant) {
        return new Scope(tenant, ScopeType.TENANT, null, Set.of());
    }

    /** An org unit, with the units that contain it (its ancestors). */
    public static Scope orgUnit(TenantId tenant, UUID unit, UUID... ancestors) {
        return new Scope(tenant, ScopeType.ORG_UNIT, unit, Set.of(ancestors));
    }

    /** An instrument, with the org units it belongs to (owning unit and its ancestors). */
    public static Scope instrument(TenantId tenant, UUID instrument, UUID... units) {
        return new Scope(tenant, ScopeType.INSTRUMENT, instrument, Set.of(units));
    }
}
