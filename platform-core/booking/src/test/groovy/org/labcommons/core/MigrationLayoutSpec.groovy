package org.labcommons.core

import org.flywaydb.core.Flyway
import org.flywaydb.core.api.MigrationInfo
import org.flywaydb.core.api.MigrationVersion
import org.labcommons.core.db.SchemaMigrator
import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.SharedInfrastructure
import spock.lang.Shared
import spock.lang.Specification

import java.nio.file.Files
import java.nio.file.Path
import java.sql.DriverManager
import java.util.zip.ZipInputStream

/**
 * Migrations moved from platform-core into the module that owns them (kernel, catalogue, booking) without
 * changing history. The test resources hold {@code platform-core-2e6c198-migrations.zip}: the migration files
 * exactly as the single platform-core module shipped them at commit 2e6c198 (V1 to V19). A database migrated
 * by that layout must start on the new code with nothing failed, nothing re-checksummed and only the
 * migrations written since as pending.
 */
class MigrationLayoutSpec extends Specification implements SharedInfrastructure {

    @Shared Map<String, String> props = SharedDevStack.get().properties()
    @Shared String database = 'layout_probe_' + UUID.randomUUID().toString().replace('-', '').substring(0, 8)
    @Shared String url
    @Shared Path oldFiles = Files.createTempDirectory('old-layout')

    def setupSpec() {
        SharedDevStack.get().postgres().superuserConnection().withCloseable {
            it.createStatement().execute("create database ${database} owner ${props['labcommons.db.owner-user']}".toString())
        }
        url = props['labcommons.db.url'].replaceFirst('/[^/?]+(\\?|$)', "/${database}\$1")
        new ZipInputStream(getClass().getResourceAsStream('/platform-core-2e6c198-migrations.zip')).withCloseable { zip ->
            for (def entry = zip.nextEntry; entry != null; entry = zip.nextEntry) {
                Files.copy(zip, oldFiles.resolve(entry.name))
            }
        }
    }

    def cleanupSpec() {
        SharedDevStack.get().postgres().superuserConnection().withCloseable {
            it.createStatement().execute("drop database if exists ${database} with (force)".toString())
        }
        oldFiles.toFile().deleteDir()
    }

    private Flyway oldLayout() {
        Flyway.configure().dataSource(url, props['labcommons.db.owner-user'], props['labcommons.db.owner-password'])
                .locations('filesystem:' + oldFiles)
                .placeholders([appRole: props['labcommons.db.user']])
                .load()
    }

    private Flyway newLayout() {
        SchemaMigrator.flyway(url, props['labcommons.db.owner-user'], props['labcommons.db.owner-password'], props['labcommons.db.user'])
    }

    /** The versions the new layout holds beyond the old layout's last (V19), in order: V20 on. */
    private List<String> writtenSince() {
        def last = MigrationVersion.fromVersion('19')
        newLayout().info().all()*.version.findAll { it > last }*.toString()
    }

    def "a database migrated by the single-module layout upgrades in place"() {
        given: 'a database migrated by the old layout, as a deployment of the previous release has it'
        def old = oldLayout().migrate()
        Map<String, Integer> oldChecksums = history()

        expect:
        old.success
        old.migrationsExecuted == 18
        old.targetSchemaVersion == '19'

        when: 'the new code looks at it'
        def before = newLayout().info()
        def validation = Flyway.configure().configuration(newLayout().configuration)
                .ignoreMigrationPatterns('*:pending').load().validateWithResult()   // V20 on are pending, as they should be

        then: 'every applied migration is found, with the same checksum, in the module that now holds it'
        validation.invalidMigrations.collect { "${it.version}: ${it.errorDetails.errorMessage}" } == []
        validation.validationSuccessful
        before.applied().every { !it.state.failed }
        writtenSince().take(2) == ['20', '21']
        before.pending()*.version*.toString() == writtenSince()

        when:
        def result = newLayout().migrate()

        then: 'only what was written since runs, and the old rows are untouched'
        result.success
        result.migrationsExecuted == writtenSince().size()
        newLayout().info().pending().length == 0
        newLayout().info().all().every { MigrationInfo m -> m.state.applied && !m.state.failed }
        history().findAll { it.key in oldChecksums.keySet() } == oldChecksums
        newLayout().validateWithResult().validationSuccessful
    }

    def "a new database gets the same schema history from the new layout"() {
        given:
        String fresh = database + '_new'
        SharedDevStack.get().postgres().superuserConnection().withCloseable {
            it.createStatement().execute("create database ${fresh} owner ${props['labcommons.db.owner-user']}".toString())
        }
        String freshUrl = url.replace("/${database}", "/${fresh}")

        when:
        def result = SchemaMigrator.flyway(freshUrl, props['labcommons.db.owner-user'], props['labcommons.db.owner-password'],
                props['labcommons.db.user']).migrate()
        def versions = result.migrations*.version

        then: 'the versions of the old layout, then the new ones, in one sequence'
        result.success
        versions == ['1', '2', '3', '4', '5', '6', '7', '8', '8.1', '9', '10', '11', '12', '13', '14', '15', '16', '19'] +
                writtenSince()
        writtenSince().take(2) == ['20', '21']

        cleanup:
        SharedDevStack.get().postgres().superuserConnection().withCloseable {
            it.createStatement().execute("drop database if exists ${fresh} with (force)".toString())
        }
    }

    private Map<String, Integer> history() {
        DriverManager.getConnection(url, props['labcommons.db.owner-user'], props['labcommons.db.owner-password']).withCloseable { c ->
            def rows = [:]
            c.createStatement().executeQuery('select version, checksum from flyway_schema_history where version is not null').withCloseable { rs ->
                while (rs.next()) {
                    rows[rs.getString(1)] = rs.getObject(2) as Integer
                }
            }
            rows
        }
    }
}
