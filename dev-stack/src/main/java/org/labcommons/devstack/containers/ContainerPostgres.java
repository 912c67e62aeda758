package org.labcommons.devstack.containers;

import org.labcommons.devstack.postgres.DatabaseRoles;
import org.labcommons.devstack.postgres.PostgresService;
import org.testcontainers.containers.PostgreSQLContainer;

import java.sql.Connection;
import java.sql.DriverManager;

/** PostgreSQL 17 as a Testcontainers container, with the same roles as the embedded one. */
final class ContainerPostgres extends PostgresService {
    private PostgreSQLContainer<?> container;

    ContainerPostgres(String ownerPassword, String appPassword) {
        super(ownerPassword, appPassword);
    }

    @Override
    public void start() throws Exception {
        container = new PostgreSQLContainer<>("postgres:17-alpine").withDatabaseName("postgres");
        container.start();
        try (Connection c = DriverManager.getConnection(container.getJdbcUrl(), container.getUsername(), container.getPassword())) {
            provisionRoles(c);
        }
    }

    @Override
    public String jdbcUrl() {
        return "jdbc:postgresql://" + container.getHost() + ":" + container.getMappedPort(5432) + "/" + DatabaseRoles.DATABASE;
    }

    @Override
    public void close() {
        if (container != null) {
            container.stop();
            container = null;
        }
    }
}
