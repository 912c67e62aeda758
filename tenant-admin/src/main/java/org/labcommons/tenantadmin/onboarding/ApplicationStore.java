package org.labcommons.tenantadmin.onboarding;

import io.micronaut.http.HttpStatus;
import org.labcommons.core.problem.ProblemException;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The SQL of {@code onboarding_application}, in one place. Every statement runs on a connection
 * bound to the reviewing network's tenant; row level security adds the tenant predicate.
 */
final class ApplicationStore {
    static final String COLUMNS = "id, source, status, slug, name_zh, name_en, region_code, time_zone, contact_name, "
            + "contact_email, language, issuer_url, client_id, name_claim, email_claim, admin_emails, reject_reason, "
            + "reviewed_at, reviewer_subject, provisioned_tenant_id, submitted_at, created_at, updated_at, version";
    /** States in which an application still holds its slug. */
    static final Set<String> OPEN = Set.of("invited", "submitted", "provisioning");

    private ApplicationStore() {
    }

    static Optional<Application> find(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from onboarding_application where id = ?")) {
            ps.setObject(1, id);
            return readAll(ps).stream().findFirst();
        }
    }

    static Optional<Application> lock(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from onboarding_application where id = ? for update")) {
            ps.setObject(1, id);
            return readAll(ps).stream().findFirst();
        }
    }

    static List<Application> list(Connection c, String status, int offset, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from onboarding_application "
                + "where (?::text is null or status = ?) order by created_at desc, id limit ? offset ?")) {
            ps.setString(1, status);
            ps.setString(2, status);
            ps.setInt(3, limit);
            ps.setInt(4, offset);
            return readAll(ps);
        }
    }

    static long count(Connection c, String status) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from onboarding_application "
                + "where (?::text is null or status = ?)")) {
            ps.setString(1, status);
            ps.setString(2, status);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Whether an open application of this network already uses {@code slug} (other than {@code except}). */
    static boolean slugOpen(Connection c, String slug, UUID except) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from onboarding_application where slug = ? "
                + "and status in ('invited', 'submitted', 'provisioning') and (?::uuid is null or id <> ?)")) {
            ps.setString(1, slug);
            ps.setObject(2, except);
            ps.setObject(3, except);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Inserts a new application for the bound network. */
    static void insert(Connection c, UUID id, String source, String status, ApplicationInput v, String tokenHash,
                       java.time.Instant tokenExpires) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into onboarding_application (tenant_id, id, source, status, "
                + "slug, name_zh, name_en, region_code, time_zone, contact_name, contact_email, language, issuer_url, "
                + "client_id, name_claim, email_claim, admin_emails, invitation_token_hash, invitation_expires_at, "
                + "submitted_at) values (app_tenant(), ?, ?, ?, ?, ?, ?, ?, "
                + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, case when ? = 'submitted' then now() end)")) {
            int k = 1;
            ps.setObject(k++, id);
            ps.setString(k++, source);
            ps.setString(k++, status);
            k = setFields(c, ps, k, v);
            ps.setString(k++, tokenHash);
            ps.setTimestamp(k++, tokenExpires == null ? null : java.sql.Timestamp.from(tokenExpires));
            ps.setString(k, status);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw slugConflict(e);
        }
    }

    /** An invited application completed by the institution: all fields, now submitted. */
    static void complete(Connection c, UUID id, ApplicationInput v) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update onboarding_application set slug = ?, name_zh = ?, "
                + "name_en = ?, region_code = ?, time_zone = ?, contact_name = ?, contact_email = ?, language = ?, "
                + "issuer_url = ?, client_id = ?, name_claim = ?, email_claim = ?, admin_emails = ?, status = 'submitted', "
                + "invitation_token_hash = null, invitation_expires_at = null, submitted_at = now(), updated_at = now(), "
                + "version = version + 1 where id = ? and status = 'invited'")) {
            int k = setFields(c, ps, 1, v);
            ps.setObject(k, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw slugConflict(e);
        }
    }

    private static int setFields(Connection c, PreparedStatement ps, int k, ApplicationInput v) throws SQLException {
        ps.setString(k++, v.slug());
        ps.setString(k++, v.nameZh());
        ps.setString(k++, v.nameEn());
        ps.setString(k++, v.regionCode());
        ps.setString(k++, v.timeZone());
        ps.setString(k++, v.contactName());
        ps.setString(k++, v.contactEmail());
        ps.setString(k++, v.language());
        ps.setString(k++, v.issuerUrl());
        ps.setString(k++, v.clientId());
        ps.setString(k++, v.nameClaim());
        ps.setString(k++, v.emailClaim());
        ps.setArray(k++, c.createArrayOf("text", (v.adminEmails() == null ? List.<String>of() : v.adminEmails()).toArray()));
        return k;
    }

    /** A concurrent insert took the slug first (the partial unique index). */
    private static SQLException slugConflict(SQLException e) {
        if ("23505".equals(e.getSQLState())) {
            throw slugTaken();
        }
        return e;
    }

    static ProblemException slugTaken() {
        return new ProblemException(HttpStatus.CONFLICT, "conflict", List.of(
                new ProblemException.FieldProblem("slug", "taken", "validation.taken", Map.of())));
    }

    static ProblemException wrongState(String status) {
        return new ProblemException(HttpStatus.CONFLICT, "wrong_state", status);
    }

    static List<Application> readAll(PreparedStatement ps) throws SQLException {
        List<Application> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Array admins = rs.getArray(16);
                out.add(new Application(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                        rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14),
                        rs.getString(15), admins == null ? List.of() : Arrays.asList((String[]) admins.getArray()),
                        rs.getString(17), TenantRegistry.instant(rs.getTimestamp(18)), rs.getString(19),
                        rs.getObject(20, UUID.class), TenantRegistry.instant(rs.getTimestamp(21)),
                        TenantRegistry.instant(rs.getTimestamp(22)), TenantRegistry.instant(rs.getTimestamp(23)),
                        rs.getLong(24)));
            }
        }
        return out;
    }
}
