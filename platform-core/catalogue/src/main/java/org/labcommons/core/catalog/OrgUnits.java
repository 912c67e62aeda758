package org.labcommons.core.catalog;

import jakarta.inject.Singleton;
import org.labcommons.core.org.OrgUnitRow;
import org.labcommons.core.org.OrgUnitRows;
import org.labcommons.core.security.Scope;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.util.List;
import java.util.UUID;

/**
 * The org-unit facts the catalogue needs, read through the kernel's store ({@link OrgUnitRows}): a
 * unit and the units above it for access checks, and the bound tenant's units for validation,
 * import and export.
 */
@Singleton
public record OrgUnits(TenantTransactions tenants, OrgUnitRows rows) {
    /** {@code unit} followed by its ancestors, nearest first; empty when the unit is not in the tenant. */
    public List<UUID> chain(TenantId tenant, UUID unit) {
        return tenants.inTenant(tenant, c -> rows.chain(unit));
    }

    /** Every unit of the tenant bound to the transaction in progress, by code. */
    public List<OrgUnitRow> ofBoundTenant() {
        return rows.page(null, null, 0, Integer.MAX_VALUE);
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
