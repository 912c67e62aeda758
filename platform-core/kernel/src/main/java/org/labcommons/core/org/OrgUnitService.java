package org.labcommons.core.org;

import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.db.SqlStates;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Org units of one tenant; every call names the tenant, and the database enforces it. The SQL is
 * in {@link OrgUnitRows}, called inside the tenant's transaction.
 */
@Singleton
public record OrgUnitService(TenantTransactions tenants, OrgUnitRows rows, AuditLog audit) {
    /** A page of units ordered by code; {@code kind} and {@code parentId} filter when given. */
    public List<OrgUnit> list(TenantId tenant, String kind, UUID parentId, int offset, int limit) {
        return tenants.inTenant(tenant, c -> rows.page(kind, parentId, offset, limit).stream()
                .map(OrgUnitRow::toOrgUnit).toList());
    }

    public Optional<OrgUnit> find(TenantId tenant, UUID id) {
        return tenants.inTenant(tenant, c -> rows.findById(id).map(OrgUnitRow::toOrgUnit));
    }

    /** {@code unit} and its ancestors, nearest first; empty when {@code tenant} has no such unit. */
    public List<UUID> chain(TenantId tenant, UUID unit) {
        return tenants.inTenant(tenant, c -> rows.chain(unit));
    }

    /**
     * Creates a unit. A parent must exist in the same tenant; a platform level only fits a
     * platform; a duplicate code is a conflict.
     */
    public OrgUnit create(TenantId tenant, AuditEntry.Actor actor, OrgUnitInput input) {
        List<ProblemException.FieldProblem> problems = new ArrayList<>();
        if (input.platformLevel() != null && !"platform".equals(input.kind())) {
            problems.add(new ProblemException.FieldProblem("platformLevel", "only_for_platforms",
                    "validation.only_for_platforms", Map.of()));
        }
        return tenants.inTenant(tenant, c -> {
            if (input.parentId() != null && !rows.existsById(input.parentId())) {
                problems.add(new ProblemException.FieldProblem("parentId", "unknown", "validation.unknown_reference",
                        Map.of()));
            }
            if (!problems.isEmpty()) {
                throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
            }
            if (rows.existsByCode(input.code())) {
                throw codeTaken();
            }
            UUID id = UUID.randomUUID();
            try {
                rows.save(new OrgUnitRow(tenant.value(), id, input.parentId(), input.kind(), input.code(),
                        input.nameZh().strip(), input.nameEn().strip(), input.platformLevel(), input.managementMode(),
                        null));
            } catch (RuntimeException e) {
                if (SqlStates.causedBy(e, SqlStates.UNIQUE_VIOLATION)) {   // a concurrent create took the code first
                    throw codeTaken();
                }
                throw e;
            }
            Map<String, Object> details = new HashMap<>();
            details.put("code", input.code());
            details.put("kind", input.kind());
            audit.append(c, actor.entry("org_unit.created", "org_unit", id.toString(), details));
            return rows.findById(id).orElseThrow().toOrgUnit();
        });
    }

    /**
     * Changes a unit: names, code, kind, level, mode and parent. A unit cannot move under itself
     * or under one of its own descendants.
     */
    public OrgUnit update(TenantId tenant, AuditEntry.Actor actor, UUID id, OrgUnitInput input) {
        List<ProblemException.FieldProblem> problems = new ArrayList<>();
        if (input.platformLevel() != null && !"platform".equals(input.kind())) {
            problems.add(new ProblemException.FieldProblem("platformLevel", "only_for_platforms",
                    "validation.only_for_platforms", Map.of()));
        }
        return tenants.inTenant(tenant, c -> {
            OrgUnitRow before = rows.findById(id).orElseThrow(ProblemException::notFound);
            if (input.parentId() != null) {
                List<UUID> above = rows.chain(input.parentId());
                if (above.isEmpty()) {
                    problems.add(new ProblemException.FieldProblem("parentId", "unknown", "validation.unknown_reference",
                            Map.of()));
                } else if (above.contains(id)) {
                    problems.add(new ProblemException.FieldProblem("parentId", "cycle", "validation.org_unit_cycle",
                            Map.of()));
                }
            }
            if (!problems.isEmpty()) {
                throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
            }
            if (!before.code().equals(input.code()) && rows.existsByCode(input.code())) {
                throw codeTaken();
            }
            try {
                rows.update(id, input.parentId(), input.kind(), input.code(), input.nameZh().strip(),
                        input.nameEn().strip(), input.platformLevel(), input.managementMode());
            } catch (RuntimeException e) {
                if (SqlStates.causedBy(e, SqlStates.UNIQUE_VIOLATION)) {   // a concurrent change took the code first
                    throw codeTaken();
                }
                throw e;
            }
            Map<String, Object> details = new HashMap<>();
            details.put("code", input.code());
            details.put("kind", input.kind());
            details.put("parentId", input.parentId() == null ? "" : input.parentId().toString());
            audit.append(c, actor.entry("org_unit.updated", "org_unit", id.toString(), details));
            return rows.findById(id).orElseThrow().toOrgUnit();
        });
    }

    private static ProblemException codeTaken() {
        return new ProblemException(HttpStatus.CONFLICT, "conflict", List.of(
                new ProblemException.FieldProblem("code", "taken", "validation.taken", Map.of())));
    }
}
