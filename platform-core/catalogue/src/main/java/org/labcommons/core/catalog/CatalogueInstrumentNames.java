package org.labcommons.core.catalog;

import jakarta.inject.Singleton;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;
import org.labcommons.core.web.InstrumentNames;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** The kernel's {@link InstrumentNames} from the catalogue: the asset number and the name in the language asked. */
@Singleton
public record CatalogueInstrumentNames(TenantTransactions tenants, InstrumentRows rows) implements InstrumentNames {

    @Override
    public Map<UUID, String> names(TenantId tenant, Collection<UUID> ids, boolean zh) {
        Map<UUID, String> out = new LinkedHashMap<>();
        if (!ids.isEmpty()) {
            tenants.inTenant(tenant, c -> rows.namesById(ids)).forEach((id, n) -> out.put(id, zh ? n[0] : n[1]));
        }
        return out;
    }
}
