package org.labcommons.core.billing.charges

import org.labcommons.core.usage.UsageTopics
import org.labcommons.core.web.auth.WebSessions
import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.PageForms
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import java.net.http.HttpClient
import java.net.http.HttpResponse
import java.time.Duration
import java.time.Instant

import static org.labcommons.testkit.TenantWorld.*

/**
 * The charges' pages over HTTP: the review queue (en on request) with its forms, a waiver without a reason answers 422
 * with the message under the field, approving redirects back; /my/charges shows only the caller's charges; the queue is
 * only for staff, and another person's charge cannot be disputed.
 */
class ChargePagesSpec extends PlatformSpec {
    @Shared TenantWorld world
    @Shared ChargeFixture fx
    @Shared String nmr
    @Shared Map<String, Map> web = [:]
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()

    def setup() {
        if (world != null) {
            return
        }
        world = TenantWorld.build(ctx) {
            institution('chp-donghu') {
                rateGroup('internal')
                unit('chp-lab')
                person('chp-manager', INSTRUMENT_ADMIN, unit: 'chp-lab')
                person('chp-user', USER)
                person('chp-stranger', USER)
                instrument('NMR page charges', nameZh: '页面计费核磁', unit: 'chp-lab')
            }
        }
        fx = new ChargeFixture(ctx, world.tenant('chp-donghu').id)
        nmr = world.instrument('NMR page charges').id
        fx.card(nmr)
        ['chp-manager', 'chp-user', 'chp-stranger'].each { name ->
            def created = ctx.getBean(WebSessions).create(SharedDevStack.get().identityProvider().issuer(world.tenant('chp-donghu').issuerId),
                    world.person(name).subject, name, Duration.ofHours(2))
            web[name] = [cookie: "LC_SESSION=${created.rawId()}".toString(), csrf: created.session().csrfToken()]
        }
    }

    HttpResponse<String> get(String who, String path) { PageForms.get(http, baseUrl + path, web[who]) }

    HttpResponse<String> post(String who, String path, Map fields) { PageForms.post(http, baseUrl + path, web[who], fields) }

    String charge() {
        UUID session = UUID.randomUUID()
        Instant start = Instant.now().minus(Duration.ofDays(1))
        fx.deliver(UsageTopics.USAGE_SESSION, fx.envelope('usage.session.closed', 'usage_session', session.toString(), 1,
                fx.sessionPayload(session, nmr, start, start.plus(Duration.ofMinutes(45)), [userId: world.person('chp-user').userId.toString()])))
        fx.charges(session)[0].id.toString()
    }

    def "the queue lists a pending charge with its forms; a waiver needs a reason; approving redirects back and posts"() {
        given:
        String id = charge()

        when:
        def queue = get('chp-manager', '/admin/charges?lang=en')
        def noReason = post('chp-manager', "/admin/charges/${id}/waive?lang=en", [reason: ''])
        def approved = post('chp-manager', "/admin/charges/${id}/approve", [:])

        then:
        queue.statusCode() == 200
        queue.body().contains('Charge review')
        queue.body().contains("data-charge=\"${id}\" data-status=\"pending\"")
        queue.body().contains('NMR page charges')
        noReason.statusCode() == 422
        noReason.body().contains('must not be blank')
        approved.statusCode() == 303
        approved.headers().firstValue('Location').orElse('') == '/admin/charges'
        api.get("/api/v1/charges/${id}", world.token('chp-manager')).body.postedFen == 9_000
        get('chp-manager', '/admin/charges?status=approved').body().contains("data-charge=\"${id}\"")
    }

    def "my charges show only mine, in Chinese by default; only staff open the queue; nobody disputes another's charge"() {
        given:
        String id = charge()

        expect:
        get('chp-user', '/my/charges').body().contains("data-charge=\"${id}\"")
        get('chp-user', '/my/charges').body().contains('我的费用')
        !get('chp-stranger', '/my/charges').body().contains("data-charge=\"${id}\"")
        get('chp-user', '/admin/charges').statusCode() == 403
        post('chp-stranger', "/my/charges/${id}/dispute", [reason: 'not mine']).statusCode() == 404
        post('chp-user', "/my/charges/${id}/dispute", [reason: '']).statusCode() == 422
        post('chp-user', "/my/charges/${id}/dispute", [reason: '时间不对']).statusCode() == 303
        api.get("/api/v1/charges/${id}", world.token('chp-user')).body.status == 'disputed'
    }
}
