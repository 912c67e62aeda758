package org.labcommons.core.billing.ledger

import jakarta.inject.Inject
import org.labcommons.core.tenancy.TenantId
import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.SchemaGate
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import java.sql.Connection
import java.sql.SQLException
import java.time.Clock
import java.time.Instant
import java.time.YearMonth
import java.time.ZoneOffset

/**
 * What V38 enforces whoever writes: the ledger's tables pass the schema gate, and the runtime role's direct SQL
 * (UPDATE, DELETE, an unbalanced or one-line transaction, a posting into a closed period, reopening a period, changing
 * an account's code) fails with a clear error; the owner cannot change the journal either.
 */
class LedgerDatabaseSpec extends PlatformSpec {
    @Inject Ledger ledger
    @Inject LedgerClock clock

    @Shared TenantId tenant
    @Shared Posted posted
    @Shared UUID receivable
    @Shared UUID revenue

    def setup() {
        if (tenant != null) {
            return
        }
        def world = TenantWorld.build(ctx) { institution('ledger-sql') }
        tenant = new TenantId(world.tenant('ledger-sql').id)
        receivable = ledger.ensureAccount(tenant, new NewAccount('1122.project.sql', 'asset', '项目', 'Project', 'project', UUID.randomUUID())).id()
        revenue = ledger.ensureAccount(tenant, new NewAccount('6001.lab.sql', 'revenue', '实验室', 'Lab', null, null)).id()
        clock.set(Clock.fixed(Instant.parse('2032-01-15T02:00:00Z'), ZoneOffset.UTC))
        try {
            ledger.post(tenant, new NewTransaction('sql-jan', 'charge', null, null, null, 'spec',
                    [new Line('1122.project.sql', 1_000), new Line('6001.lab.sql', -1_000)]))
            clock.set(Clock.fixed(Instant.parse('2032-02-15T02:00:00Z'), ZoneOffset.UTC))
            ledger.closePeriod(tenant, YearMonth.of(2032, 1), 'finance')
            posted = ledger.post(tenant, new NewTransaction('sql-feb', 'charge', null, null, null, 'spec',
                    [new Line('1122.project.sql', 2_000), new Line('6001.lab.sql', -2_000)]))
        } finally {
            clock.set(null)
        }
    }

    /** Runs {@code sql} (statements separated by ';') in one transaction of {@code c} with the tenant bound; the error it meets. */
    SQLException attempt(Connection c, String sql) {
        c.withCloseable {
            c.autoCommit = false
            try {
                c.prepareStatement("select set_config('app.tenant_id', ?, true)").withCloseable { ps ->
                    ps.setString(1, tenant.toString()); ps.executeQuery().close()
                }
                c.createStatement().withCloseable { it.execute(sql) }
                c.commit()
                return null
            } catch (SQLException e) {
                c.rollback()
                return e
            }
        }
    }

    String newTransaction(String period, String key) {
        "insert into ledger_transaction (tenant_id, id, idempotency_key, period, posted_at, kind, actor) " +
                "values (app_tenant(), '${UUID.randomUUID()}', '${key}', '${period}', now(), 'charge', 'sql')"
    }

    String entry(String line, UUID account, long fen, String tx = "(select id from ledger_transaction where idempotency_key = 'k')") {
        "insert into ledger_entry (tenant_id, transaction_id, line, account_id, amount_fen) values (app_tenant(), ${tx}, ${line}, '${account}', ${fen})"
    }

    def "the ledger's tables are tenant-owned and pass every rule of the schema gate"() {
        when:
        def props = SharedDevStack.get().properties()
        List<String> violations = ownerConnection().withCloseable { SchemaGate.violations(it, 'public', props['labcommons.db.user']) }
        List<String> tenantTables = ownerConnection().withCloseable { SchemaGate.tenantTables(it, 'public') }

        then:
        violations == []
        tenantTables.containsAll(['ledger_account', 'ledger_period', 'ledger_transaction', 'ledger_entry'])
    }

