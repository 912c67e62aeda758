package org.labcommons.core.reports.evaluation

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
 * The evaluation's migrations (V48 schemes, V49 runs, scores, entered figures, explanation tasks) keep the tenancy rules
 * of the schema gate (test-kit SchemaGate); a published run's scores are guarded by a trigger (the behaviour is
 * EvaluationApiSpec's).
 */
@Tag('integration')
@MicronautTest(transactional = false)
class EvaluationSchemaSpec extends Specification implements SharedInfrastructure {

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
        migration              | tables
        'V48 evaluation schemes' | ['evaluation_scheme', 'evaluation_group', 'evaluation_item']
        'V49 evaluation runs'    | ['evaluation_run', 'evaluation_score', 'evaluation_figure', 'evaluation_explanation']
    }

    def "a published run's scores are frozen: the owner meets the trigger (EV001) on update and delete"() {
        expect: "the trigger exists on evaluation_score"
        owner().withCloseable { c ->
            def rs = c.createStatement().executeQuery("select count(*) from pg_trigger where tgname = 'evaluation_score_frozen'")
            rs.next()
            rs.getInt(1) == 1
        }
    }
}

