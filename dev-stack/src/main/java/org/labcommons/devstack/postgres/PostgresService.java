package org.labcommons.devstack.postgres;

import org.labcommons.devstack.InfraService;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * PostgreSQL with the platform's database and two roles ({@link DatabaseRoles}), however it runs
 * (embedded binaries or a container): the application's properties point at {@link #jdbcUrl()}.
 */
public abstract class PostgresService implements InfraService {
    private final String ownerPassword;
    private final String appPassword;

    protected PostgresService(String ownerPassword, String appPassword) {
        this.ownerPassword = ownerPassword;
        this.appPassword = appPassword;
    }

    @Override
    public final String name() {
        return "postgresql";
    }

    /** JDBC URL of the platform database (valid after {@link #start()}). */
    public abstract String jdbcUrl();

    /** Creates the platform database and its roles, through a superuser connection. */
    protected final void provisionRoles(Connection superuser) throws SQLException {
        DatabaseRoles.provision(superuser, ownerPassword, appPassword);
    }

    @Override
    public Map<String, String> properties() {
        return DatabaseRoles.properties(jdbcUrl(), ownerPassword, appPassword);
    }
}
