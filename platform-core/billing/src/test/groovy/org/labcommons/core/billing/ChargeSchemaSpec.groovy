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
import java.sql.SQLException

/** The charges' tables (V40) keep the tenancy rules of the schema gate; items and shares are append-only for every role. */
@Tag('integration')
@MicronautTest(transactional = false)
class ChargeSchemaSpec extends Specification implements SharedInfrastructure {

    @Inject SchemaMigrator migrator   // the schema is migrated before the gate looks at it
    @Shared Map<String, String> props = SharedDevStack.get().properties()

    def owner() {
        DriverManager.getConnection(props['labcommons.db.url'], props['labcommons.db.owner-user'], props['labcommons.db.owner-password'])
    }

    def "the charge tables are tenant-owned and pass every rule of the gate"() {
        when:
        List<String> violations = owner().withCloseable { SchemaGate.violations(it, 'public', props['labcommons.db.user']) }
        List<String> tenantTables = owner().withCloseable { SchemaGate.tenantTables(it, 'public') }

        then:
        violations == []
        tenantTables.containsAll(['charge_policy', 'charge', 'charge_item', 'charge_share', 'charge_dispute'])
    }

    def "no role updates or deletes an item or a share: the owner meets the trigger (CH001), the runtime role has no grant"() {
        when:
        def states = ['update charge_item set delta_fen = 0', 'delete from charge_item', 'truncate charge_item',
                      'update charge_share set amount_fen = 0', 'delete from charge_share'].collect { sql ->
            owner().withCloseable { c ->
                try {
                    c.createStatement().execute(sql + (sql.startsWith('truncate') ? '' : ' where true'))
                    'ok'
                } catch (SQLException e) {
                    e.SQLState
                }
            }
        }
        def app = DriverManager.getConnection(props['labcommons.db.url'], props['labcommons.db.user'], props['labcommons.db.password']).withCloseable { c ->
            try {
                c.createStatement().execute('update charge_item set delta_fen = 0 where true')
                'ok'
            } catch (SQLException e) {
                e.SQLState
            }
        }

        then:
        states == ['CH001'] * 5 || states.every { it == 'CH001' }
        app == '42501'
    }
}
