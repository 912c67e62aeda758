package org.labcommons.core.org;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Admins assigned per org unit (DOMAIN.md: unit admin 分室管理员, platform/department admin): a role
 * held on the unit's scope, which covers the unit, the units below it and their instruments. A
 * person is named by the subject their institution's identity provider gives them; the account is
 * created ahead of their first sign-in when needed, so the role is waiting for them.
 */
@Singleton
public class UnitAdmins {
    private final TenantTransactions tenants;
    private final AuditLog audit;

    private final org.labcommons.core.security.RoleAssignments roles;

    public UnitAdmins(TenantTransactions tenants, AuditLog audit, org.labcommons.core.security.RoleAssignments roles) {
        this.roles = roles;
        this.tenants = tenants;
        this.audit = audit;
    }

    /** Whom to assign: issuer (optional when the tenant trusts exactly one), subject and role. */
    @Serdeable
    public record Assignment(@Nullable @Size(max = 2000) String issuer,
                             @NotBlank @Size(max = 255) String subject,
                             @NotBlank @Pattern(regexp = "instrument_admin|platform_admin") String role) {
    }

    /** A unit admin as listed. */
    @Serdeable
    public record UnitAdmin(UUID assignmentId, UUID userId, String issuer, String subject,
                            @Nullable String displayName, String role, Instant grantedAt) {
    }

    public List<UnitAdmin> list(TenantId tenant, UUID unit) {
        return tenants.inTenant(tenant, c -> {
            requireUnit(c, unit);
            return listIn(c, unit);
        });
    }

    public UnitAdmin assign(TenantId tenant, AuditEntry.Actor actor, UUID unit, Assignment a) {
        // the request path remembers role assignments (RoleAssignments): forget them in and after the change
        roles.invalidate(null, null);
        try {
            return assignIn(tenant, actor, unit, a);
        } finally {
            roles.invalidate(null, null);
        }
    }

    private UnitAdmin assignIn(TenantId tenant, AuditEntry.Actor actor, UUID unit, Assignment a) {
        return tenants.inTenant(tenant, c -> {
            requireUnit(c, unit);
            String issuer = issuerFor(c, a.issuer());
            UUID user = account(c, issuer, a.subject().strip());
            try (PreparedStatement ps = c.prepareStatement("insert into role_assignment (tenant_id, id, user_id, role, "
                    + "scope_type, scope_id, granted_at) values (app_tenant(), "
                    + "?, ?, ?, 'org_unit', ?, now()) on conflict do nothing")) {
                ps.setObject(1, UUID.randomUUID());
                ps.setObject(2, user);
                ps.setString(3, a.role());
                ps.setObject(4, unit);
                ps.executeUpdate();
            }
            Map<String, Object> details = new HashMap<>();
            details.put("userId", user.toString());
            details.put("role", a.role());
            details.put("scopeType", "org_unit");
            details.put("scopeId", unit.toString());
            audit.append(c, actor.entry("role_assignment.granted", "user_account", user.toString(), details));
            return listIn(c, unit).stream().filter(x -> x.userId().equals(user) && x.role().equals(a.role()))
                    .findFirst().orElseThrow();
        });
    }

    public void revoke(TenantId tenant, AuditEntry.Actor actor, UUID unit, UUID assignment) {
        roles.invalidate(null, null);
        try {
            revokeIn(tenant, actor, unit, assignment);
        } finally {
            roles.invalidate(null, null);
        }
    }

    private void revokeIn(TenantId tenant, AuditEntry.Actor actor, UUID unit, UUID assignment) {
        tenants.inTenant(tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement("delete from role_assignment where id = ? and "
                    + "scope_type = 'org_unit' and scope_id = ? returning user_id, role")) {
                ps.setObject(1, assignment);
                ps.setObject(2, unit);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw ProblemException.notFound();
                    }
                    roles.invalidate(null, null);
                    audit.append(c, actor.entry("role_assignment.revoked", "user_account", rs.getString(1),
                            Map.of("role", rs.getString(2), "scopeType", "org_unit", "scopeId", unit.toString())));
                }
            }
            return null;
        });
    }

    private List<UnitAdmin> listIn(Connection c, UUID unit) throws SQLException {
        List<UnitAdmin> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select r.id, u.id, u.issuer, u.subject, u.display_name, r.role, "
                + "r.granted_at from role_assignment r join user_account u on u.id = r.user_id "
                + "where r.scope_type = 'org_unit' and r.scope_id = ? order by r.granted_at, r.id")) {
            ps.setObject(1, unit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new UnitAdmin(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant()));
                }
            }
        }
        return out;
    }

    private static void requireUnit(Connection c, UUID unit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from org_unit where id = ?")) {
            ps.setObject(1, unit);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ProblemException.notFound();
                }
            }
        }
    }

    /** The tenant's issuer: the one named (it must be trusted by this tenant), or the only one. */
    private static String issuerFor(Connection c, String named) throws SQLException {
        List<String> trusted = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select issuer from trusted_issuer where enabled order by issuer");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                trusted.add(rs.getString(1));
            }
        }
        if (named != null && !named.isBlank()) {
            if (!trusted.contains(named.strip())) {
                throw field("issuer", "unknown", "validation.unknown_reference");
            }
            return named.strip();
        }
        if (trusted.size() != 1) {
            throw field("issuer", "required", "validation.not_null");
        }
        return trusted.get(0);
    }

    private static UUID account(Connection c, String issuer, String subject) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into user_account (id, issuer, subject) values (?, ?, ?) "
                + "on conflict (issuer, subject) do nothing")) {
            ps.setObject(1, UUID.randomUUID());
            ps.setString(2, issuer);
            ps.setString(3, subject);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("select id from user_account where issuer = ? and subject = ?")) {
            ps.setString(1, issuer);
            ps.setString(2, subject);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject(1, UUID.class);
            }
        }
    }

    private static ProblemException field(String field, String code, String key) {
        return new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(new FieldProblem(field, code, key, Map.of())));
    }
}
