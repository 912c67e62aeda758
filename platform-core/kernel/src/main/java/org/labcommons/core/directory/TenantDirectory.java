package org.labcommons.core.directory;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Reads the global tenant registry and per-tenant aggregate figures. */
@Singleton
public class TenantDirectory {
    private final TransactionOperations<Connection> transactions;
    private final TenantTransactions tenantTransactions;
    private final TenantFigures figures;

    public TenantDirectory(TransactionOperations<Connection> transactions, TenantTransactions tenantTransactions,
                           @io.micronaut.core.annotation.Nullable TenantFigures figures) {
        this.transactions = transactions;
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

    /** Active tenants in registry order, each counted ({@link TenantFigures}) inside its own tenant-bound transaction. */
    public List<TenantSummary> activeTenants() {
        List<TenantSummary> bare = transactions.executeRead(status -> {
            List<TenantSummary> out = new ArrayList<>();
            try (PreparedStatement ps = status.getConnection().prepareStatement(
                    "select id, slug, kind, name_zh, name_en, status from tenant where status = 'active' "
                            + "order by case kind when 'consortium' then 0 when 'network' then 1 else 2 end, slug");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new TenantSummary(new TenantId(rs.getObject(1, UUID.class)), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), 0, 0));
                }
            }
            return out;
        });
        if (figures == null) {
            return bare;
        }
        List<TenantSummary> counted = new ArrayList<>(bare.size());
        for (TenantSummary t : bare) {
            TenantFigures.Figures f = tenantTransactions.inTenant(t.id(), figures::read);
            counted.add(new TenantSummary(t.id(), t.slug(), t.kind(), t.nameZh(), t.nameEn(), t.status(),
                    f.items(), f.totalValueFen()));
        }
        return counted;
    }

    /** The active tenant with this id or slug, if any (the registry is global: no tenant binding). */
    public java.util.Optional<TenantId> findActive(String idOrSlug) {
        return transactions.executeRead(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement(
                    "select id from tenant where (id::text = ? or slug = ?) and status = 'active'")) {
                ps.setString(1, idOrSlug);
                ps.setString(2, idOrSlug);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? java.util.Optional.of(new TenantId(rs.getObject(1, UUID.class)))
                            : java.util.Optional.<TenantId>empty();
                }
            }
        });
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
        return transactions.executeRead(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement(
                    "select id, slug, kind, name_zh, name_en, parent_id, time_zone from tenant "
                            + "where (id::text = ? or slug = ?) and status = 'active'")) {
                ps.setString(1, idOrSlug);
                ps.setString(2, idOrSlug);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? java.util.Optional.of(new TenantProfile(new TenantId(rs.getObject(1, UUID.class)),
                            rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getObject(6, UUID.class), rs.getString(7)))
                            : java.util.Optional.<TenantProfile>empty();
                }
            }
        });
    }
}
