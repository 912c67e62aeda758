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

/**
 * Every billing migration's tables (V38 to V45) keep the tenancy rules of the schema gate (test-kit SchemaGate; the
 * gate reads the whole schema once); charge items and shares are append-only for every role. The ledger's own rules
 * are {@code LedgerDatabaseSpec}'s.
 */
@Tag('integration')
@MicronautTest(transactional = false)
class BillingSchemaSpec extends Specification implements SharedInfrastructure {

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
        'V38 ledger'           | ['ledger_account', 'ledger_period', 'ledger_transaction', 'ledger_entry']
        'V39 fee standards'    | ['fee_standard', 'fee_standard_step']
        'V40 charges'          | ['charge_policy', 'charge', 'charge_item', 'charge_share', 'charge_dispute']
        'V41 payers'           | ['payer_account', 'payer_member', 'deposit_hold', 'payer_policy']
        'V42 subsidies'        | ['subsidy_fund', 'subsidy_fund_share', 'subsidy_consumption', 'voucher_enterprise',
                                  'voucher_batch', 'voucher', 'voucher_year_use', 'voucher_claim']
        'V43 interinst'        | ['interinst_payable', 'netting_run', 'netting_pair', 'disbursement_share',
                                  'disbursement_run', 'disbursement_line']
        'V44 month close'      | ['month_close', 'month_close_statement', 'month_close_file']
        'V45 single settlement' | ['invoice_request']
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
