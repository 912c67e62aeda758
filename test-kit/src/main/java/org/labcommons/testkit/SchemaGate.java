package org.labcommons.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The tenancy rules of the schema, checked against the live catalogue of a migrated database.
 * Every later migration is held to them without anyone writing a new test:
 * <ol>
 *   <li>a table with a {@code tenant_id} column has Row Level Security ENABLED and FORCED and at
 *       least one policy;</li>
 *   <li>every index (primary key and unique constraints included) on such a table starts with
 *       {@code tenant_id};</li>
 *   <li>every view is {@code security_invoker};</li>
 *   <li>no policy, column default or function other than {@code app_tenant()} reads
 *       {@code app.tenant_id} itself: the bound tenant is written once, as {@code app_tenant()};</li>
 *   <li>every SECURITY DEFINER function is on the reviewed list
 *       ({@code reviewed-security-definer.txt} beside this class: one {@code name(argtypes)} a line);</li>
 *   <li>the runtime role is not superuser, BYPASSRLS, CREATEROLE, CREATEDB or REPLICATION, owns
 *       nothing and is a member of no role.</li>
 * </ol>
 */
public final class SchemaGate {
    private SchemaGate() {
    }

    /** The reviewed SECURITY DEFINER functions, as {@code name(argument types)}. */
    public static Set<String> reviewedSecurityDefiners() {
        Set<String> out = new TreeSet<>();
        try (InputStream in = SchemaGate.class.getResourceAsStream("reviewed-security-definer.txt")) {
            if (in == null) {
                return out;
            }
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Every violation in {@code schema}, as readable sentences; empty when the schema is sound. */
    public static List<String> violations(Connection c, String schema, String runtimeRole) throws SQLException {
        List<String> out = new ArrayList<>();
        query(c, """
                select cl.relname, cl.relrowsecurity, cl.relforcerowsecurity,
                       (select count(*) from pg_policy p where p.polrelid = cl.oid)
                from pg_class cl
                join pg_namespace n on n.oid = cl.relnamespace
                where n.nspname = ? and cl.relkind in ('r', 'p')
                  and exists (select 1 from pg_attribute a where a.attrelid = cl.oid and a.attname = 'tenant_id'
                              and not a.attisdropped)
                order by 1""", schema, rs -> {
            String table = rs(rs, 1);
            if (!bool(rs, 2)) {
                out.add("table " + table + " has tenant_id but row level security is not enabled");
            }
            if (!bool(rs, 3)) {
                out.add("table " + table + " has tenant_id but row level security is not forced");
            }
            if (lng(rs, 4) == 0) {
                out.add("table " + table + " has tenant_id but no policy");
            }
        });
        query(c, """
                select t.relname, i.relname,
                       (select a.attname from pg_attribute a where a.attrelid = t.oid and a.attnum = x.indkey[0])
                from pg_index x
                join pg_class i on i.oid = x.indexrelid
                join pg_class t on t.oid = x.indrelid
                join pg_namespace n on n.oid = t.relnamespace
                where n.nspname = ?
                  and exists (select 1 from pg_attribute a where a.attrelid = t.oid and a.attname = 'tenant_id'
                              and not a.attisdropped)
                order by 1, 2""", schema, rs -> {
            String first = rs(rs, 3);
            if (!"tenant_id".equals(first)) {
                out.add("index " + rs(rs, 2) + " on " + rs(rs, 1) + " does not start with tenant_id (starts with "
                        + (first == null ? "an expression" : first) + ")");
            }
        });
        query(c, """
                select cl.relname from pg_class cl join pg_namespace n on n.oid = cl.relnamespace
                where n.nspname = ? and cl.relkind in ('v', 'm')
                  and not coalesce('security_invoker=true' = any (cl.reloptions)
                                   or 'security_invoker=on' = any (cl.reloptions), false)
                order by 1""", schema, rs -> out.add("view " + rs(rs, 1) + " is not security_invoker"));
        query(c, """
                select 'policy ' || policyname || ' on ' || tablename from pg_policies
                where schemaname = ? and (coalesce(qual, '') || coalesce(with_check, '')) like '%app.tenant_id%'
                union all
                select 'default of ' || table_name || '.' || column_name from information_schema.columns
                where table_schema = ? and column_default like '%app.tenant_id%'
                union all
                select 'function ' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'
                from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                where n.nspname = ? and p.proname <> 'app_tenant'
                  and coalesce(p.prosrc, '') || coalesce(pg_get_function_sqlbody(p.oid), '') like '%app.tenant_id%'
                order by 1""", new Object[]{schema, schema, schema},
                rs -> out.add(rs(rs, 1) + " reads app.tenant_id itself instead of calling app_tenant()"));
        Set<String> reviewed = reviewedSecurityDefiners();
        query(c, """
                select p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'
                from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                where n.nspname = ? and p.prosecdef order by 1""", schema, rs -> {
            String signature = rs(rs, 1);
            if (!reviewed.contains(signature)) {
                out.add("function " + signature + " is SECURITY DEFINER but not on the reviewed list");
            }
        });
        query(c, """
                select r.rolsuper, r.rolbypassrls, r.rolcreaterole, r.rolcreatedb, r.rolreplication,
                       (select count(*) from pg_class cl where cl.relowner = r.oid)
                     + (select count(*) from pg_proc p where p.proowner = r.oid)
                     + (select count(*) from pg_namespace ns where ns.nspowner = r.oid),
                       (select count(*) from pg_auth_members m where m.member = r.oid)
                from pg_roles r where r.rolname = ?""", runtimeRole, rs -> {
            String[] names = {"superuser", "BYPASSRLS", "CREATEROLE", "CREATEDB", "REPLICATION"};
            for (int i = 0; i < names.length; i++) {
                if (bool(rs, i + 1)) {
                    out.add("runtime role " + runtimeRole + " has " + names[i]);
                }
            }
            if (lng(rs, 6) > 0) {
                out.add("runtime role " + runtimeRole + " owns " + lng(rs, 6) + " object(s)");
            }
            if (lng(rs, 7) > 0) {
                out.add("runtime role " + runtimeRole + " is a member of " + lng(rs, 7) + " role(s)");
            }
        });
        return out;
    }

    /** Tables that hold tenant data (have a tenant_id column), for reporting. */
    public static List<String> tenantTables(Connection c, String schema) throws SQLException {
        List<String> out = new ArrayList<>();
        query(c, """
                select cl.relname from pg_class cl join pg_namespace n on n.oid = cl.relnamespace
                where n.nspname = ? and cl.relkind in ('r', 'p')
                  and exists (select 1 from pg_attribute a where a.attrelid = cl.oid and a.attname = 'tenant_id'
                              and not a.attisdropped)
                order by 1""", schema, rs -> out.add(rs(rs, 1)));
        return out;
    }

    private interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    private static void query(Connection c, String sql, String param, Row row) throws SQLException {
        query(c, sql, new Object[]{param}, row);
    }

    private static void query(Connection c, String sql, Object[] params, Row row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    row.accept(rs);
                }
            }
        }
    }

    private static String rs(ResultSet rs, int i) throws SQLException {
        return rs.getString(i);
    }

    private static boolean bool(ResultSet rs, int i) throws SQLException {
        return rs.getBoolean(i);
    }

    private static long lng(ResultSet rs, int i) throws SQLException {
        return rs.getLong(i);
    }
}
