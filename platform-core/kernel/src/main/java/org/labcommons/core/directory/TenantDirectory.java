package org.labcommons.core.directory;

import jakarta.inject.Singleton;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Reads the global tenant registry and per-tenant aggregate figures. */
@Singleton
public class TenantDirectory {
    private final TenantRows rows;
    private final TenantTransactions tenantTransactions;
    private final TenantFigures figures;

    public TenantDirectory(TenantRows rows, TenantTransactions tenantTransactions,
                           @io.micronaut.core.annotation.Nullable TenantFigures figures) {
        this.rows = rows;
        this.tenantTransactions = tenantTransactions;
        this.figures = figures;
    }

    /** A tenant with the aggregate figures a consortium overview may show. */
    public record TenantSummary(TenantId id, String slug, String kind, String nameZh, String nameEn,
                                String status, long instruments, long totalValueFen) {
        /** Total original value in whole RMB, rounded down (display only). */
        public long totalValueYuan() {
            return totalValueFen / 100;
        }
    }

    /**
     * Active tenants in registry order, each counted ({@link TenantFigures}, provided by a domain module)
     * inside its own tenant-bound transaction; zeros when no module provides figures.
     */
    public List<TenantSummary> activeTenants() {
        List<TenantSummary> counted = new ArrayList<>();
        for (TenantRows.Row t : rows.active()) {
            TenantId id = new TenantId(t.id());
            TenantFigures.Figures f = figures == null ? TenantFigures.Figures.NONE
                    : tenantTransactions.inTenant(id, figures::read);
            counted.add(new TenantSummary(id, t.slug(), t.kind(), t.nameZh(), t.nameEn(), t.status(),
                    f.items(), f.totalValueFen()));
        }
        return counted;
    }

    /** The active tenant with this id or slug, if any (the registry is global: no tenant binding). */
    public java.util.Optional<TenantId> findActive(String idOrSlug) {
        return rows.activeByIdOrSlug(idOrSlug).map(t -> new TenantId(t.id()));
    }

    /** What pages and the public catalogue need to know about a tenant. */
    public record TenantProfile(TenantId id, String slug, String kind, String nameZh, String nameEn,
                                @io.micronaut.core.annotation.Nullable UUID parentId, String timeZone) {
        public String name(boolean zh) {
            return zh ? nameZh : nameEn;
        }
    }

    /** The active tenant with this id or slug, with its profile; a suspended tenant is not found. */
    public java.util.Optional<TenantProfile> activeProfile(String idOrSlug) {
        return rows.activeByIdOrSlug(idOrSlug).map(t -> new TenantProfile(new TenantId(t.id()), t.slug(), t.kind(),
                t.nameZh(), t.nameEn(), t.parentId(), t.timeZone()));
    }
}
