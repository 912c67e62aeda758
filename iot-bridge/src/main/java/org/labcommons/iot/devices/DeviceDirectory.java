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
 * {@code labcommons.iot.devices.credential-cache-ttl}), the instrument a device reports for (in its
 * tenant's transaction; a device's instrument is set when it is created and never changes), the
 * devices revoked or rotated since a time (the revocation sweep), and the bridge's coalesced status
 * writes (in each tenant's own transaction, so RLS checks them). Not role-restricted: pages of other
 * roles use it too.
 * <p>
 * A cached credential stays correct across processes: every {@code revocation-check} (2 s) the lookups
 * of this process ask for the devices revoked or rotated since the previous check
 * ({@link #checkRevocations()}) and drop them. A credential older than {@value #UNCHECKED_SECONDS} s
 * is used only while those checks succeed (the last one less than {@value #UNCHECKED_SECONDS} s ago);
 * otherwise it is looked up again, so a revocation or a rotation reaches every process within seconds,
 * far inside the 60 s the broker's revocation sweep promises.
 */
@Singleton
public class DeviceDirectory {
    /** The longest a credential is kept (revocation checks drop it earlier when it changes). */
    private static final Duration MAX_TTL = Duration.ofHours(1);
    /** Seconds a credential may be used without a successful revocation check since. */
    static final int UNCHECKED_SECONDS = 5;
    private static final long UNCHECKED_NANOS = Duration.ofSeconds(UNCHECKED_SECONDS).toNanos();
    /** Each check asks from this long before the previous one (clocks of processes and database differ a little). */
    private static final Duration CHECK_OVERLAP = Duration.ofSeconds(10);
    private static final int MAX_CACHED = 100_000;

    private final DeviceRows rows;
    private final TenantTransactions tenants;
    private final JsonMapper json;
    private final long ttlNanos;
    private final long checkNanos;
    private final Map<UUID, Cached> cache = new ConcurrentHashMap<>();
    private final Map<UUID, Optional<UUID>> instruments = new ConcurrentHashMap<>();
    private final java.util.concurrent.locks.ReentrantLock checking = new java.util.concurrent.locks.ReentrantLock();
    /** When the last revocation check started (wall clock, what it asks from next time), and when it succeeded (nanoTime). */
    private volatile Instant checkedFrom = Instant.now();
    private volatile long lastCheckOk = System.nanoTime();
    private volatile long lastCheckTried = System.nanoTime();

    private record Cached(Optional<DeviceCredential> credential, long loadedAt, long expiresAt) {
    }

    public DeviceDirectory(DeviceRows rows, TenantTransactions tenants, JsonMapper json, DeviceSettings settings) {
        this.rows = rows;
        this.tenants = tenants;
        this.json = json;
        Duration ttl = settings.getCredentialCacheTtl();
        this.ttlNanos = (ttl == null || ttl.isNegative() ? Duration.ZERO
                : ttl.compareTo(MAX_TTL) > 0 ? MAX_TTL : ttl).toNanos();
        Duration check = settings.getRevocationCheck();
        this.checkNanos = Math.max(Duration.ofMillis(100).toNanos(),
                Math.min(check == null ? Duration.ofSeconds(2).toNanos() : check.toNanos(), UNCHECKED_NANOS / 2));
    }

    /** The device with this id, whatever its tenant; empty for an unknown id. */
    public Optional<DeviceCredential> credential(UUID deviceId) {
        long now = System.nanoTime();
        Cached cached = cache.get(deviceId);
        if (cached != null && now - cached.expiresAt() < 0) {
            if (now - lastCheckTried - checkNanos >= 0) {
                tryCheck();
                now = System.nanoTime();
                cached = cache.get(deviceId);
            }
            if (cached != null && (now - cached.loadedAt() < UNCHECKED_NANOS || now - lastCheckOk < UNCHECKED_NANOS)) {
                return cached.credential();
            }
        }
        Optional<DeviceCredential> found = rows.credential(deviceId).map(c -> new DeviceCredential(c.deviceId(),
                c.tenantId(), DeviceKind.of(c.kind()).orElseThrow(), c.secretHash(), c.publicKey(), c.revoked()));
        if (ttlNanos > 0) {
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
            cache.put(deviceId, new Cached(found, now, now + ttlNanos));
        }
        return found;
    }

    /**
     * The instrument a device of {@code tenant} reports for, empty for a door or room device (or a device the
     * tenant does not have). Read in the tenant's transaction once and kept: it is fixed when the device is created.
     */
    public Optional<UUID> instrumentOf(UUID tenant, UUID deviceId) {
        Optional<UUID> known = instruments.get(deviceId);
        if (known != null) {
            return known;
        }
        Optional<DeviceRow> row = tenants.inTenant(new TenantId(tenant), c -> rows.findById(deviceId));
        Optional<UUID> instrument = row.map(DeviceRow::instrumentId);
        if (row.isPresent()) {
            if (instruments.size() >= MAX_CACHED) {
                instruments.clear();
            }
            instruments.put(deviceId, instrument);
        }
        return instrument;
    }

    /** Forgets what is cached of a device (its secret, key or revocation changed in this process). */
    public void forget(UUID deviceId) {
        cache.remove(deviceId);
    }

    /** Runs the revocation check now unless another thread is running it; never throws. */
    private void tryCheck() {
        if (!checking.tryLock()) {
            return;
        }
        try {
            checkRevocations();
        } catch (RuntimeException e) {
            // the database is away: credentials older than UNCHECKED_SECONDS are looked up again (and fail until it is back)
        } finally {
            checking.unlock();
        }
    }

    /**
     * Drops the cached credentials of the devices revoked or rotated since the previous check (with an overlap);
     * returns how many were dropped. Run by the lookups themselves every {@code revocation-check}.
     */
    public int checkRevocations() {
        long startedNanos = System.nanoTime();
        lastCheckTried = startedNanos;
        Instant started = Instant.now();
        if (cache.isEmpty()) {
            checkedFrom = started;
            lastCheckOk = startedNanos;
            return 0;
        }
        int dropped = 0;
        for (UUID id : rows.revokedSince(checkedFrom.minus(CHECK_OVERLAP))) {
            if (cache.remove(id) != null) {
                dropped++;
            }
        }
        checkedFrom = started;
        lastCheckOk = startedNanos;
        return dropped;
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
