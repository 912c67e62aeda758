package org.labcommons.iot.access

import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import java.time.Instant

/**
 * The access decision as HTTP endpoints for brokers (EMQX 5's HTTP authentication and authorization,
 * the HiveMQ CE extension, the dev stack): only a broker with the broker token is answered, and the
 * answers have the shape EMQX reads ({@code result}, {@code is_superuser}, {@code acl}).
 */
class BrokerEndpointsSpec extends PlatformSpec {

    @Shared TenantWorld world

    def setupSpec() {
        world = TenantWorld.build(ctx) { institution('donghu'); institution('xiling') }
    }

    UUID tenant(String name) { world.tenant(name).id as UUID }

    String getToken() { ctx.getProperty('labcommons.iot.access.broker-token', String).get() }

    def "the endpoints answer no one without the broker token"() {
        expect:
        api.post('/api/iot/broker/auth', null, [clientId: 'x', username: 'x', password: 'x']).status == 401
        api.post('/api/iot/broker/auth', token + 'x', [clientId: 'x', username: 'x', password: 'x']).status == 401
        api.post('/api/iot/broker/acl', 'not-the-token', [username: 'x', topic: 'a', action: 'publish']).status == 401
        api.get('/api/iot/broker/revocations?since=2026-01-01T00:00:00Z', null).status == 401

        and: 'with it, they answer'
        api.post('/api/iot/broker/auth', token, [clientId: 'x', username: 'x', password: 'x']) == [status: 200, body: [result: 'deny']]
    }

    def "a device's CONNECT as EMQX sends it is allowed with its grant and the same as EMQX ACL rules ending in deny-all"() {
        given:
        UUID donghu = tenant('donghu')
        Map d = new Devices(ctx).provision(donghu)
        String id = d.id.toString()
        String prefix = "lc/v1/${donghu}/${id}/"

        when:
        Map answer = api.post('/api/iot/broker/auth', token, [clientId: id, username: id, password: d.secret])

        then:
        answer.status == 200
        answer.body.result == 'allow'
        answer.body.is_superuser == false
        answer.body.tenantId == donghu.toString()
        answer.body.deviceId == id
        answer.body.publish == [prefix + 'up/#']
        answer.body.subscribe == [prefix + 'down/#']
        answer.body.acl == [[permission: 'allow', action: 'publish', topic: prefix + 'up/#'],
                            [permission: 'allow', action: 'subscribe', topic: prefix + 'down/#'],
                            [permission: 'deny', action: 'all', topic: '#']]

        and: 'a wrong secret is a deny answer, not an error (EMQX reads 4xx/5xx as "ignore")'
        api.post('/api/iot/broker/auth', token, [clientId: id, username: id, password: 'nope']) == [status: 200, body: [result: 'deny']]
    }

    def "EMQX's per-operation authorization: #action #topic by #who is #result"() {
        given:
        UUID own = tenant('donghu')
        UUID foreign = tenant('xiling')
        Map d = device ?: (device = new Devices(ctx).provision(own))
        String user = who == 'device' ? d.id.toString() : who == 'bridge' ? ctx.getProperty('labcommons.mqtt.user', String).get() : who
        String t = topic.replace('{own}', "lc/v1/${own}/${d.id}").replace('{other}', "lc/v1/${foreign}/${d.id}")

        expect:
        api.post('/api/iot/broker/acl', token, [clientId: user, username: user, topic: t, action: action]).body == [result: result]

        where:
        who      | action      | topic                                     || result
        'device' | 'publish'   | '{own}/up/event'                          || 'allow'
        'device' | 'publish'   | '{own}/down/cmd'                          || 'deny'
        'device' | 'publish'   | '{other}/up/event'                        || 'deny'
        'device' | 'publish'   | '{own}/up/#'                              || 'deny'
        'device' | 'subscribe' | '{own}/down/#'                            || 'allow'
        'device' | 'subscribe' | '{own}/up/#'                              || 'deny'
        'device' | 'subscribe' | '#'                                       || 'deny'
        'device' | 'delete'    | '{own}/up/event'                          || 'deny'
        'bridge' | 'subscribe' | '$share/labcommons-bridge/lc/v1/+/+/up/#' || 'allow'
        'bridge' | 'subscribe' | 'lc/v1/+/+/up/#'                          || 'allow'
        'bridge' | 'subscribe' | '#'                                       || 'deny'
        'bridge' | 'publish'   | '{own}/down/cmd'                          || 'allow'
        'bridge' | 'publish'   | '{own}/up/event'                          || 'deny'
        'nobody' | 'publish'   | '{own}/up/event'                          || 'deny'
    }

    @Shared Map device

    def "the revocations name the devices revoked since an instant"() {
        given:
        def devices = new Devices(ctx)
        Map kept = devices.provision(tenant('donghu')), revoked = devices.provision(tenant('xiling'))
        Instant before = Instant.now().minusSeconds(1)
        devices.revoke(revoked)

        when:
        Map answer = api.get("/api/iot/broker/revocations?since=${before}", token)

        then:
        answer.status == 200
        revoked.id.toString() in answer.body.clients
        !(kept.id.toString() in answer.body.clients)
        Instant.parse(answer.body.asOf) >= before

        and: 'a bad instant is refused'
        api.get('/api/iot/broker/revocations?since=yesterday', token).status == 400
    }
}
