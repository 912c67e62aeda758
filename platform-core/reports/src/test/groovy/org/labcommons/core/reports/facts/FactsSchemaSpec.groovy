package org.labcommons.core.reports.facts

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

/**
 * The facts' migrations (V46, V47) keep the tenancy rules of the schema gate; the members' aggregates function
 * answers only for the tenant bound to the transaction (another scope gets nothing but a zero total).
 */
@Tag('integration')
@MicronautTest(transactional = false)
class FactsSchemaSpec extends Specification implements SharedInfrastructure {

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

    def "V46: the rollups are tenant-owned tables under the gate"() {
        expect:
        tenantTables.containsAll(['fact_source', 'fact_day', 'fact_month', 'fact_month_user', 'fact_month_project',
                                  'fact_month_trainee'])
    }

    def "V47: facts_member_aggregates answers nothing for a scope other than the bound tenant"() {
        given:
        UUID bound = UUID.randomUUID()
        UUID asked = UUID.randomUUID()

        when:
        def rows = DriverManager.getConnection(props['labcommons.db.url'], props['labcommons.db.user'], props['labcommons.db.password']).withCloseable { c ->
            c.autoCommit = false
            c.prepareStatement("select set_config('app.tenant_id', '${bound}', true)").execute()
            def rs = c.prepareStatement("select tenant_id, effective_min, distinct_users from facts_member_aggregates('${asked}', date '2000-01-01', date '2100-01-01')").executeQuery()
            def out = []
            while (rs.next()) {
                out << [rs.getObject(1), rs.getLong(2), rs.getLong(3)]
            }
            c.rollback()
            out
        }

        then:
        rows == [[null, 0L, 0L]]
    }
}
