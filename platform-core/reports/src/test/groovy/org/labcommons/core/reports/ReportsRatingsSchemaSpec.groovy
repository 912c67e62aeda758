package org.labcommons.core.reports

import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import org.labcommons.core.db.SchemaMigrator
import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.SchemaGate
import org.labcommons.testkit.SharedInfrastructure
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Tag

import java.sql.DriverManager
import java.sql.SQLException

/**
 * The ratings' and outputs' migrations (V50, V51) keep the tenancy rules of the schema gate (test-kit SchemaGate); a
 * rating's versions are append-only for the runtime role.
 */
@Tag('integration')
@MicronautTest(transactional = false)
class ReportsRatingsSchemaSpec extends Specification implements SharedInfrastructure {

    @Inject SchemaMigrator migrator   // the schema is migrated before the gate looks at it
    @Shared Map<String, String> props = SharedDevStack.get().properties()
    @Shared List<String> violations
    @Shared List<String> tenantTables

    def owner() {
        DriverManager.getConnection(props['labcommons.db.url'], props['labcommons.db.owner-user'], props['labcommons.db.owner-password'])
    }

    def setup() {
        if (violations == null) {
            violations = owner().withCloseable { SchemaGate.violations(it, 'public', props['labcommons.db.user']) }
            tenantTables = owner().withCloseable { SchemaGate.tenantTables(it, 'public') }
        }
    }

    def "no table of the schema breaks a rule of the gate"() {
        expect:
        violations == []
    }

    def "#migration: #tables are tenant-owned tables under the gate"() {
        expect:
        tenantTables.containsAll(tables)

        where:
        migration     | tables
        'V50 ratings' | ['rating', 'rating_version', 'rating_reply']
        'V51 outputs' | ['research_output', 'research_output_instrument']
    }

    def "the runtime role neither updates nor deletes a rating's versions"() {
        when:
        def states = ['update rating_version set score = 1 where true', 'delete from rating_version where true',
                      'delete from rating where true'].collect { sql ->
            DriverManager.getConnection(props['labcommons.db.url'], props['labcommons.db.user'], props['labcommons.db.password']).withCloseable { c ->
                try {
                    c.createStatement().execute(sql)
                    'ok'
                } catch (SQLException e) {
                    e.SQLState
                }
            }
        }

        then:
        states == ['42501', '42501', '42501']
    }
}
