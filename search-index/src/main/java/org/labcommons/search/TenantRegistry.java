package org.labcommons.search;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The global tenant registry as search needs it: owner names, network, province and status of
 * every tenant, cached for {@code labcommons.search.tenant-cache} and dropped on every lifecycle
 * event. The status is also read at query time: a suspended tenant's entries are excluded inside
 * the query even if a document slipped past the projector while the suspension was being applied.
 */
@Singleton
public class TenantRegistry {
    /** What a hit shows about its owner, and what visibility and facets need. */
    public record TenantInfo(UUID id, String slug, String kind, String nameZh, String nameEn,
                             @Nullable UUID parentId, @Nullable String regionCode, String status) {
        public boolean active() {
            return "active".equals(status);
        }

        public String name(boolean zh) {
            return zh ? nameZh : nameEn;
        }

        /** The province's administrative code (first two digits of the region, then 0000). */
        @Nullable
        public String provinceCode() {
            return regionCode == null ? null : regionCode.substring(0, 2) + "0000";
        }
    }

    private final TransactionOperations<Connection> transactions;
    private final SearchSettings settings;
    private final TenantInfoRows rows;
    private volatile Map<UUID, TenantInfo> cache = Map.of();
    private volatile long loadedAt;

    public TenantRegistry(TransactionOperations<Connection> transactions, SearchSettings settings, TenantInfoRows rows) {
        this.transactions = transactions;
        this.settings = settings;
        this.rows = rows;
    }

    public Optional<TenantInfo> find(UUID id) {
        TenantInfo t = current().get(id);
        if (t == null) {
            // a tenant created since the last load: read again once
            invalidate();
            t = current().get(id);
        }
        return Optional.ofNullable(t);
    }

    public Collection<TenantInfo> all() {
        return current().values();
    }

    /** Ids of tenants that are not active (excluded from every query). */
    public Set<String> inactiveIds() {
        return current().values().stream().filter(t -> !t.active()).map(t -> t.id().toString())
                .collect(Collectors.toUnmodifiableSet());
    }

    public void invalidate() {
        loadedAt = 0;
    }

    private Map<UUID, TenantInfo> current() {
        long now = System.nanoTime();
        if (loadedAt == 0 || now - loadedAt > settings.getTenantCache().toNanos()) {
            synchronized (this) {
                if (loadedAt == 0 || now - loadedAt > settings.getTenantCache().toNanos()) {
                    cache = load();
                    loadedAt = Math.max(1, System.nanoTime());
                }
            }
        }
        return cache;
    }

    private Map<UUID, TenantInfo> load() {
        return transactions.executeRead(status -> {
            Map<UUID, TenantInfo> out = new HashMap<>();
            for (TenantInfoRows.Row r : rows.all()) {
                out.put(r.id(), new TenantInfo(r.id(), r.slug(), r.kind(), r.nameZh(), r.nameEn(), r.parentId(),
                        r.regionCode(), r.status()));
            }
            return Map.copyOf(out);
        });
    }
}