    /** The direct SQL a feature attempts, by name (built here: a where block cannot reach the shared fixture). */
    String sql(String name) {
        switch (name) {
            case 'update entry': return "update ledger_entry set amount_fen = 1 where amount_fen = 2000"
            case 'delete entries': return "delete from ledger_entry"
            case 'update transaction': return "update ledger_transaction set memo = 'changed'"
            case 'delete transactions': return "delete from ledger_transaction"
            case 'truncate entries': return "truncate ledger_entry"
            case 'delete periods': return "delete from ledger_period"
            case 'update account code': return "update ledger_account set code = '1122.project.other' where code = '1122.project.sql'"
            case 'double entries': return "update ledger_entry set amount_fen = amount_fen * 2"
            case 'delete february': return "delete from ledger_transaction where idempotency_key = 'sql-feb'"
            case 'move account': return "update ledger_account set code = '1122.project.moved' where code = '1122.project.sql'"
            case 'unbalanced': return "${newTransaction('2032-02', 'k')}; ${entry('1', receivable, 500)}; ${entry('2', revenue, -499)}"
            case 'one line': return "${newTransaction('2032-02', 'k')}; ${entry('1', receivable, 500)}"
            case 'no lines': return newTransaction('2032-02', 'k')
            case 'into closed': return "${newTransaction('2032-01', 'k')}; ${entry('1', receivable, 5)}; ${entry('2', revenue, -5)}"
            case 'before closed': return "${newTransaction('2031-12', 'k')}; ${entry('1', receivable, 5)}; ${entry('2', revenue, -5)}"
            case 'entry into closed': return "${entry('3', receivable, 5, "(select id from ledger_transaction where idempotency_key = 'sql-jan')")}; " +
                    "${entry('4', revenue, -5, "(select id from ledger_transaction where idempotency_key = 'sql-jan')")}"
            case 'reopen': return "update ledger_period set status = 'open', closed_at = null where period = '2032-01'"
            default: throw new IllegalArgumentException(name)
        }
    }

    def "the runtime role can neither update nor delete the journal: #attempted"() {
        expect:
        with(attempt(appConnection(), sql(attempted))) {
            it != null
            SQLState == '42501'
            message.contains('permission denied')
        }
        ledger.statement(tenant, '1122.project.sql', YearMonth.of(2032, 1))*.amountFen() == [1_000L]

        where:
        attempted << ['update entry', 'delete entries', 'update transaction', 'delete transactions', 'truncate entries',
                      'delete periods', 'update account code']
    }

    def "the owner cannot change the journal either: the triggers refuse (#attempted)"() {
        expect:
        with(attempt(ownerConnection(), sql(attempted))) {
            it != null
            SQLState == state
            message.contains(text)
        }

        where:
        attempted         | state   | text
        'double entries'  | 'LG004' | 'ledger_entry is append-only (UPDATE refused)'
        'delete february' | 'LG004' | 'ledger_transaction is append-only (DELETE refused)'
        'move account'    | 'LG007' | 'only its names may change'
    }

    def "an unbalanced or one-line transaction fails at commit: #attempted"() {
        expect:
        with(attempt(appConnection(), sql(attempted))) {
            it != null
            SQLState == state
            message.contains(text)
        }

        where:
        attempted    | state   | text
        'unbalanced' | 'LG001' | 'does not balance: its entries sum to 1 fen'
        'one line'   | 'LG002' | 'has 1 entries: at least two are needed'
        'no lines'   | 'LG002' | 'has 0 entries'
    }

    def "an entry added later to a balanced transaction fails at commit"() {
        when:
        def e = attempt(appConnection(), entry('3', receivable, 5, "'${posted.transactionId()}'"))

        then:
        e.SQLState == 'LG001'
        ledger.lines(tenant, posted.transactionId()).size() == 2
    }

    def "nothing goes into a closed period, and a closed period is never reopened: #attempted"() {
        expect:
        with(attempt(appConnection(), sql(attempted))) {
            it != null
            SQLState == state
            message.contains(text)
        }
        ledger.statement(tenant, '1122.project.sql', YearMonth.of(2032, 1))*.amountFen() == [1_000L]
        ledger.periods(tenant).find { it.period() == '2032-01' }.status() == 'closed'

        where:
        attempted           | state   | text
        'into closed'       | 'LG003' | 'ledger period 2032-01 is closed'
        'entry into closed' | 'LG003' | 'is in a closed period'
        'before closed'     | 'LG006' | 'a later period is closed'
        'reopen'            | 'LG005' | 'is closed and cannot be changed or reopened'
    }

    def "a second reversal of a transaction and a second use of a key are refused by the unique keys"() {
        given:
        def reversal = ledger.reverse(tenant, posted.transactionId(), 'sql-rev', 'test', 'spec')

        expect:
        attempt(appConnection(), "insert into ledger_transaction (tenant_id, id, idempotency_key, period, posted_at, kind, actor, reverses) " +
                "values (app_tenant(), '${UUID.randomUUID()}', 'sql-rev-2', '${reversal.period()}', now(), 'reversal', 'sql', '${posted.transactionId()}')").SQLState == '23505'
        attempt(appConnection(), "${newTransaction(reversal.period().toString(), 'sql-feb')}").SQLState == '23505'
    }
}
