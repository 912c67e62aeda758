package org.labcommons.core.security;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.UUID;

/** Reads and grants role assignments, always inside the tenant's own bound transaction. */
@Singleton
public class RoleAssignments {
    private final TenantTransactions tenants;
    private final AuditLog audit;

    public RoleAssignments(TenantTransactions tenants, AuditLog audit) {
        this.tenants = tenants;
        this.audit = audit;
    }

    /** The user's assignments in {@code tenant}, oldest first. */
    public List<RoleAssignment> forUser(TenantId tenant, UUID userId) {
        return tenants.inTenant(tenant, c -> {
            List<RoleAssignment> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select id, role, scope_type, scope_id, granted_at, granted_by "
                    + "from role_assignment where user_id = ? order by granted_at, id")) {
                ps.setObject(1, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new RoleAssignment(tenant, rs.getObject(1, UUID.class), userId,
                                Role.fromId(rs.getString(2)).orElseThrow(), ScopeType.fromId(rs.getString(3)).orElseThrow(),
                                rs.getObject(4, UUID.class), rs.getTimestamp(5).toInstant(), rs.getObject(6, UUID.class)));
                    }
                }
            }
            return out;
        });
    }

    /**
     * Grants {@code role} on a scope of {@code tenant} (scopeId null for the whole tenant); granting
     * what is already held changes nothing. Who may grant is the caller's decision
     * ({@link Action#MANAGE_ROLES}); the tenant-admin module owns the screens.
     */
    public void grant(TenantId tenant, UUID userId, Role role, ScopeType scopeType, @Nullable UUID scopeId,
                      @Nullable UUID grantedBy) {
        tenants.inTenant(tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into role_assignment "
                    + "(tenant_id, id, user_id, role, scope_type, scope_id, granted_at, granted_by) "
                    + "values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing")) {
                ps.setObject(1, tenant.value());
                ps.setObject(2, UUID.randomUUID());
                ps.setObject(3, userId);
                ps.setString(4, role.id());
                ps.setString(5, scopeType.id());
                ps.setObject(6, scopeId);
                ps.setTimestamp(7, new Timestamp(System.currentTimeMillis()));
                ps.setObject(8, grantedBy);
                if (ps.executeUpdate() == 0) {
                    return false;
                }
            }
            Map<String, Object> details = new HashMap<>();
            details.put("userId", userId.toString());
            details.put("role", role.id());
            details.put("scopeType", scopeType.id());
            details.put("scopeId", scopeId == null ? "" : scopeId.toString());
            details.put("grantedBy", grantedBy == null ? "" : grantedBy.toString());
            audit.append(c, AuditEntry.system("role_assignment.granted", "user_account", userId.toString(), details));
            return true;
        });
    }
}
