package org.labcommons.core.org

import org.labcommons.testkit.PlatformSpec
import java.util.concurrent.Callable
import java.util.concurrent.Executors
import java.util.concurrent.atomic.AtomicInteger

/**
 * Pooled connections never carry one tenant's binding into another's request: thousands of
 * requests alternate between two tenants over a deliberately small pool, some fail mid-transaction
 * (after the tenant was bound and queries ran), and no response ever shows the other tenant's rows.
 */
class ConnectionLeakSpec extends PlatformSpec {

    @Override
    Map<String, String> ownProperties() {
        ['datasources.default.maximum-pool-size': '3',
         'datasources.default.minimum-idle'     : '3',
         'labcommons.outbox.enabled'            : 'false']
    }

    def "2,000 requests alternating between tenants over 3 pooled connections never see the other tenant's rows"() {
        given: 'each tenant has units whose codes name it'
        def f = new TwoTenantFixture(ctx)
        (1..5).each { i ->
            assert f.create(f.tokenA, [kind: 'lab', code: "A-$i".toString(), nameZh: "甲$i".toString(), nameEn: "A$i".toString()]).status == 201
            assert f.create(f.tokenB, [kind: 'lab', code: "B-$i".toString(), nameZh: "乙$i".toString(), nameEn: "B$i".toString()]).status == 201
        }
        int total = 2000
        def seen = new AtomicInteger(), leaked = new AtomicInteger(), failedMidTransaction = new AtomicInteger(), unexpected = new AtomicInteger()
        def pool = Executors.newFixedThreadPool(8)

        when:
        def jobs = (0..<total).collect { n ->
            { ->
                boolean a = n % 2 == 0
                String token = a ? f.tokenA : f.tokenB
                String mine = a ? 'A-' : 'B-'
                if (n % 5 == 4) {
                    // binds the tenant, reads, then fails: the transaction rolls back
                    def r = f.create(token, [kind: 'lab', code: mine + '1', nameZh: 'x', nameEn: 'x'])
                    r.status == 409 ? failedMidTransaction.incrementAndGet() : unexpected.incrementAndGet()
                } else {
                    def r = f.send('GET', '/api/v1/org-units?size=100', token)
                    if (r.status != 200) { unexpected.incrementAndGet() }
                    r.body.items.each { item ->
                        seen.incrementAndGet()
                        if (!(item.code as String).startsWith(mine)) { leaked.incrementAndGet() }
                    }
                }
                null
            } as Callable
        }
        pool.invokeAll(jobs).each { it.get() }
        pool.shutdown()
        println "connection leak test: ${total} requests, ${failedMidTransaction.get()} failed mid-transaction, " +
                "${seen.get()} rows returned, ${leaked.get()} of another tenant"

        then:
        unexpected.get() == 0
        failedMidTransaction.get() == total / 5
        seen.get() == (total - total / 5) * 5
        leaked.get() == 0
    }
}
