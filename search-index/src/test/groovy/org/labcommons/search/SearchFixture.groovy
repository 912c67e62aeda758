package org.labcommons.search

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource
import io.micronaut.json.JsonMapper
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback
import org.labcommons.core.security.Role
import org.labcommons.core.security.RoleAssignments
import org.labcommons.core.security.ScopeType
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.devstack.SharedDevStack

import javax.sql.DataSource
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse

/**
 * A small consortium for search specs: network N1 with institutions A and B (Zhejiang), network
 * N2 with institution C (Hubei). Each institution trusts its own issuer and has an admin; A also
 * has a plain user. Instruments are created through the REST API, so they reach the index the
 * real way: outbox, relay, Kafka, projector.
 */
class SearchFixture {
    final String run = UUID.randomUUID().toString().substring(0, 8)
    final HttpClient http = HttpClient.newHttpClient()
    final String base
    final JsonMapper json
    final DataSource dataSource
    final TenantTransactions tenants
    TenantId n1, n2, a, b, c
    String adminA, adminB, adminC, userA

    SearchFixture(String base, DataSource dataSource, TenantTransactions tenants, RoleAssignments roles, JsonMapper json) {
        this.base = base
        this.json = json
        this.dataSource = dataSource
        this.tenants = tenants
        n1 = tenant("n1-${run}", 'network', '甲网', 'Network One', null, '330000')
        n2 = tenant("n2-${run}", 'network', '乙网', 'Network Two', null, '420000')
        a = tenant("uni-a-${run}", 'institution', '甲大学', 'University A', n1, '330100')
        b = tenant("uni-b-${run}", 'institution', '乙大学', 'University B', n1, '330200')
        c = tenant("uni-c-${run}", 'institution', '丙大学', 'University C', n2, '420100')
        adminA = signedIn(a, "uni-a-${run}", "admin-a-${run}", Role.INSTITUTION_ADMIN, roles)
        adminB = signedIn(b, "uni-b-${run}", "admin-b-${run}", Role.INSTITUTION_ADMIN, roles)
        adminC = signedIn(c, "uni-c-${run}", "admin-c-${run}", Role.INSTITUTION_ADMIN, roles)
        userA = token("uni-a-${run}", "user-a-${run}")
        assert send('GET', '/api/v1/me', userA).status == 200
    }

    String slug(TenantId t) {
        [(a): "uni-a-${run}", (b): "uni-b-${run}", (c): "uni-c-${run}"][t].toString()
    }

    TenantId tenant(String slug, String kind, String nameZh, String nameEn, TenantId parent, String region) {
        def id = new TenantId(UUID.randomUUID())
        DelegatingDataSource.unwrapDataSource(dataSource).connection.withCloseable { conn ->
            conn.prepareStatement("insert into tenant (id, slug, kind, name_zh, name_en, parent_id, region_code) values (?, ?, ?, ?, ?, ?, ?)").with {
                setObject(1, id.value()); setString(2, slug); setString(3, kind); setString(4, nameZh); setString(5, nameEn)
                setObject(6, parent?.value()); setString(7, region); executeUpdate()
            }
        }
        if (kind == 'institution') {
            tenants.inTenant(id) { conn ->
                ['internal': ['校内', 'Internal'], 'consortium': ['联盟', 'Consortium'], 'external': ['校外', 'External']].each { code, names ->
                    conn.prepareStatement("insert into rate_group (tenant_id, id, code, name_zh, name_en) values (?, ?, ?, ?, ?)").with {
                        setObject(1, id.value()); setObject(2, UUID.randomUUID()); setString(3, code); setString(4, names[0]); setString(5, names[1])
                        executeUpdate()
                    }
                }
            }
        }
        id
    }

    String signedIn(TenantId tenant, String issuerId, String subject, Role role, RoleAssignments roles) {
        tenants.inTenant(tenant) { conn ->
            conn.prepareStatement("insert into trusted_issuer (tenant_id, id, issuer, audience) values (?, ?, ?, 'labcommons')").with {
                setObject(1, tenant.value()); setObject(2, UUID.randomUUID())
                setString(3, SharedDevStack.get().identityProvider().issuer(issuerId)); executeUpdate()
            }
        }
        String t = token(issuerId, subject)
        UUID userId = UUID.fromString(send('GET', '/api/v1/me', t).body.userId as String)
        roles.grant(tenant, userId, role, ScopeType.TENANT, null, null)
        t
    }

    static String token(String issuerId, String subject) {
        SharedDevStack.get().identityProvider().server().issueToken(issuerId, 'client', new DefaultOAuth2TokenCallback(
                issuerId, subject, 'JWT', ['labcommons'], [name: "User ${subject}".toString()], 3600)).serialize()
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
        def rb = HttpRequest.newBuilder(URI.create(base + path)).header('Accept-Language', 'en')
        if (token != null) { rb.header('Authorization', 'Bearer ' + token) }
        if (body != null) { rb.header('Content-Type', 'application/json') }
        headers.each { k, v -> rb.header(k as String, v as String) }
        rb.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        HttpResponse<String> r = http.send(rb.build(), HttpResponse.BodyHandlers.ofString())
        [status: r.statusCode(), body: r.body() ? json.readValue(r.body(), Map) : [:]]
    }

    /** Suspends or reactivates {@code tenant} as tenant-admin does: registry change and lifecycle event. */
    void lifecycle(TenantId tenant, String status, org.labcommons.core.events.Outbox outbox) {
        DelegatingDataSource.unwrapDataSource(dataSource).connection.withCloseable { conn ->
            conn.prepareStatement("update tenant set status = ? where id = ?").with { setString(1, status); setObject(2, tenant.value()); executeUpdate() }
        }
        tenants.inTenant(tenant) { conn ->
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
