package org.labcommons.iot.interlock;

import jakarta.inject.Singleton;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link InstrumentControllers} from the device registry: each tenant's attached devices, read in that tenant's
 * transaction at most every {@link #MAX_AGE} and kept in memory; when the database cannot be read the last known
 * mapping is used, so warn/lock and caches go on while PostgreSQL is down.
 */
@Singleton
public class DeviceDirectoryControllers implements InstrumentControllers {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceDirectoryControllers.class);
    static final Duration MAX_AGE = Duration.ofSeconds(60);

    private final InterlockDeviceRows rows;
    private final TenantTransactions tenants;
    private final Map<UUID, Known> byTenant = new ConcurrentHashMap<>();

    private record Known(Map<UUID, List<Controller>> byInstrument, long readAt) {
    }

    public DeviceDirectoryControllers(InterlockDeviceRows rows, TenantTransactions tenants) {
        this.rows = rows;
        this.tenants = tenants;
    }

    @Override
    public List<Controller> of(UUID tenantId, UUID instrumentId) {
        Known known = byTenant.get(tenantId);
        long now = System.nanoTime();
        if (known == null || now - known.readAt() > MAX_AGE.toNanos()) {
            try {
                Map<UUID, List<Controller>> map = new ConcurrentHashMap<>();
                tenants.inTenant(new TenantId(tenantId), c -> {
                    for (InterlockDeviceRows.Attached a : rows.attached()) {
                        map.computeIfAbsent(a.instrumentId(), k -> new ArrayList<>()).add(new Controller(a.id(), a.kind()));
                    }
                    return null;
                });
                known = new Known(map, now);
                byTenant.put(tenantId, known);
            } catch (RuntimeException e) {
                LOG.debug("devices of tenant {} not read (keeping the last known): {}", tenantId, e.toString());
                if (known == null) {
                    return List.of();
                }
            }
        }
        return known.byInstrument().getOrDefault(instrumentId, List.of());
    }

    /** Reads the tenant again on the next question (a device was attached or revoked in this process). */
    public void forget(UUID tenantId) {
        byTenant.remove(tenantId);
    }
}
