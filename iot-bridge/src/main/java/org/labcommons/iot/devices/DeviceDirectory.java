package org.labcommons.iot.devices;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the broker's access decision and the bridge ask about devices, across tenants: a device's
 * credential (through the reviewed {@code device_credential}, kept for
 * {@code labcommons.iot.devices.credential-cache-ttl}, at most 5 s), the devices revoked or rotated
 * since a time (the revocation sweep), and the bridge's coalesced status writes (in each tenant's
 * own transaction, so RLS checks them). Not role-restricted: pages of other roles use it too.
 */
@Singleton
public class DeviceDirectory {
    private static final Duration MAX_TTL = Duration.ofSeconds(5);
    private static final int MAX_CACHED = 100_000;

    private final DeviceRows rows;
    private final TenantTransactions tenants;
    private final JsonMapper json;
    private final long ttlNanos;
    private final Map<UUID, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Optional<DeviceCredential> credential, long expiresAt) {
    }

    public DeviceDirectory(DeviceRows rows, TenantTransactions tenants, JsonMapper json, DeviceSettings settings) {
        this.rows = rows;
        this.tenants = tenants;
        this.json = json;
        Duration ttl = settings.getCredentialCacheTtl();
        this.ttlNanos = (ttl == null || ttl.isNegative() ? Duration.ZERO
                : ttl.compareTo(MAX_TTL) > 0 ? MAX_TTL : ttl).toNanos();
    }

    /** The device with this id, whatever its tenant; empty for an unknown id. */
    public Optional<DeviceCredential> credential(UUID deviceId) {
        long now = System.nanoTime();
        Cached cached = cache.get(deviceId);
        if (cached != null && now - cached.expiresAt() < 0) {
            return cached.credential();
        }
        Optional<DeviceCredential> found = rows.credential(deviceId).map(c -> new DeviceCredential(c.deviceId(),
                c.tenantId(), DeviceKind.of(c.kind()).orElseThrow(), c.secretHash(), c.publicKey(), c.revoked()));
        if (ttlNanos > 0) {
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
            cache.put(deviceId, new Cached(found, now + ttlNanos));
        }
        return found;
    }

    /** Forgets what is cached of a device (its secret, key or revocation changed in this process). */
    public void forget(UUID deviceId) {
        cache.remove(deviceId);
    }

    /** Devices revoked, or whose secret was rotated, at or after {@code since}, of every tenant. */
    public List<UUID> revokedSince(Instant since) {
        return rows.revokedSince(since);
    }

    /**
     * Writes the bridge's coalesced status: one statement per tenant, in that tenant's transaction.
     * Several entries of one device in the batch are merged (latest sequence wins, counts add up).
     */
    public void recordActivity(Collection<DeviceActivity> batch) {
        Map<UUID, Map<UUID, DeviceActivity>> byTenant = new LinkedHashMap<>();
        for (DeviceActivity a : batch) {
            byTenant.computeIfAbsent(a.tenantId(), t -> new LinkedHashMap<>()).merge(a.deviceId(), a, DeviceDirectory::merge);
        }
        byTenant.forEach((tenant, devices) -> {
            List<Map<String, Object>> elements = new ArrayList<>(devices.size());
            for (DeviceActivity a : devices.values()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("device_id", a.deviceId().toString());
                e.put("last_seen_at", a.lastSeenAt().toString());
                e.put("boot_id", a.bootId());
                e.put("last_seq", a.lastSeq());
                e.put("firmware", a.firmware());
                e.put("online", a.online());
                e.put("last_event_type", a.lastEventType());
                e.put("received_delta", a.receivedDelta());
                elements.add(e);
            }
            String text = toJson(elements);
            tenants.inTenant(new TenantId(tenant), c -> rows.recordActivity(text));
        });
    }

    private static DeviceActivity merge(DeviceActivity a, DeviceActivity b) {
        DeviceActivity later = b.lastSeq() >= a.lastSeq() ? b : a;
        DeviceActivity earlier = later == b ? a : b;
        Instant seen = a.lastSeenAt().isAfter(b.lastSeenAt()) ? a.lastSeenAt() : b.lastSeenAt();
        return new DeviceActivity(later.tenantId(), later.deviceId(), seen, later.bootId(), later.lastSeq(),
                later.firmware() != null ? later.firmware() : earlier.firmware(),
                later.online() != null ? later.online() : earlier.online(),
                later.lastEventType() != null ? later.lastEventType() : earlier.lastEventType(),
                a.receivedDelta() + b.receivedDelta());
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
