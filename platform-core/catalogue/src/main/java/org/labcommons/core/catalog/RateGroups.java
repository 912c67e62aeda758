package org.labcommons.core.catalog;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A tenant's rate groups (V8 {@code rate_group}; onboarding creates internal, consortium and
 * external), read for published prices: a price names one by its code. The usual three come
 * first in that order, any others after them by code. Editing rate groups is not here.
 */
@Singleton
public class RateGroups {
    /** The groups onboarding provisions, in the order prices are shown. */
    public static final List<String> STANDARD = List.of("internal", "consortium", "external");

    private static final String ORDER = "order by case code when 'internal' then 0 when 'consortium' then 1 "
            + "when 'external' then 2 else 3 end, code";

    private final TenantTransactions tenants;

    public RateGroups(TenantTransactions tenants) {
        this.tenants = tenants;
    }

    /** A rate group with its names. */
    @Serdeable
    public record RateGroup(String code, String nameZh, String nameEn) {
        public String name(boolean zh) {
            return zh ? nameZh : nameEn;
        }
    }

    public List<RateGroup> list(TenantId tenant) {
        return tenants.inTenant(tenant, RateGroups::list);
    }

    /** The bound tenant's groups. */
    public static List<RateGroup> list(Connection c) throws SQLException {
        List<RateGroup> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select code, name_zh, name_en from rate_group " + ORDER);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new RateGroup(rs.getString(1), rs.getString(2), rs.getString(3)));
            }
        }
        return out;
    }

    /** The bound tenant's group codes. */
    static List<String> codes(Connection c) throws SQLException {
        return list(c).stream().map(RateGroup::code).toList();
    }
}
