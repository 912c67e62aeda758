package org.labcommons.tenantadmin.onboarding

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.apache.kafka.clients.consumer.ConsumerConfig
import org.apache.kafka.clients.consumer.KafkaConsumer
import org.apache.kafka.common.serialization.StringDeserializer
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.devstack.SharedDevStack
import spock.lang.Shared

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration

/**
 * A network's member institutions: aggregates only (through the reviewed function), suspension
 * that blocks the members' users and hides their published entries without deleting anything,
 * reactivation that restores both, lifecycle events through the outbox, and the connection test.
 */
class MembersSpec extends ManyFormsSpec {

    @Inject TenantTransactions tenants
    @Inject JsonMapper json
    @Shared NetworkFixture f
    @Shared TenantId member
    @Shared String memberSlug
    @Shared String memberUser

    def setup() {
        if (f == null) {
            f = new NetworkFixture(ctx)
            memberSlug = "lake-${f.run}".toString()
            def id = f.apply(f.application(memberSlug)).body.id
            member = new TenantId(UUID.fromString(f.approve(id)
                    .body.provisionedTenantId as String))
            // its instruments: two published (public, network), one kept in the tenant, one archived
            tenants.inTenant(member) { c ->
                [['A-1', 1_000_000_00L, 'public', false], ['A-2', 2_500_000_00L, 'network', false],
                 ['A-3', 300_000_00L, 'tenant', false], ['A-4', 9_000_000_00L, 'consortium', true]].each { asset, fen, scope, archived ->
                    c.prepareStatement("insert into instrument (tenant_id, id, asset_number, name_zh, name_en, original_value_fen, " +
                            "sharing_scope, archived_at) values (?, ?, ?, '仪器', 'Instrument', ?, ?, ${archived ? 'now()' : 'null'})").with {
                        setObject(1, member.value()); setObject(2, UUID.randomUUID()); setString(3, asset as String)
                        setLong(4, fen as long); setString(5, scope as String); executeUpdate()
                    }
                }
            }
            memberUser = NetworkFixture.token("uni-${memberSlug}", "staff-${f.run}")
        }
    }

    def "a network admin sees its members with aggregates only: count and value exclude archived, published share"() {
        when:
        def list = f.send('GET', '/api/v1/onboarding/members?size=100', f.tokenA)
        def row = list.body.items.find { it.slug == memberSlug }
        def one = f.send('GET', "/api/v1/onboarding/members/${member}", f.tokenA)

        then:
        list.status == 200
        list.body.items*.slug.containsAll([memberSlug, "member-${f.run}".toString()])
        row.instrumentCount == 3
        row.totalValueFen == 3_800_000_00L
        row.publishedCount == 2
        Math.abs((row.publishedShare as double) - 2 / 3) < 1e-9
        row.status == 'active'
        one.body == row
        // aggregates only: nothing at instrument level in the answer
        !json.writeValueAsString(list.body).contains('A-1')
        f.send('GET', '/api/v1/onboarding/members', f.tokenB).body.items*.slug.disjoint([memberSlug])
    }

    def "the aggregate function answers only for the network bound to the transaction"() {
        expect: 'bound to network B and asking for network A: nothing'
        tenants.inTenant(f.networkB) { c ->
            def ps = c.prepareStatement('select count(*) from network_member_aggregates(?)')
            ps.setObject(1, f.networkA.value())
            def rs = ps.executeQuery(); rs.next(); rs.getLong(1)
        } == 0L

        and: 'bound to network A: its members'
        tenants.inTenant(f.networkA) { c ->
            def ps = c.prepareStatement('select count(*) from network_member_aggregates(?)')
            ps.setObject(1, f.networkA.value())
            def rs = ps.executeQuery(); rs.next(); rs.getLong(1)
        } >= 2L

        and: "the network still cannot read the member's instruments directly"
        tenants.inTenant(f.networkA) { c -> def rs = c.prepareStatement('select count(*) from instrument').executeQuery(); rs.next(); rs.getLong(1) } == 0L
    }

    def "suspension blocks the member's users and hides its catalogue, emits an event, deletes nothing; reactivation restores both"() {
        given: 'before: its user works, its catalogue is public, a browser session exists'
        assert f.send('GET', '/api/v1/me', memberUser).status == 200
        assert f.send('GET', "/api/v1/public/tenants/${memberSlug}/instruments", null).body.total == 1
        String cookie = browserSignIn(f.issuer("uni-${memberSlug}"), "staff-${f.run}")
        assert page(cookie).contains("staff-${f.run}")

        when:
        def noReason = f.post("/api/v1/onboarding/members/${member}/suspend", f.tokenA, [:])
        def suspended = f.post("/api/v1/onboarding/members/${member}/suspend", f.tokenA, [reason: 'Unpaid membership fee'])

        then:
        noReason.status == 400
        noReason.body.errors*.field == ['reason']
        suspended.status == 200
        suspended.body.status == 'suspended'
        suspended.body.statusReason == 'Unpaid membership fee'

        and: "its users are refused with a clear reason, sign-in is refused, the session has ended"
        with(f.send('GET', '/api/v1/me', memberUser)) {
            status == 403
            body.code == 'tenant_suspended'
        }
        loginStart(f.issuer("uni-${memberSlug}")).statusCode() == 403
        !page(cookie).contains("staff-${f.run}")

        and: 'its catalogue is gone from the public view; nothing is deleted'
        f.send('GET', "/api/v1/public/tenants/${memberSlug}/instruments", null).status == 404
        f.count(member, 'select count(*) from instrument') == 4
        f.count(member, 'select count(*) from org_unit') == 2

        and: 'a forged token for the suspended tenant still gets the ordinary 401 (no hint)'
        f.send('GET', '/api/v1/me', memberUser[0..-3] + 'xx').status == 401

        and: 'audited in both logs, an event on the lifecycle topic'
        f.count(member, "select count(*) from audit_event where action = 'tenant.suspended'") == 1
        f.count(f.networkA, "select count(*) from audit_event where action = 'tenant.suspended' and target_id = '${member}'") == 1
        lifecycleEvent(member, 'tenant.suspended').payload.status == 'suspended'

        when: 'suspending twice is a conflict; reactivating'
        def twice = f.post("/api/v1/onboarding/members/${member}/suspend", f.tokenA, [reason: 'again'])
        def back = f.post("/api/v1/onboarding/members/${member}/reactivate", f.tokenA, [reason: 'Fee paid'])

        then:
        twice.status == 409
        twice.body.code == 'wrong_state'
        back.status == 200
        back.body.status == 'active'
        f.send('GET', '/api/v1/me', memberUser).status == 200
        f.send('GET', "/api/v1/public/tenants/${memberSlug}/instruments", null).body.total == 1
        loginStart(f.issuer("uni-${memberSlug}")).statusCode() == 303
        lifecycleEvent(member, 'tenant.reactivated').aggregateVersion > lifecycleEvent(member, 'tenant.suspended').aggregateVersion
        f.post("/api/v1/onboarding/members/${member}/reactivate", f.tokenA, [reason: 'again']).status == 409
    }

