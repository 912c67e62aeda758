package org.labcommons.devstack.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.labcommons.devstack.FreePorts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/**
 * Real PostgreSQL 17 (zonky's embedded binaries) with the two roles the platform expects:
 * an owner that runs migrations and a runtime role that owns nothing and is neither superuser
 * nor BYPASSRLS, so Row Level Security applies to every query the application makes.
 */
public final class EmbeddedPostgresService extends PostgresService {
    public static final String DATABASE = DatabaseRoles.DATABASE;
    public static final String OWNER_ROLE = DatabaseRoles.OWNER_ROLE;
    public static final String APP_ROLE = DatabaseRoles.APP_ROLE;
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresService.class);

    private final Path dataDir;
    private final int requestedPort;
    private final boolean keepData;
    private EmbeddedPostgres postgres;
    private int port;

    /**
     * @param dataDir       where the cluster lives
     * @param port          fixed port, or 0 for a free one
     * @param keepData      true in dev mode (data survives restarts), false for tests
     * @param ownerPassword password of the migration owner role
     * @param appPassword   password of the runtime role
     */
    public EmbeddedPostgresService(Path dataDir, int port, boolean keepData, String ownerPassword, String appPassword) {
        super(ownerPassword, appPassword);
        this.dataDir = dataDir;
        this.requestedPort = port;
        this.keepData = keepData;
    }

    /**
     * Starts the cluster. A start after {@link #stop()} (a restart of this instance) reuses the port of the first
     * start and keeps the data, so clients reconnect to what they had (the interlock's fault specifications).
     * Without {@code keepData} the first start begins with an empty directory and {@link #close()} removes it.
     */
    @Override
    public synchronized void start() throws Exception {
        if (postgres != null) {
            return;   // running already
        }
        boolean restart = port != 0;
        if (!restart) {
            if (!keepData) {
                deleteDataDir();
            }
            port = FreePorts.pick(requestedPort);
        }
        Files.createDirectories(dataDir);
        postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setPort(port)
                .setServerConfig("max_connections", "300")
                .setServerConfig("shared_buffers", "128MB")
                .setServerConfig("fsync", keepData ? "on" : "off")
                .setServerConfig("synchronous_commit", keepData ? "on" : "off")
                .setServerConfig("full_page_writes", keepData ? "on" : "off")
                .setServerConfig("timezone", "UTC")
                .setLocaleConfig("encoding", "UTF8")
                .setLocaleConfig("locale", "C.UTF-8")
                .start();
        provisionRoles();
        LOG.info("PostgreSQL ready on port {} (data in {})", port, dataDir);
    }

    private void provisionRoles() throws SQLException {
        try (Connection c = DriverManager.getConnection(superuserUrl("postgres"), "postgres", "postgres")) {
            provisionRoles(c);
        }
    }

    private String superuserUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    @Override
    public String jdbcUrl() {
        return superuserUrl(DATABASE);
    }

    /** A superuser connection to the platform database, for tests that inspect the catalogue. */
    public Connection superuserConnection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "postgres", "postgres");
    }

    @Override
    public Map<String, String> endpoints() {
        return Map.of("postgresql", jdbcUrl() + " (app role " + APP_ROLE + ", owner " + OWNER_ROLE + ")");
    }

    /** Stops the server and keeps its data: {@link #start()} brings it back on the same port. */
    public synchronized void stop() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (Exception e) {
                LOG.warn("PostgreSQL did not stop cleanly", e);
            }
            postgres = null;
        }
    }

    /** Stops the server; without {@code keepData} its data directory is removed. */
    @Override
    public synchronized void close() {
        stop();
        if (!keepData) {
            deleteDataDir();
        }
    }

    private void deleteDataDir() {
        if (!Files.exists(dataDir)) {
            return;
        }
        try (var paths = Files.walk(dataDir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            LOG.warn("could not remove {}: {}", dataDir, e.toString());
        }
    }
}
