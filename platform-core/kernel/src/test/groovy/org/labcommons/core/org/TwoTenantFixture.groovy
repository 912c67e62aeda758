package org.labcommons.core.org

import io.micronaut.context.ApplicationContext
import io.micronaut.json.JsonMapper
import io.micronaut.runtime.server.EmbeddedServer
import org.labcommons.core.security.Role
import org.labcommons.core.tenancy.TenantId
import org.labcommons.testkit.Api
import org.labcommons.testkit.TenantWorld

import java.net.http.HttpClient

/**
 * Two institutions, each trusting its own issuer, each with an institution admin signed in: a
 * {@link TenantWorld} recipe ({@code iso-a}/{@code iso-b} with {@code admin-a}/{@code admin-b}).
 */
class TwoTenantFixture {
    final TenantWorld world
    final String run
    final HttpClient http = HttpClient.newHttpClient()
    final String base
    final JsonMapper json
    private final Api api
    TenantId tenantA, tenantB
    String tokenA, tokenB

    /** The two tenants, as a world of their own. */
    static TenantWorld world(ApplicationContext ctx) {
        TenantWorld.build(ctx) {
            institution('iso-a', nameZh: '隔离A', nameEn: 'Isolation A') { person('admin-a', Role.INSTITUTION_ADMIN) }
            institution('iso-b', nameZh: '隔离B', nameEn: 'Isolation B') { person('admin-b', Role.INSTITUTION_ADMIN) }
        }
    }

    /** For a {@link org.labcommons.testkit.PlatformSpec}: its context and server. */
    TwoTenantFixture(ApplicationContext ctx) {
        this("http://localhost:${ctx.getBean(EmbeddedServer).port}", ctx.getBean(JsonMapper), world(ctx))
    }

    private TwoTenantFixture(String base, JsonMapper json, TenantWorld world) {
        this.base = base
        this.json = json
        this.world = world
        this.run = world.run
        this.api = new Api(base, json)
        tenantA = new TenantId(world.tenant('iso-a').id)
        tenantB = new TenantId(world.tenant('iso-b').id)
        tokenA = world.token('admin-a')
        tokenB = world.token('admin-b')
    }

    Map send(String method, String path, String token, String body = null) {
        api.send(method, path, token, body)
    }

    Map create(String token, Map unit) {
        send('POST', '/api/v1/org-units', token, json.writeValueAsString(unit))
    }
}
