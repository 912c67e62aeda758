package org.labcommons.core.db;

import java.sql.SQLException;

/**
 * PostgreSQL's answer to a failed statement, found in an exception's causes: a repository wraps the
 * driver's {@link SQLException} in a {@code DataAccessException}, plain JDBC throws it as it is.
 */
public final class SqlStates {
    /** A unique or exclusion key was taken (unique_violation). */
    public static final String UNIQUE_VIOLATION = "23505";
    /** Row Level Security or a missing privilege refused the statement (insufficient_privilege). */
    public static final String INSUFFICIENT_PRIVILEGE = "42501";

    private SqlStates() {
    }

    /** Whether {@code failure} or one of its causes is an {@link SQLException} with {@code state}. */
    public static boolean causedBy(Throwable failure, String state) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && state.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