    def "another network can neither suspend nor read this member"() {
        expect:
        f.post("/api/v1/onboarding/members/${member}/suspend", f.tokenB, [reason: 'hostile']).status == 404
        f.send('GET', "/api/v1/onboarding/members/${member}", f.tokenB).status == 404
        f.send('GET', "/api/v1/onboarding/members/${member}/identity-providers", f.tokenB).status == 404
        f.send('GET', "/api/v1/onboarding/members/${member}", f.tokenA).body.status == 'active'
    }

    def "test the connection of a member's identity provider: the result is shown and recorded"() {
        when:
        def results = f.send('POST', "/api/v1/onboarding/members/${member}/identity-providers/test", f.tokenA)
        def registrations = f.send('GET', "/api/v1/onboarding/members/${member}/identity-providers", f.tokenA)

        then:
        results.status == 200
        results.body*.code == ['ok']
        results.body[0].keys >= 1
        registrations.body[0].issuer == f.issuer("uni-${memberSlug}")
        registrations.body[0].lastCheckResult == 'ok'
        registrations.body[0].lastCheckedAt != null
        f.count(member, "select count(*) from audit_event where action = 'trusted_issuer.checked'") == 1
    }

    // --- helpers

    HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()

    HttpResponse<String> loginStart(String issuer) {
        browser.send(HttpRequest.newBuilder(URI.create("http://localhost:${server.port}/login?issuer=" +
                URLEncoder.encode(issuer, 'UTF-8'))).GET().build(), HttpResponse.BodyHandlers.ofString())
    }

    /** The browser sign-in with the tenant's own issuer (a public client with PKCE); the session cookie. */
    String browserSignIn(String issuer, String username) {
        def start = loginStart(issuer)
        assert start.statusCode() == 303: start.body()
        def login = browser.send(HttpRequest.newBuilder(URI.create(start.headers().firstValue('Location').get()))
                .POST(HttpRequest.BodyPublishers.ofString('username=' + URLEncoder.encode(username, 'UTF-8')))
                .header('Content-Type', 'application/x-www-form-urlencoded').build(), HttpResponse.BodyHandlers.ofString())
        // the callback comes from the browser that started: it carries the cookie binding the sign-in to it
        String binding = start.headers().allValues('Set-Cookie').find { it.startsWith('LC_LOGIN=') }.split(';')[0]
        def done = browser.send(HttpRequest.newBuilder(URI.create(login.headers().firstValue('Location').get()))
                .header('Cookie', binding).GET().build(), HttpResponse.BodyHandlers.ofString())
        assert done.statusCode() == 303: done.body()
        done.headers().allValues('Set-Cookie').find { it.startsWith('LC_SESSION=') }.split(';')[0]
    }

    String page(String cookie) {
        browser.send(HttpRequest.newBuilder(URI.create("http://localhost:${server.port}/?lang=en")).header('Cookie', cookie)
                .GET().build(), HttpResponse.BodyHandlers.ofString()).body()
    }

    Map lifecycleEvent(TenantId tenant, String type) {
        def props = new Properties()
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedDevStack.get().properties()['labcommons.kafka.bootstrap'])
        props.put(ConsumerConfig.GROUP_ID_CONFIG, 'members-spec-' + UUID.randomUUID())
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, 'earliest')
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, 'read_committed')
        new KafkaConsumer<String, String>(props, new StringDeserializer(), new StringDeserializer()).withCloseable { consumer ->
            consumer.subscribe(['tenant.lifecycle.v1'])
            long deadline = System.currentTimeMillis() + 30_000
            while (System.currentTimeMillis() < deadline) {
                for (def r : consumer.poll(Duration.ofMillis(500))) {
                    def envelope = json.readValue(r.value(), Map)
                    if (r.key() == tenant.toString() && envelope.type == type
                            && new String(r.headers().lastHeader('tenant-id').value(), 'UTF-8') == tenant.toString()) {
                        return envelope
                    }
                }
            }
            throw new AssertionError("no ${type} event for ${tenant}")
        }
    }
}
