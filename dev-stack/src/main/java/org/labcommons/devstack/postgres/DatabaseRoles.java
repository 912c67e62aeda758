package org.labcommons.devstack.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Creates (or updates) the platform's two database roles and its database, connected as a
 * superuser: what a database administrator does once for a real deployment (README).
 */
public final class DatabaseRoles {
    public static final String DATABASE = "labcommons";
    public static final String OWNER_ROLE = "labcommons_owner";
    public static final String APP_ROLE = "labcommons_app";

    private DatabaseRoles() {
    }

    /** The application properties for a database provisioned by {@link #provision}. */
    public static java.util.Map<String, String> properties(String jdbcUrl, String ownerPassword, String appPassword) {
        java.util.Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put("labcommons.db.url", jdbcUrl);
        p.put("labcommons.db.user", APP_ROLE);
        p.put("labcommons.db.password", appPassword);
        p.put("labcommons.db.owner-user", OWNER_ROLE);
        p.put("labcommons.db.owner-password", ownerPassword);
        return p;
    }

    /** Idempotent: safe on every start of a persistent dev database. */
    public static void provision(Connection superuser, String ownerPassword, String appPassword) throws SQLException {
        try (Statement st = superuser.createStatement()) {
            ensureRole(superuser, st, OWNER_ROLE, ownerPassword, "NOSUPERUSER NOBYPASSRLS NOCREATEROLE CREATEDB");
            ensureRole(superuser, st, APP_ROLE, appPassword, "NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB NOINHERIT");
            try (PreparedStatement ps = superuser.prepareStatement("select 1 from pg_database where datname = ?")) {
                ps.setString(1, DATABASE);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        st.execute("create database " + DATABASE + " owner " + OWNER_ROLE + " encoding 'UTF8'");
                    }
                }
            }
            st.execute("revoke all on database " + DATABASE + " from public");
            st.execute("grant connect, temporary on database " + DATABASE + " to " + APP_ROLE);
        }
    }

    private static void ensureRole(Connection c, Statement st, String role, String password, String attributes)
            throws SQLException {
        boolean exists;
        try (PreparedStatement ps = c.prepareStatement("select 1 from pg_roles where rolname = ?")) {
            ps.setString(1, role);
            try (ResultSet rs = ps.executeQuery()) {
                exists = rs.next();
            }
        }
        String quoted = "'" + password.replace("'", "''") + "'";
        st.execute((exists ? "alter" : "create") + " role " + role + " with LOGIN " + attributes + " PASSWORD " + quoted);
    }
}
