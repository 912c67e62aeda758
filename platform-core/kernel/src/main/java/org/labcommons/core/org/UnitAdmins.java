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
import org.labcommons.core.security.RoleAssignmentRow;
import org.labcommons.core.security.RoleAssignmentRows;
import org.labcommons.core.security.RoleAssignments;
import org.labcommons.core.security.RoleHolder;
import org.labcommons.core.security.TrustedIssuerRows;
import org.labcommons.core.security.UserAccountRows;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.time.Instant;
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
public record UnitAdmins(TenantTransactions tenants,
                         AuditLog audit,
                         RoleAssignments roles,
                         OrgUnitRows units,
                         RoleAssignmentRows assignments,
                         UserAccountRows accounts,
                         TrustedIssuerRows issuers) {
    private static final String SCOPE = "org_unit";
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
        static UnitAdmin of(RoleHolder h) {
            return new UnitAdmin(h.assignmentId(), h.userId(), h.issuer(), h.subject(), h.displayName(), h.role(),
                    h.grantedAt());
        }
    }

    public List<UnitAdmin> list(TenantId tenant, UUID unit) {
        return tenants.inTenant(tenant, c -> {
            requireUnit(unit);
            return listIn(unit);
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
            requireUnit(unit);
            String issuer = issuerFor(a.issuer());
            UUID user = account(issuer, a.subject().strip());
            assignments.grant(tenant.value(), UUID.randomUUID(), user, a.role(), SCOPE, unit, null);
            Map<String, Object> details = new HashMap<>();
            details.put("userId", user.toString());
            details.put("role", a.role());
            details.put("scopeType", SCOPE);
            details.put("scopeId", unit.toString());
            audit.append(c, actor.entry("role_assignment.granted", "user_account", user.toString(), details));
            return listIn(unit).stream().filter(x -> x.userId().equals(user) && x.role().equals(a.role()))
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
            RoleAssignmentRow held = assignments.findByIdAndScopeTypeAndScopeId(assignment, SCOPE, unit)
                    .orElseThrow(ProblemException::notFound);
            if (assignments.deleteById(held.id()) == 0) {
                throw ProblemException.notFound();   // a concurrent revoke removed it first
            }
            roles.invalidate(null, null);
            audit.append(c, actor.entry("role_assignment.revoked", "user_account", held.userId().toString(),
                    Map.of("role", held.role(), "scopeType", SCOPE, "scopeId", unit.toString())));
            return null;
        });
    }

    private List<UnitAdmin> listIn(UUID unit) {
        return assignments.holders(SCOPE, unit).stream().map(UnitAdmin::of).toList();
    }

    private void requireUnit(UUID unit) {
        if (!units.existsById(unit)) {
            throw ProblemException.notFound();
        }
    }

    /** The tenant's issuer: the one named (it must be trusted by this tenant), or the only one. */
    private String issuerFor(String named) {
        List<String> trusted = issuers.enabledIssuers();
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

    private UUID account(String issuer, String subject) {
        accounts.createIfAbsent(UUID.randomUUID(), issuer, subject, null, null);
        return accounts.idOf(issuer, subject).orElseThrow();
    }

    private static ProblemException field(String field, String code, String key) {
        return new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(new FieldProblem(field, code, key, Map.of())));
    }
}
