package org.labcommons.search

import io.micronaut.context.ApplicationContext
import io.micronaut.json.JsonMapper
import org.labcommons.core.tenancy.TenantId
import org.labcommons.testkit.Api
import org.labcommons.testkit.TenantWorld

import static org.labcommons.testkit.TenantWorld.INSTITUTION_ADMIN

/**
 * A small consortium for search specs (a {@link TenantWorld} recipe): network N1 with institutions A
 * and B (Zhejiang), network N2 with institution C (Hubei). Each institution trusts its own issuer
 * and has an admin; A also has a plain user. Slugs are {@code uni-a-<run>} …, subjects
 * {@code admin-a-<run>} …. Instruments are created through the REST API, so they reach the index
 * the real way: outbox, relay, Kafka, projector.
 */
class SearchFixture {
    final TenantWorld world
    final String run
    final String base
    final Api api
    final JsonMapper json
    TenantId n1, n2, a, b, c
    String adminA, adminB, adminC, userA

    SearchFixture(ApplicationContext ctx) {
        json = ctx.getBean(JsonMapper)
        Closure<Map> named = { String subject -> [name: "User ${subject}".toString()] }
        world = TenantWorld.build(ctx) {
            network('n1', nameZh: '甲网', nameEn: 'Network One', regionCode: '330000', trustIssuer: false) {
                institution('uni-a', nameZh: '甲大学', nameEn: 'University A', regionCode: '330100') {
                    person('admin-a', INSTITUTION_ADMIN, claims: named)
                    person('user-a', claims: named)
                }
                institution('uni-b', nameZh: '乙大学', nameEn: 'University B', regionCode: '330200') {
                    person('admin-b', INSTITUTION_ADMIN, claims: named)
                }
            }
            network('n2', nameZh: '乙网', nameEn: 'Network Two', regionCode: '420000', trustIssuer: false) {
                institution('uni-c', nameZh: '丙大学', nameEn: 'University C', regionCode: '420100') {
                    person('admin-c', INSTITUTION_ADMIN, claims: named)
                }
            }
            ['uni-a', 'uni-b', 'uni-c'].each { name -> within(name) { ['internal', 'consortium', 'external'].each { rateGroup(it) } } }
        }
        run = world.run
        api = world.api()
        base = api.base
        (n1, n2, a, b, c) = ['n1', 'n2', 'uni-a', 'uni-b', 'uni-c'].collect { new TenantId(world.tenant(it).id) }
        (adminA, adminB, adminC, userA) = ['admin-a', 'admin-b', 'admin-c', 'user-a'].collect { world.token(it) }
    }

    /** One more institution of N1 with an admin {@code admin-<name>}; answers its id and the admin's token. */
    List institutionOfN1(String name, String nameZh, String nameEn, String region) {
        world.within('n1') {
            institution(name, nameZh: nameZh, nameEn: nameEn, regionCode: region) {
                person("admin-${name}".toString(), INSTITUTION_ADMIN, claims: { String subject -> [name: "User ${subject}".toString()] })
                ['internal', 'consortium', 'external'].each { rateGroup(it) }
            }
        }
        [new TenantId(world.tenant(name).id), world.token("admin-${name}".toString())]
    }

    /** A token of the dev identity provider's issuer {@code issuerId}, named "User <subject>". */
    static String token(String issuerId, String subject) {
        TenantWorld.token(issuerId, subject, [name: "User ${subject}".toString()])
    }

    String slug(TenantId t) {
        [(a): "uni-a-${run}", (b): "uni-b-${run}", (c): "uni-c-${run}"][t].toString()
    }

    /** The same structure with every GString made a String (JSON and Kafka need plain strings). */
    static Object plain(Object o) {
        if (o instanceof GString) { return o.toString() }
        if (o instanceof Map) { return o.collectEntries { k, v -> [(k.toString()): plain(v)] } }
        if (o instanceof List) { return o.collect { plain(it) } }
        o
    }

    /** Creates an instrument through the API as {@code token}; returns the created record. */
    Map create(String token, Map fields) {
        Map body = [originalValueFen: 30_000_000L, sharingScope: 'public', classificationCode: '010101'] + fields
        def r = send('POST', '/api/v1/instruments', token, json.writeValueAsString(plain(body)))
        assert r.status == 201: r.body
        r.body
    }

    Map replace(String token, Map record, Map changes) {
        Map body = [:] + record + changes
        ['id', 'tenantId', 'version', 'createdAt', 'updatedAt', 'requiresIot', 'lastVerifiedAt', 'staleSince', 'archivedAt',
         'documents', 'stale'].each { body.remove(it) }
        def r = send('PUT', "/api/v1/instruments/${record.id}", token, json.writeValueAsString(plain(body)), ['If-Match': "\"${record.version}\"".toString()])
        assert r.status == 200: r.body
        r.body
    }

    /** GET /api/v1/search/instruments as {@code token} (null: a visitor). */
    Map search(String token, Map params) {
        def r = get('/api/v1/search/instruments', token, params)
        assert r.status == 200: r
        r
    }

    Map suggest(String token, Map params) {
        def r = get('/api/v1/search/suggest', token, params)
        assert r.status == 200: r
        r
    }

    Map get(String path, String token, Map params) {
        String query = params.collect { k, v -> "${k}=${URLEncoder.encode(String.valueOf(v), 'UTF-8')}" }.join('&')
        send('GET', path + (query ? '?' + query : ''), token)
    }

    Map send(String method, String path, String token, String body = null, Map headers = [:]) {
        api.send(method, path, token, body, headers.collectEntries { k, v -> [(k as String): v as String] } as Map<String, String>)
    }

    /** Suspends or reactivates {@code tenant} as tenant-admin does: registry change and lifecycle event. */
    void lifecycle(TenantId tenant, String status, org.labcommons.core.events.Outbox outbox) {
        TenantWorld.jdbc { conn ->
            conn.prepareStatement("update tenant set status = ? where id = ?").with { setString(1, status); setObject(2, tenant.value()); executeUpdate() }
        }
        TenantWorld.inTenant(tenant.value()) { conn ->
            outbox.append(conn, new org.labcommons.core.events.Outbox.Event('tenant.lifecycle.v1',
                    status == 'active' ? 'tenant.reactivated' : 'tenant.suspended', 1, 'tenant', tenant.toString(),
                    System.currentTimeMillis(), [tenantId: tenant.toString(), status: status]))
        }
    }

    /** Polls {@code check} until it returns true or {@code seconds} pass; returns the milliseconds it took. */
    static long eventually(double seconds = 15, Closure<Boolean> check) {
        long start = System.nanoTime()
        while (true) {
            if (check()) {
                return (System.nanoTime() - start) / 1_000_000 as long
            }
            if (System.nanoTime() - start > seconds * 1e9) {
                throw new AssertionError("not true within ${seconds} s")
            }
            Thread.sleep(25)
        }
    }
}
