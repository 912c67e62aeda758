package org.labcommons.core.verification

import io.micronaut.context.ApplicationContext
import io.micronaut.json.JsonMapper
import io.micronaut.runtime.server.EmbeddedServer
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback
import org.labcommons.core.catalog.InstrumentApiSpec
import org.labcommons.core.events.OutboxFixtures
import org.labcommons.core.org.TwoTenantFixture
import org.labcommons.core.security.Role
import org.labcommons.core.security.RoleAssignments
import org.labcommons.core.security.ScopeType
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.devstack.SharedDevStack

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Instant
import java.time.temporal.ChronoUnit

/** Tenants A and B (TwoTenantFixture), units and instruments of A, campaigns, and database probes. */
class VerificationFixture {
    final TwoTenantFixture f
    final String base
    final JsonMapper json
    final TenantTransactions tenants
    final RoleAssignments roles
    final HttpClient http = HttpClient.newHttpClient()
    private int counter = 0

    /** Two institutions ({@link TwoTenantFixture}) in the application of {@code ctx} (a {@code PlatformSpec}'s context). */
    VerificationFixture(ApplicationContext ctx) {
        this(new TwoTenantFixture(ctx), "http://localhost:${ctx.getBean(EmbeddedServer).port}".toString(), ctx.getBean(JsonMapper),
                ctx.getBean(TenantTransactions), ctx.getBean(RoleAssignments))
    }

    VerificationFixture(TwoTenantFixture f, String base, JsonMapper json, TenantTransactions tenants, RoleAssignments roles) {
        this.f = f
        this.base = base
        this.json = json
        this.tenants = tenants
        this.roles = roles
    }

    Map send(String method, String path, String token, Object body = null, Map<String, String> headers = [:]) {
        def b = HttpRequest.newBuilder(URI.create(base + path)).header('Accept-Language', 'en')
        if (token != null) { b.header('Authorization', 'Bearer ' + token) }
        headers.each { k, v -> b.header(k, v) }
        String text = body == null ? null : (body instanceof String ? body : json.writeValueAsString(body))
        if (text != null) { b.header('Content-Type', 'application/json') }
        b.method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text))
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString())
        [status: r.statusCode(), body: r.body() ? json.readValue(r.body(), Map) : [:],
         etag: r.headers().firstValue('ETag').orElse(null)]
    }

    String unique(String prefix) { "${prefix}-${f.run}-${++counter}".toString() }

    /** A new org unit of A (optionally under {@code parent}); returns its id. */
    String unit(String parent = null) {
        def body = [kind: 'lab', code: unique('U'), nameZh: '实验室', nameEn: 'Lab']
        if (parent) { body.parentId = parent }
        def r = send('POST', '/api/v1/org-units', f.tokenA, body)
        assert r.status == 201
        r.body.id as String
    }

    /** A new instrument of A in {@code unit}; returns its record. */
    Map instrument(String unit, Map more = [:]) {
        def r = send('POST', '/api/v1/instruments', f.tokenA, InstrumentApiSpec.nmr(unique('VER'), [orgUnitId: unit] + more))
        assert r.status == 201 : r.body
        r.body
    }

    Map get(String instrumentId) { send('GET', "/api/v1/instruments/${instrumentId}", f.tokenA).body }

    static String inDays(int days) { Instant.now().plus(days, ChronoUnit.DAYS).toString() }

    Map start(String unit, String token = f.tokenA, String deadline = inDays(14)) {
        send('POST', '/api/v1/verification-campaigns', token, [name: unique('核实'), deadline: deadline, orgUnitId: unit])
    }

    Map confirm(String campaign, String instrument, String token = f.tokenA) {
        send('POST', "/api/v1/verification-campaigns/${campaign}/items/${instrument}/confirm", token)
    }

    /** Time passes: the campaign's deadline is now one second ago (as if started days before). */
    void pastDeadline(String campaign) {
        tenants.inTenant(f.tenantA) { c ->
            c.prepareStatement("update verification_campaign set created_at = now() - interval '8 days', " +
                    "deadline = now() - interval '1 second' where id = ?").with {
                setObject(1, UUID.fromString(campaign)); assert executeUpdate() == 1
            }
        }
    }

    /** stale_since, last_verified_at and version of A's instruments, straight from the table. */
    Map<String, Map> freshness(Collection<String> ids) {
        tenants.inTenant(f.tenantA) { c ->
            def ps = c.prepareStatement('select id, stale_since, last_verified_at, version from instrument where id = any(?)')
            ps.setArray(1, c.createArrayOf('uuid', ids.collect { UUID.fromString(it) } as UUID[]))
            def rs = ps.executeQuery()
            def out = [:]
            while (rs.next()) {
                out[rs.getString(1)] = [staleSince: rs.getTimestamp(2)?.toInstant(), lastVerifiedAt: rs.getTimestamp(3)?.toInstant(),
                                        version: rs.getLong(4)]
            }
            out
        }
    }

    Instant deadlineOf(String campaign) {
        tenants.inTenant(f.tenantA) { c ->
            def ps = c.prepareStatement('select deadline from verification_campaign where id = ?')
            ps.setObject(1, UUID.fromString(campaign))
            def rs = ps.executeQuery(); rs.next(); rs.getTimestamp(1).toInstant()
        }
    }

    /** The catalogue events of one instrument, oldest first: [type, version, stale]. */
    List<List> events(String instrumentId) {
        OutboxFixtures.owner().withCloseable { c ->
            def ps = c.prepareStatement("select type, aggregate_version, (payload->>'stale')::boolean from outbox_event " +
                    "where topic = 'catalog.instrument.v1' and aggregate_id = ? order by seq")
            ps.setString(1, instrumentId)
            def rs = ps.executeQuery()
            def out = []
            while (rs.next()) { out << [rs.getString(1), rs.getLong(2), rs.getBoolean(3)] }
            out
        }
    }

    long audits(String action, String targetId) {
        tenants.inTenant(f.tenantA) { c ->
            def ps = c.prepareStatement('select count(*) from audit_event where action = ? and target_id = ?')
            ps.setString(1, action); ps.setString(2, targetId)
            def rs = ps.executeQuery(); rs.next(); rs.getLong(1)
        }
    }

    /** Another person of tenant A with {@code role} on {@code scopeType}/{@code scopeId}; returns a token. */
    String person(Role role, ScopeType scopeType, String scopeId) {
        def idp = SharedDevStack.get().identityProvider()
        String issuerId = "iso-a-${f.run}".toString()
        String token = idp.server().issueToken(issuerId, 'client', new DefaultOAuth2TokenCallback(issuerId,
                unique('person'), 'JWT', ['labcommons'], [:], 3600)).serialize()
        UUID userId = UUID.fromString(send('GET', '/api/v1/me', token).body.userId as String)
        if (role != null) {
            roles.grant(f.tenantA, userId, role, scopeType, scopeId == null ? null : UUID.fromString(scopeId), null)
        }
        token
    }

    TenantId getTenantA() { f.tenantA }
}
