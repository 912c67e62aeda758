package org.labcommons.core.billing

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

/** The month close's tables (V44) keep the tenancy rules of the schema gate (test-kit SchemaGate). */
@Tag('integration')
@MicronautTest(transactional = false)
class ClosingSchemaSpec extends Specification implements SharedInfrastructure {

    @Inject SchemaMigrator migrator   // the schema is migrated before the gate looks at it
    @Shared Map<String, String> props = SharedDevStack.get().properties()

    def "the month close tables are tenant-owned and pass every rule of the gate"() {
        when:
        def owner = { DriverManager.getConnection(props['labcommons.db.url'], props['labcommons.db.owner-user'], props['labcommons.db.owner-password']) }
        List<String> violations = owner().withCloseable { SchemaGate.violations(it, 'public', props['labcommons.db.user']) }
        List<String> tenantTables = owner().withCloseable { SchemaGate.tenantTables(it, 'public') }

        then:
        violations == []
        tenantTables.containsAll(['month_close', 'month_close_statement', 'month_close_file'])
    }
}
