package org.labcommons.core.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * The store's list statement: the ids of one page of instruments matching an {@link InstrumentQuery},
 * in its order, and how many match. Plain JDBC on the caller's tenant-bound connection, because a
 * repository cannot express it: the WHERE clause is assembled from a dozen optional filters and the
 * ORDER BY column and direction come from the query ({@link InstrumentQuery#SORTS}, a fixed table),
 * so the sort can use the {@code (tenant_id, column)} indexes. Every value is a bound parameter.
 * The rows and their children are read through {@link InstrumentRows}. Stateless; {@link InstrumentRecords}
 * holds one.
 */
public final class InstrumentPageRows {

    /** The ids of a page, in the query's order, and the count of all matches. */
    public record IdPage(List<UUID> ids, long total) {
    }

    IdPage page(Connection c, InstrumentQuery query) throws SQLException {
        List<Object> params = new ArrayList<>();
        String where = where(query, params);
        long total;
        try (PreparedStatement ps = c.prepareStatement("select count(*) from instrument where " + where)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
            }
        }
        String order = InstrumentQuery.SORTS.get(query.sort()) + (query.descending() ? " desc nulls last" : " asc nulls last");
        List<UUID> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select id from instrument where " + where
                + " order by " + order + ", id limit ? offset ?")) {
            params.add(query.limit());
            params.add(query.offset());
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return new IdPage(ids, total);
    }

    private static String where(InstrumentQuery q, List<Object> params) {
        StringBuilder w = new StringBuilder("true");
        if (!q.includeArchived()) {
            w.append(" and archived_at is null");
        }
        if (q.q() != null) {
            w.append(" and (strpos(lower(name_zh), ?) > 0 or strpos(lower(name_en), ?) > 0 "
                    + "or strpos(lower(asset_number), ?) > 0 or strpos(lower(coalesce(model, '')), ?) > 0 "
                    + "or strpos(lower(coalesce(manufacturer, '')), ?) > 0)");
            params.addAll(Collections.nCopies(5, q.q()));
        }
        equal(w, params, "status", q.status());
        equal(w, params, "sharing_scope", q.sharingScope());
        if (q.scopes() != null) {
            if (q.scopes().isEmpty()) {
                w.append(" and false");
            } else {
                w.append(" and sharing_scope in (").append(String.join(", ", Collections.nCopies(q.scopes().size(), "?")))
                        .append(")");
                params.addAll(q.scopes());
            }
        }
        privateOf(w, params, q.privateOf());
        if (q.classification() != null) {
            String code = q.classification();
            String prefix = code.endsWith("0000") ? code.substring(0, 2) : code.endsWith("00") ? code.substring(0, 4) : code;
            w.append(" and classification_code like ?");
            params.add(prefix + "%");
        }
        if (q.orgUnitId() != null) {
            w.append(" and org_unit_id in (with recursive sub(id) as (select ?::uuid union all "
                    + "select o.id from org_unit o join sub on o.parent_id = sub.id) select id from sub)");
            params.add(q.orgUnitId());
        }
        if (q.minValueFen() != null) {
            w.append(" and original_value_fen >= ?");
            params.add(q.minValueFen());
        }
        if (q.maxValueFen() != null) {
            w.append(" and original_value_fen <= ?");
            params.add(q.maxValueFen());
        }
        equal(w, params, "requires_iot", q.requiresIot());
        if (q.stale() != null) {
            w.append(q.stale() ? " and stale_since is not null" : " and stale_since is null");
        }
        if (q.flag() != null) {
            w.append(" and ").append(InstrumentQuery.FLAGS.get(q.flag()));
        }
        return w.toString();
    }

    /**
     * Private records only of the instruments the caller manages ({@link ManagedInstruments}): those
     * named, and those of the named units and every unit below them (the unit tree walked down from
     * {@code parent_id}, as the {@code orgUnitId} filter walks it).
     */
    private static void privateOf(StringBuilder w, List<Object> params, ManagedInstruments managed) {
        if (managed == null || managed.all()) {
            return;
        }
        w.append(" and (sharing_scope <> 'private'");
        if (!managed.instruments().isEmpty()) {
            w.append(" or id in (").append(placeholders(managed.instruments().size())).append(")");
            params.addAll(managed.instruments());
        }
        if (!managed.units().isEmpty()) {
            w.append(" or org_unit_id in (with recursive sub(id) as (select o.id from org_unit o where o.id in (")
                    .append(placeholders(managed.units().size())).append(") union "
                            + "select o.id from org_unit o join sub on o.parent_id = sub.id) select id from sub)");
            params.addAll(managed.units());
        }
        w.append(")");
    }

    private static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    private static void equal(StringBuilder w, List<Object> params, String column, Object value) {
        if (value != null) {
            w.append(" and ").append(column).append(" = ?");
            params.add(value);
        }
    }

    private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
    }
}
