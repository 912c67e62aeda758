package org.labcommons.core.directory;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The figures of one tenant that the consortium overview shows beside its name (the front page, "my
 * account"). The kernel knows tenants, not what they own: a domain module provides this port (the
 * catalogue counts instruments and their value); without one, every tenant shows zeros.
 */
public interface TenantFigures {

    /** What a tenant holds: items in its register and their total original value in fen. */
    record Figures(long items, long totalValueFen) {
        public static final Figures NONE = new Figures(0, 0);
    }

    /** Reads the figures of the tenant bound to {@code connection}'s transaction (RLS limits it to that tenant). */
    Figures read(Connection connection) throws SQLException;
}
