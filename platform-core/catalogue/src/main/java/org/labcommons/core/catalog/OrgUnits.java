package org.labcommons.core.catalog;

import jakarta.inject.Singleton;
import org.labcommons.core.org.OrgUnitService;
import org.labcommons.core.security.Scope;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.util.List;
import java.util.UUID;

/** The org-unit facts the catalogue's access checks need: a unit and the units above it. */
@Singleton
public class OrgUnits {
    private final TenantTransactions tenants;

    public OrgUnits(TenantTransactions tenants) {
        this.tenants = tenants;
    }

    /** {@code unit} followed by its ancestors, nearest first; empty when the unit is not in the tenant. */
    public List<UUID> chain(TenantId tenant, UUID unit) {
        return tenants.inTenant(tenant, c -> OrgUnitService.chain(c, unit));
    }

    /** The access scope of a unit (with its ancestors). An unknown unit gets a scope no unit role covers. */
    public Scope scopeOf(TenantId tenant, UUID unit) {
        List<UUID> chain = chain(tenant, unit);
        if (chain.isEmpty()) {
            return Scope.orgUnit(tenant, unit);
        }
        return Scope.orgUnit(tenant, unit, chain.subList(1, chain.size()).toArray(UUID[]::new));
    }
}
