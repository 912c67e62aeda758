package org.labcommons.core.org;

import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Org units of one tenant; every call names the tenant, and the database enforces it. */
@Singleton
public class OrgUnitService {
    private static final String COLUMNS =
            "id, parent_id, kind, code, name_zh, name_en, platform_level, management_mode, created_at";

    private final TenantTransactions tenants;
    private final AuditLog audit;

    public OrgUnitService(TenantTransactions tenants, AuditLog audit) {
        this.tenants = tenants;
        this.audit = audit;
    }

    /** A page of units ordered by code; {@code kind} and {@code parentId} filter when given. */
    public List<OrgUnit> list(TenantId tenant, String kind, UUID parentId, int offset, int limit) {
        return tenants.inTenant(tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from org_unit "
                    + "where (?::text is null or kind = ?) and (?::uuid is null or parent_id = ?) "
                    + "order by code limit ? offset ?")) {
                ps.setString(1, kind);
                ps.setString(2, kind);
                ps.setObject(3, parentId);
                ps.setObject(4, parentId);
                ps.setInt(5, limit);
                ps.setInt(6, offset);
                return readAll(ps);
            }
        });
    }

    public Optional<OrgUnit> find(TenantId tenant, UUID id) {
        return tenants.inTenant(tenant, c -> find(c, id));
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
            if (input.parentId() != null && find(c, input.parentId()).isEmpty()) {
                problems.add(new ProblemException.FieldProblem("parentId", "unknown", "validation.unknown_reference",
                        Map.of()));
            }
            if (!problems.isEmpty()) {
                throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
            }
            if (codeTaken(c, input.code())) {
                throw new ProblemException(HttpStatus.CONFLICT, "conflict", List.of(
                        new ProblemException.FieldProblem("code", "taken", "validation.taken", Map.of())));
            }
            UUID id = UUID.randomUUID();
            try (PreparedStatement ps = c.prepareStatement("insert into org_unit (tenant_id, id, parent_id, kind, "
                    + "code, name_zh, name_en, platform_level, management_mode) values "
                    + "(app_tenant(), ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setObject(1, id);
                ps.setObject(2, input.parentId());
                ps.setString(3, input.kind());
                ps.setString(4, input.code());
                ps.setString(5, input.nameZh().strip());
                ps.setString(6, input.nameEn().strip());
                if (input.platformLevel() == null) {
                    ps.setNull(7, Types.SMALLINT);
                } else {
                    ps.setInt(7, input.platformLevel());
                }
                ps.setString(8, input.managementMode());
                ps.executeUpdate();
            } catch (SQLException e) {
                if ("23505".equals(e.getSQLState())) {   // a concurrent create took the code first
                    throw new ProblemException(HttpStatus.CONFLICT, "conflict", List.of(
                            new ProblemException.FieldProblem("code", "taken", "validation.taken", Map.of())));
                }
                throw e;
            }
            Map<String, Object> details = new HashMap<>();
            details.put("code", input.code());
            details.put("kind", input.kind());
            audit.append(c, actor.entry("org_unit.created", "org_unit", id.toString(), details));
            return find(c, id).orElseThrow();
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
            OrgUnit before = find(c, id).orElseThrow(ProblemException::notFound);
            if (input.parentId() != null) {
                if (find(c, input.parentId()).isEmpty()) {
                    problems.add(new ProblemException.FieldProblem("parentId", "unknown", "validation.unknown_reference",
                            Map.of()));
                } else if (chain(c, input.parentId()).contains(id)) {
                    problems.add(new ProblemException.FieldProblem("parentId", "cycle", "validation.org_unit_cycle",
                            Map.of()));
                }
            }
            if (!problems.isEmpty()) {
                throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
            }
            if (!before.code().equals(input.code()) && codeTaken(c, input.code())) {
                throw new ProblemException(HttpStatus.CONFLICT, "conflict", List.of(
                        new ProblemException.FieldProblem("code", "taken", "validation.taken", Map.of())));
            }
            try (PreparedStatement ps = c.prepareStatement("update org_unit set parent_id = ?, kind = ?, code = ?, "
                    + "name_zh = ?, name_en = ?, platform_level = ?, management_mode = ? where id = ?")) {
                ps.setObject(1, input.parentId());
                ps.setString(2, input.kind());
                ps.setString(3, input.code());
                ps.setString(4, input.nameZh().strip());
                ps.setString(5, input.nameEn().strip());
                if (input.platformLevel() == null) {
                    ps.setNull(6, Types.SMALLINT);
                } else {
                    ps.setInt(6, input.platformLevel());
                }
                ps.setString(7, input.managementMode());
                ps.setObject(8, id);
                ps.executeUpdate();
            }
            Map<String, Object> details = new HashMap<>();
            details.put("code", input.code());
            details.put("kind", input.kind());
            details.put("parentId", input.parentId() == null ? "" : input.parentId().toString());
            audit.append(c, actor.entry("org_unit.updated", "org_unit", id.toString(), details));
            return find(c, id).orElseThrow();
        });
    }

    /** {@code unit} and its ancestors, nearest first; empty when the bound tenant has no such unit. */
    public static List<UUID> chain(Connection c, UUID unit) throws SQLException {
        List<UUID> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("with recursive up(id, parent_id, depth) as ("
                + "select id, parent_id, 0 from org_unit where id = ? union all "
                + "select o.id, o.parent_id, up.depth + 1 from org_unit o join up on o.id = up.parent_id "
                + "where up.depth < 64) select id from up order by depth")) {
            ps.setObject(1, unit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return out;
    }

    private static boolean codeTaken(Connection c, String code) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from org_unit where code = ?")) {
            ps.setString(1, code);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static Optional<OrgUnit> find(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from org_unit where id = ?")) {
            ps.setObject(1, id);
            List<OrgUnit> found = readAll(ps);
            return found.stream().findFirst();
        }
    }

    private static List<OrgUnit> readAll(PreparedStatement ps) throws SQLException {
        List<OrgUnit> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Number level = (Number) rs.getObject(7);
                out.add(new OrgUnit(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), level == null ? null : level.intValue(),
                        rs.getString(8), rs.getTimestamp(9).toInstant()));
            }
        }
        return out;
    }
}
