package org.labcommons.core.health;

import io.micronaut.context.annotation.Requires;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

/** The system of record: reachable as the runtime role, and at which schema version. */
@Singleton
@Requires(beans = DataSource.class)
public class DatabaseHealthIndicator extends ProbeHealthIndicator {
    private final DataSource dataSource;

    public DatabaseHealthIndicator(DataSource dataSource) {
        super("database");
        // the pool itself, not the transaction-aware proxy: health checks run outside transactions
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
    }

    @Override
    protected boolean probe(Map<String, Object> details) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.setQueryTimeout(3);
            try (ResultSet rs = st.executeQuery("select current_user, current_setting('server_version'), "
                    + "(select max(version) from flyway_schema_history where success)")) {
                rs.next();
                details.put("role", rs.getString(1));
                details.put("version", rs.getString(2));
                details.put("schemaVersion", rs.getString(3));
            }
        }
        return true;
    }
}
