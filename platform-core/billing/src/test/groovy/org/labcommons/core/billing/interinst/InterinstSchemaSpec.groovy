package org.labcommons.core.billing.interinst

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

/** The tables between institutions and of disbursement (V43) keep the tenancy rules of the schema gate. */
@Tag('integration')
@MicronautTest(transactional = false)
class InterinstSchemaSpec extends Specification implements SharedInfrastructure {

    @Inject SchemaMigrator migrator   // the schema is migrated before the gate looks at it
    @Shared Map<String, String> props = SharedDevStack.get().properties()

    def "V43's tables are tenant-owned and pass every rule of the gate"() {
        when:
        def owner = { DriverManager.getConnection(props['labcommons.db.url'], props['labcommons.db.owner-user'], props['labcommons.db.owner-password']) }
        List<String> violations = owner().withCloseable { SchemaGate.violations(it, 'public', props['labcommons.db.user']) }
        List<String> tenantTables = owner().withCloseable { SchemaGate.tenantTables(it, 'public') }

        then:
        violations == []
        tenantTables.containsAll(['interinst_payable', 'netting_run', 'netting_pair', 'disbursement_share', 'disbursement_run',
                                  'disbursement_line'])
    }
}
