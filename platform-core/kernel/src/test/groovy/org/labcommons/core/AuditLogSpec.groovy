package org.labcommons.core

import jakarta.inject.Inject
import org.labcommons.core.audit.AuditEntry
import org.labcommons.core.audit.AuditLog
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import org.postgresql.util.PSQLException

class AuditLogSpec extends PlatformSpec {

    @Inject AuditLog audit
    @Inject TenantTransactions tenants

    private TenantId newTenant() {
        new TenantId(TenantWorld.build(ctx) { institution('audit', nameZh: '审计', nameEn: 'Audit') }.tenant('audit').id)
    }

    def "an entry commits with its tenant's transaction and is visible only to that tenant"() {
        given:
        def a = newTenant()
        def b = newTenant()

        when:
        UUID id = tenants.inTenant(a) { c ->
            audit.append(c, new AuditEntry('http://localhost/donghu', 'donghu-admin', a.toString(),
                    'org_unit.created', 'org_unit', 'CHEM', [nameZh: '化学系']))
        }

        then:
        tenants.inTenant(a) { c ->
            def rs = c.prepareStatement("select action, actor_subject, details->>'nameZh' from audit_event where id = '${id}'").executeQuery()
            rs.next() ? [rs.getString(1), rs.getString(2), rs.getString(3)] : null
        } == ['org_unit.created', 'donghu-admin', '化学系']
        tenants.inTenant(b) { c -> c.prepareStatement('select count(*) from audit_event').executeQuery().with { next(); getLong(1) } } == 0L
    }

    def "an entry written in a transaction that rolls back is gone with it"() {
        given:
        def a = newTenant()

        when:
        tenants.inTenant(a) { c ->
            audit.append(c, AuditEntry.system('demo.failed', 'org_unit', 'X', [:]))
            throw new IllegalStateException('the change failed')
        }

        then:
        thrown(IllegalStateException)
        tenants.inTenant(a) { c -> c.prepareStatement('select count(*) from audit_event').executeQuery().with { next(); getLong(1) } } == 0L
    }

    def "the runtime role can neither change nor delete audit entries (#statement)"() {
        given:
        def a = newTenant()
        tenants.inTenant(a) { c -> audit.append(c, AuditEntry.system('x.created', 'thing', '1', [:])) }

        when:
        tenants.inTenant(a) { c -> c.createStatement().execute(statement) }

        then:
        PSQLException e = thrown()
        e.SQLState == '42501'

        where:
        statement << ["update audit_event set action = 'x.forged'",
                      'delete from audit_event',
                      'truncate audit_event']
    }
}
