package org.labcommons.devstack.containers;

import org.labcommons.devstack.InfraService;
import org.labcommons.devstack.postgres.DatabaseRoles;
import org.testcontainers.containers.PostgreSQLContainer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;

/** PostgreSQL 17 as a Testcontainers container, with the same roles as the embedded one. */
final class ContainerPostgres implements InfraService {
    private final String ownerPassword;
    private final String appPassword;
    private PostgreSQLContainer<?> container;

    ContainerPostgres(String ownerPassword, String appPassword) {
        this.ownerPassword = ownerPassword;
        this.appPassword = appPassword;
    }

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public void start() throws Exception {
        container = new PostgreSQLContainer<>("postgres:17-alpine").withDatabaseName("postgres");
        container.start();
        try (Connection c = DriverManager.getConnection(container.getJdbcUrl(), container.getUsername(), container.getPassword())) {
            DatabaseRoles.provision(c, ownerPassword, appPassword);
        }
    }

    private String url() {
        return "jdbc:postgresql://" + container.getHost() + ":" + container.getMappedPort(5432) + "/" + DatabaseRoles.DATABASE;
    }

    @Override
    public Map<String, String> properties() {
        return DatabaseRoles.properties(url(), ownerPassword, appPassword);
    }

    @Override
    public void close() {
        if (container != null) {
            container.stop();
            container = null;
        }
    }
}
