package org.labcommons.core.db

import io.micronaut.data.exceptions.DataAccessException
import io.micronaut.transaction.TransactionOperations
import jakarta.inject.Inject
import org.labcommons.core.audit.AuditEntry
import org.labcommons.core.audit.AuditEventRows
import org.labcommons.core.audit.AuditLog
import org.labcommons.core.org.OrgUnitRow
import org.labcommons.core.org.OrgUnitRows
import org.labcommons.core.security.RoleAssignmentRows
import org.labcommons.core.security.UserAccountRows
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import java.sql.Connection

/**
 * Stores (Micronaut Data repositories) join the transaction TenantTransactions opened, so the RLS
 * policies apply to them exactly as to plain JDBC: no tenant bound, no rows; tenant A bound, only
 * A's rows whatever ids are asked for; a row naming another tenant is refused.
 */
class StoreIsolationSpec extends PlatformSpec {

    @Inject OrgUnitRows units
    @Inject RoleAssignmentRows assignments
    @Inject UserAccountRows accounts
    @Inject AuditEventRows auditRows
    @Inject AuditLog audit
    @Inject TenantTransactions tenants
    @Inject TransactionOperations<Connection> transactions

    @Shared TenantId a, b
    @Shared UUID deptA, labA, deptB, labB, user

    private static OrgUnitRow unit(TenantId tenant, UUID id, UUID parent, String code) {
        new OrgUnitRow(tenant.value(), id, parent, parent == null ? 'department' : 'lab', code, '单位' + code, 'Unit ' + code,
                null, null, null)
    }

    def setup() {
        if (a != null) {
            return
        }
        def world = TenantWorld.build(ctx) {
            institution('st-a', nameZh: '仓储', nameEn: 'Stores')
            institution('st-b', nameZh: '仓储', nameEn: 'Stores')
        }
        a = new TenantId(world.tenant('st-a').id)
        b = new TenantId(world.tenant('st-b').id)
        (deptA, labA, deptB, labB) = [UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID()]
        tenants.inTenant(a) { c -> units.save(unit(a, deptA, null, 'A-DEPT')); units.save(unit(a, labA, deptA, 'A-LAB')) }
        tenants.inTenant(b) { c -> units.save(unit(b, deptB, null, 'B-DEPT')); units.save(unit(b, labB, deptB, 'B-LAB')) }
        user = UUID.randomUUID()
        accounts.createIfAbsent(user, 'http://localhost/stores', 'person-' + user, null, null)   // global: no tenant needed
        tenants.inTenant(a) { c ->
            assignments.grant(a.value(), UUID.randomUUID(), user, 'instrument_admin', 'org_unit', labA, null)
            audit.append(c, AuditEntry.system('org_unit.created', 'org_unit', labA.toString(), [code: 'A-LAB']))
        }
        tenants.inTenant(b) { c ->
            assignments.grant(b.value(), UUID.randomUUID(), user, 'platform_admin', 'org_unit', labB, null)
            audit.append(c, AuditEntry.system('org_unit.created', 'org_unit', labB.toString(), [code: 'B-LAB']))
        }
    }

    def "the rows exist: each tenant reads its own through the stores"() {
        expect:
        tenants.inTenant(a) { c -> units.page(null, null, 0, 100)*.code } == ['A-DEPT', 'A-LAB']
        tenants.inTenant(b) { c -> units.page(null, null, 0, 100)*.code } == ['B-DEPT', 'B-LAB']
        tenants.inTenant(a) { c -> units.chain(labA) } == [labA, deptA]
        tenants.inTenant(a) { c -> assignments.ofUser(user)*.role } == ['instrument_admin']
        tenants.inTenant(a) { c -> auditRows.about('org_unit', labA.toString())*.action } == ['org_unit.created']
    }

    def "a repository read without a bound tenant returns nothing (#how)"() {
        expect:
        (inTransaction ? transactions.executeRead { readAll() } : readAll()) == [false, [], false, [], [], []]

        where:
        how                                       | inTransaction
        'no transaction: a connection of its own' | false
        'a transaction with no tenant bound'      | true
    }

    private List readAll() {
        [units.findById(deptA).isPresent(), units.page(null, null, 0, 100), units.existsById(labB),
         units.chain(labA), assignments.ofUser(user), auditRows.about('org_unit', labA.toString())]
    }

    def "inside tenant A's transaction a read returns only A's rows, even when asked for B's ids"() {
        expect:
        tenants.inTenant(a) { c ->
            [units.findById(deptB).isPresent(), units.existsById(labB), units.chain(labB), units.existsByCode('B-LAB'),
             units.page('lab', deptB, 0, 100), assignments.holders('org_unit', labB), auditRows.about('org_unit', labB.toString()),
             assignments.ofUser(user)*.scopeId]
        } == [false, false, [], false, [], [], [], [labA]]
    }

    def "inside tenant A's transaction a change to B's row changes nothing"() {
        when:
        long changed = tenants.inTenant(a) { c -> units.update(labB, null, 'lab', 'TAKEN-BY-A', 'x', 'x', null, null) }

        then:
        changed == 0L
        tenants.inTenant(b) { c -> units.findById(labB).get().code() } == 'B-LAB'
    }

    def "an insert naming another tenant is refused by the policy (42501): #what"() {
        when:
        tenants.inTenant(a) { c -> insertFor(b, what) }

        then:
        DataAccessException e = thrown()
        SqlStates.causedBy(e, SqlStates.INSUFFICIENT_PRIVILEGE)
        tenants.inTenant(b) { c -> units.page(null, null, 0, 100)*.code } == ['B-DEPT', 'B-LAB']

        where:
        what << ['an org unit', 'a role assignment']
    }

    private void insertFor(TenantId other, String what) {
        if (what == 'an org unit') {
            units.save(unit(other, UUID.randomUUID(), null, 'FORGED'))
        } else {
            assignments.grant(other.value(), UUID.randomUUID(), user, 'consortium_admin', 'tenant', null, null)
        }
    }

    def "an insert with no tenant bound is refused"() {
        when:
        units.save(unit(a, UUID.randomUUID(), null, 'NO-TENANT'))

        then:
        DataAccessException e = thrown()
        SqlStates.causedBy(e, SqlStates.INSUFFICIENT_PRIVILEGE)
        tenants.inTenant(a) { c -> units.page(null, null, 0, 100)*.code } == ['A-DEPT', 'A-LAB']
    }
}
