package org.labcommons.core.org

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

/** Two institutions, each trusting its own issuer, each with an institution admin signed in. */
class TwoTenantFixture {
    final String run = UUID.randomUUID().toString().substring(0, 8)
    final HttpClient http = HttpClient.newHttpClient()
    final String base
    final JsonMapper json
    TenantId tenantA, tenantB
    String tokenA, tokenB

    TwoTenantFixture(String base, DataSource dataSource, TenantTransactions tenants, RoleAssignments roles, JsonMapper json) {
        this.base = base
        this.json = json
        def idp = SharedDevStack.get().identityProvider()
        [a: 'A', b: 'B'].each { key, label ->
            def tenant = new TenantId(UUID.randomUUID())
            String issuerId = "iso-${key}-${run}"
            DelegatingDataSource.unwrapDataSource(dataSource).connection.withCloseable { c ->
                c.createStatement().execute("insert into tenant (id, slug, kind, name_zh, name_en) values " +
                        "('${tenant}', 'iso-${key}-${run}', 'institution', '隔离${label}', 'Isolation ${label}')")
            }
            tenants.inTenant(tenant) { c ->
                c.prepareStatement("insert into trusted_issuer (tenant_id, id, issuer, audience, enabled, algorithms) " +
                        "values (?, ?, ?, 'labcommons', true, array['RS256'])").with {
                    setObject(1, tenant.value()); setObject(2, UUID.randomUUID()); setString(3, idp.issuer(issuerId)); executeUpdate()
                }
            }
            String token = idp.server().issueToken(issuerId, 'client', new DefaultOAuth2TokenCallback(issuerId,
                    "admin-${key}-${run}", 'JWT', ['labcommons'], [:], 3600)).serialize()
            UUID userId = UUID.fromString(send('GET', '/api/v1/me', token).body.userId as String)
            roles.grant(tenant, userId, Role.INSTITUTION_ADMIN, ScopeType.TENANT, null, null)
            if (key == 'a') { tenantA = tenant; tokenA = token } else { tenantB = tenant; tokenB = token }
        }
    }

    Map send(String method, String path, String token, String body = null) {
        def b = HttpRequest.newBuilder(URI.create(base + path)).header('Authorization', 'Bearer ' + token)
                .header('Accept-Language', 'en')
        if (body != null) { b.header('Content-Type', 'application/json') }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString())
        [status: r.statusCode(), body: r.body() ? json.readValue(r.body(), Map) : [:]]
    }

    Map create(String token, Map unit) {
        send('POST', '/api/v1/org-units', token, json.writeValueAsString(unit))
    }
}
