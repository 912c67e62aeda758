package org.labcommons.tenantadmin.onboarding

import org.labcommons.devstack.SharedDevStack
import spock.lang.Shared

import java.util.concurrent.Callable
import java.util.concurrent.CyclicBarrier
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

/**
 * Which identity provider an institution may register (dev mode, as the embedded platform and the
 * shared test context run): never the consortium's own issuer, and one issuer belongs to one
 * tenant, decided by the database even when two approvals race.
 */
class IssuerRegistrationSpec extends ManyFormsSpec {

    @Shared NetworkFixture f

    def setup() {
        if (f == null) {
            f = new NetworkFixture(ctx)
        }
    }

    def "the consortium's own issuer cannot be registered for an institution (#spelling), with a message in zh-CN and en"() {
        given:
        String consortium = SharedDevStack.get().identityProvider().issuer('consortium')
        String issuer = spelling == 'as configured' ? consortium : consortium + '/'
        String slug = "cons-${spelling == 'as configured' ? 'a' : 'b'}-${f.run}"

        when:
        def en = f.apply(f.application(slug, [issuerUrl: issuer]))
        def zh = f.send('POST', '/api/v1/public/onboarding/applications', null,
                f.json.writeValueAsString(f.application(slug, [issuerUrl: issuer])), ['Accept-Language': 'zh-CN'])

        then:
        en.status == 400
        en.body.code == 'validation_failed'
        en.body.errors*.field == ['issuerUrl']
        en.body.errors[0].code == 'consortium_issuer'
        en.body.errors[0].message.contains("consortium's identity provider")
        zh.status == 400
        zh.body.errors[0].message.contains('联盟身份提供方')

        where:
        spelling << ['as configured', 'with a trailing slash']
    }

    def "in dev mode an institution's issuer on the dev provider (http://localhost) is accepted"() {
        expect:
        f.apply(f.application("dev-ok-${f.run}".toString())).status == 201
    }

    def "two approvals naming one issuer at the same moment: exactly one wins, the other is a 409 on the issuer and leaves nothing"() {
        given: 'two applications (different institutions) that name the same identity provider'
        String issuer = f.issuer("uni-shared-${f.run}")
        List<String> slugs = ["race-a-${f.run}".toString(), "race-b-${f.run}".toString()]
        List<String> ids = slugs.collect { s ->
            def r = f.apply(f.application(s, [issuerUrl: issuer]))
            assert r.status == 201: r.body
            r.body.id as String
        }
        ids.each { id -> assert f.send('POST', "/api/v1/onboarding/applications/${id}/identity-provider/test", f.tokenA).body.ok }
        def barrier = new CyclicBarrier(2)
        def pool = Executors.newFixedThreadPool(2)

        when: 'the network admin approves both at once'
        def results = pool.invokeAll(ids.collect { id ->
            { ->
                barrier.await(10, TimeUnit.SECONDS)
                f.send('POST', "/api/v1/onboarding/applications/${id}/approve", f.tokenA)
            } as Callable<Map>
        })*.get()
        pool.shutdown()
        def winner = results.find { it.status == 200 }
        def loser = results.find { it.status != 200 }
        String loserId = ids[results.indexOf(loser)]
        String loserSlug = slugs[results.indexOf(loser)]

        then: 'one is provisioned, the other refused with a clear problem on the issuer field'
        results*.status.sort() == [200, 409]
        winner.body.status == 'approved'
        loser.body.code == 'conflict'
        loser.body.errors*.field == ['issuerUrl']
        loser.body.errors[0].code == 'taken'
        loser.body.errors[0].message.contains('already registered by another institution')

        and: 'the issuer belongs to the winner only; the loser stays in the queue and got no tenant'
        f.direct { c ->
            def ps = c.prepareStatement('select claimed_by::text from trusted_issuer_claim where issuer = ?')
            ps.setString(1, issuer)
            def rs = ps.executeQuery()
            List<String> owners = []
            while (rs.next()) { owners << rs.getString(1) }
            owners
        } == [winner.body.provisionedTenantId as String]
        f.send('GET', "/api/v1/onboarding/applications/${loserId}", f.tokenA).body.status == 'submitted'
        f.direct { c ->
            def ps = c.prepareStatement('select count(*) from tenant where slug = ?')
            ps.setString(1, loserSlug)
            def rs = ps.executeQuery()
            rs.next()
            rs.getLong(1)
        } == 0

        when: 'approved again later, it is still refused the same way'
        def again = f.send('POST', "/api/v1/onboarding/applications/${loserId}/approve", f.tokenA)

        then:
        again.status == 409
        again.body.errors*.field == ['issuerUrl']
    }
}
