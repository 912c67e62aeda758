package org.labcommons.core.db;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PostConstruct;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Migrates the schema at start-up, connected as the owner role, before any other bean uses the
 * database. Flyway is driven here rather than through micronaut-flyway because micronaut-flyway
 * migrates through the application's datasource, which connects as the runtime role: that role
 * must own nothing.
 */
@Context
@Requires(property = "labcommons.db.migrate", notEquals = "false")
public class SchemaMigrator {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);
    private final DatabaseSettings settings;
    private MigrateResult result;

    public SchemaMigrator(DatabaseSettings settings) {
        this.settings = settings;
    }

    @PostConstruct
    void migrate() {
        if (settings.getOwnerUser() == null) {
            throw new IllegalStateException("labcommons.db.migrate is on but labcommons.db.owner-user is not set "
                    + "(LABCOMMONS_DB_OWNER_USER); set it, or set LABCOMMONS_DB_MIGRATE=false");
        }
        result = flyway(settings.getUrl(), settings.getOwnerUser(), settings.getOwnerPassword(), settings.getUser()).migrate();
        LOG.info("schema at version {} ({} migrations applied)", result.targetSchemaVersion, result.migrationsExecuted);
    }

    /**
     * The schema's Flyway, as the application runs it: every module's migrations, found under
     * {@code db/migration} in each module's jar (kernel, catalogue, booking, ...), one version sequence.
     */
    public static Flyway flyway(String url, String ownerUser, String ownerPassword, String appRole) {
        return Flyway.configure()
                .dataSource(url, ownerUser, ownerPassword)
                .locations("classpath:db/migration")
                .placeholders(Map.of("appRole", appRole))
                .validateMigrationNaming(true)
                .load();
    }

    public MigrateResult result() {
        return result;
    }
}
