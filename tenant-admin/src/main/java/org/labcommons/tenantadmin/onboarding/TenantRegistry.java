package org.labcommons.tenantadmin.onboarding;

import io.micronaut.core.annotation.Nullable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads of the global tenant registry (it holds no tenant's business data and has no row level
 * security, so these work in any transaction). Writes are in {@link Provisioner} and
 * {@link MemberService}, each audited.
 */
final class TenantRegistry {
    private static final String COLUMNS = "id, slug, kind, name_zh, name_en, parent_id, region_code, status, time_zone, "
            + "version, status_changed_at, status_reason, created_at";

    private TenantRegistry() {
    }

    /** One registry row. */
    record TenantRow(UUID id, String slug, String kind, String nameZh, String nameEn, @Nullable UUID parentId,
                     @Nullable String regionCode, String status, String timeZone, long version,
                     @Nullable Instant statusChangedAt, @Nullable String statusReason, Instant createdAt) {
        boolean isNetwork() {
            return "network".equals(kind) || "consortium".equals(kind);
        }
    }

    static Optional<TenantRow> find(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from tenant where id = ?")) {
            ps.setObject(1, id);
            return first(ps);
        }
    }

    static Optional<TenantRow> findForUpdate(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from tenant where id = ? for update")) {
            ps.setObject(1, id);
            return first(ps);
        }
    }

    static Optional<TenantRow> findBySlug(Connection c, String slug) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from tenant where slug = ?")) {
            ps.setString(1, slug);
            return first(ps);
        }
    }

    /** Active networks and the consortium: where an institution may apply. */
    static List<TenantRow> openNetworks(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from tenant "
                + "where kind in ('network', 'consortium') and status = 'active' "
                + "order by case kind when 'network' then 0 else 1 end, slug")) {
            return all(ps);
        }
    }

    private static Optional<TenantRow> first(PreparedStatement ps) throws SQLException {
        return all(ps).stream().findFirst();
    }

    private static List<TenantRow> all(PreparedStatement ps) throws SQLException {
        List<TenantRow> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new TenantRow(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getObject(6, UUID.class), rs.getString(7), rs.getString(8), rs.getString(9),
                        rs.getLong(10), instant(rs.getTimestamp(11)), rs.getString(12), instant(rs.getTimestamp(13))));
            }
        }
        return out;
    }

    static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
