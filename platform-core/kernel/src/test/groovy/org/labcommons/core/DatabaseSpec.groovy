package org.labcommons.core

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource
import jakarta.inject.Inject
import org.labcommons.core.db.SchemaMigrator
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import org.postgresql.util.PSQLException

import javax.sql.DataSource
import java.sql.Connection

class DatabaseSpec extends PlatformSpec {

    DataSource dataSource

    @Inject
    void setDataSource(DataSource ds) {
        // raw pooled connections, outside any transaction and with no tenant bound
        dataSource = DelegatingDataSource.unwrapDataSource(ds)
    }
    @Inject SchemaMigrator migrator
    @Inject TenantTransactions tenants

    private static List<List<Object>> rows(Connection c, String sql) {
        c.createStatement().withCloseable { st ->
            def rs = st.executeQuery(sql)
            def out = []
            while (rs.next()) { out << (1..rs.metaData.columnCount).collect { rs.getObject(it) } }
            out
        }
    }

    def "migrations ran as the owner role and are recorded"() {
        expect:
        migrator.result().success
        ownerConnection().withCloseable { c ->
            def history = rows(c, "select version, installed_by, success from flyway_schema_history where version is not null order by installed_rank")
            assert history*.get(0).contains('1')
            assert history.every { it[1] == 'labcommons_owner' && it[2] == true }
            assert rows(c, "select tableowner from pg_tables where tablename in ('tenant','org_unit','instrument')")*.get(0).unique() == ['labcommons_owner']
            true
        }
    }

    def "the application connects as a runtime role that owns nothing and has no special powers"() {
        when:
        def attrs = dataSource.connection.withCloseable { c ->
            rows(c, """select current_user, r.rolsuper, r.rolbypassrls, r.rolcreaterole, r.rolcreatedb,
                              (select count(*) from pg_class cl where cl.relowner = r.oid)
                       from pg_roles r where r.rolname = current_user""")[0]
        }

        then:
        attrs == ['labcommons_app', false, false, false, false, 0L]
    }

    def "the runtime role cannot change the schema or the migration history"() {
        when:
        dataSource.connection.withCloseable { c -> c.createStatement().execute(statement) }

        then:
        PSQLException e = thrown()
        e.SQLState in ['42501', '42P01']   // insufficient privilege (or not visible)

        where:
        statement << ['create table intruder (id int)',
                      'drop table instrument',
                      'alter table instrument disable row level security',
                      'delete from flyway_schema_history',
                      'truncate org_unit']
    }

    def "with no tenant bound, tenant-owned tables show nothing and accept nothing (fail closed)"() {
        given: 'a tenant with one org unit, written through the tenant binding'
        def tenant = new TenantId(TenantWorld.build(ctx) { institution('t', nameZh: '测试大学', nameEn: 'Test University') }.tenant('t').id)
        tenants.inTenant(tenant) { c ->
            c.prepareStatement("insert into org_unit (tenant_id, id, kind, code, name_zh, name_en) values (?, ?, 'department', 'PHY', '物理系', 'Physics')").with {
                setObject(1, tenant.value()); setObject(2, UUID.randomUUID()); executeUpdate()
            }
        }

        expect: 'the row exists for its tenant'
        tenants.inTenant(tenant) { c -> rows(c, 'select count(*) from org_unit')[0][0] } == 1L

        and: 'an unbound connection sees no rows at all'
        dataSource.connection.withCloseable { c -> rows(c, 'select count(*) from org_unit')[0][0] } == 0L

        when: 'an unbound connection tries to write'
        dataSource.connection.withCloseable { c ->
            c.prepareStatement("insert into org_unit (tenant_id, id, kind, code, name_zh, name_en) values (?, ?, 'lab', 'X', 'x', 'x')").with {
                setObject(1, tenant.value()); setObject(2, UUID.randomUUID()); executeUpdate()
            }
        }

        then: 'row level security refuses it'
        PSQLException e = thrown()
        e.SQLState == '42501'
    }

    def "another tenant's binding sees none of the first tenant's rows"() {
        given:
        def world = TenantWorld.build(ctx) { institution('a'); institution('b') }
        def a = new TenantId(world.tenant('a').id)
        def b = new TenantId(world.tenant('b').id)
        tenants.inTenant(a) { c ->
            c.prepareStatement("insert into org_unit (tenant_id, id, kind, code, name_zh, name_en) values (?, ?, 'lab', 'SECRET', '机密实验室', 'Secret lab')").with {
                setObject(1, a.value()); setObject(2, UUID.randomUUID()); executeUpdate()
            }
        }

        expect:
        tenants.inTenant(b) { c -> rows(c, "select count(*) from org_unit where code = 'SECRET'")[0][0] } == 0L
        tenants.inTenant(a) { c -> rows(c, "select count(*) from org_unit where code = 'SECRET'")[0][0] } == 1L
    }
    def "a real deadlock victim is run again by inTenantRetrying, and both transactions finish"() {
        given: 'two transactions that take two advisory locks in opposite orders once both hold their first'
        def t = new TenantId(UUID.randomUUID())
        long k1 = new Random().nextLong(), k2 = k1 + 1
        def bothHoldOne = new java.util.concurrent.CountDownLatch(2)
        def attempts = new java.util.concurrent.atomic.AtomicInteger()
        def work = { long first, long second ->
            { Connection c ->
                attempts.incrementAndGet()
                c.createStatement().execute("select pg_advisory_xact_lock(${first})")
                bothHoldOne.countDown()
                bothHoldOne.await()
                c.createStatement().execute("select pg_advisory_xact_lock(${second})")
                "held ${first} then ${second}".toString()
            } as TenantTransactions.TenantWork<String>
        }
        long before = tenants.reruns()

        when: 'they run at once: PostgreSQL aborts one of them (40P01)'
        def one = java.util.concurrent.CompletableFuture.supplyAsync { tenants.inTenantRetrying(t, work(k1, k2)) }
        def two = java.util.concurrent.CompletableFuture.supplyAsync { tenants.inTenantRetrying(t, work(k2, k1)) }

        then: 'the victim ran again after the winner committed: both answer, three attempts, one rerun'
        one.get(60, java.util.concurrent.TimeUnit.SECONDS) == "held ${k1} then ${k2}".toString()
        two.get(60, java.util.concurrent.TimeUnit.SECONDS) == "held ${k2} then ${k1}".toString()
        attempts.get() == 3
        tenants.reruns() - before == 1
    }

    def "inTenantRetrying gives up at once on a failure that is not an abort, and after five aborts"() {
        given:
        def t = new TenantId(UUID.randomUUID())
        int calls = 0

        when: 'a constraint violation (23P01) is not retried'
        tenants.inTenantRetrying(t, { Connection c -> calls++; throw new java.sql.SQLException('conflict', '23P01') } as TenantTransactions.TenantWork)

        then:
        java.sql.SQLException refused = thrown()
        refused.SQLState == '23P01'
        calls == 1

        when: 'a serialization failure (40001) every time: five attempts, then the failure itself'
        calls = 0
        tenants.inTenantRetrying(t, { Connection c -> calls++; throw new java.sql.SQLException('again', '40001') } as TenantTransactions.TenantWork)

        then:
        java.sql.SQLException aborted = thrown()
        aborted.SQLState == '40001'
        calls == TenantTransactions.ATTEMPTS
    }
}
