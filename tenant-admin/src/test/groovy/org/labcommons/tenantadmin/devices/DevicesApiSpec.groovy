package org.labcommons.tenantadmin.devices

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.core.audit.AuditEventRows
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.core.web.auth.WebSessions
import org.labcommons.devstack.SharedDevStack
import org.labcommons.iot.devices.DeviceDirectory
import org.labcommons.iot.devices.DeviceRegistry
import org.labcommons.iot.devices.DeviceSecrets
import org.labcommons.testkit.IsolationProbe
import org.labcommons.testkit.PageForms
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import java.net.http.HttpClient
import java.time.Duration
import java.time.Instant

import static org.labcommons.testkit.TenantWorld.INSTITUTION_ADMIN
import static org.labcommons.testkit.TenantWorld.INSTRUMENT_ADMIN
import static org.labcommons.testkit.TenantWorld.USER

/**
 * Device provisioning through the API ({@code /api/v1/devices}) and the claim endpoint, against
 * the registry and directory the broker uses: a secret is answered once and works until rotated,
 * a revocation is visible to the revocation sweep, claim codes work once and expire, bad input is
 * problem+json naming the fields, and another institution's admin cannot reach a device. The
 * instrument page's panel lists an instrument's controllers for the owner's staff only.
 */
class DevicesApiSpec extends PlatformSpec {
    @Inject DeviceDirectory directory
    @Inject DeviceRegistry registry
    @Inject TenantTransactions tenants
    @Inject AuditEventRows auditRows
    @Inject JsonMapper json
    @Inject WebSessions sessions

    @Shared TenantWorld world
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()

    def setupSpec() {
        world = TenantWorld.build(ctx) {
            institution('dv-a') {
                unit('lab')
                person('ada', INSTITUTION_ADMIN)
                person('ian', INSTRUMENT_ADMIN, unit: 'lab')
                person('uma', USER)
                instrument('Power-logged NMR', unit: 'lab', scope: 'public')
            }
            institution('dv-b') {
                person('bea', INSTITUTION_ADMIN)
                instrument('B microscope')
            }
        }
    }

    String token(String who) { world.token(who) }

    UUID instrumentOfA() { UUID.fromString(world.instrument('Power-logged NMR').id as String) }

    Map create(Map body, String who = 'ada') { api.post('/api/v1/devices', token(who), body) }

    List<String> auditActions(String tenant, String id) {
        tenants.inTenant(new TenantId(world.tenant(tenant).id)) { c -> auditRows.about('device', id)*.action() }
    }

    def "a created device's secret is answered once, works until rotated, and the config file tells a controller where to go"() {
        given:
        Instant before = Instant.now().minusSeconds(1)

        when:
        def created = create([kind: 'power_interlock', name: 'NMR interlock', instrumentId: instrumentOfA()])
        String id = created.body.device.id
        String secret = created.body.secret
        Map config = json.readValue(created.body.config as String, Map)
        def read = api.get("/api/v1/devices/${id}", token('ada'))
        def listed = api.get("/api/v1/devices?instrumentId=${instrumentOfA()}", token('ada'))

        then:
        created.status == 201
        UUID.fromString(id).version() == 7
        secret.length() == 43
        config.protocol == 'LC-IC/1'
        config.brokerUrl == ctx.getProperty('labcommons.mqtt.url', String).get()
        config.tenantId == world.tenant('dv-a').id.toString() && config.deviceId == id
        config.username == id && config.clientId == id && config.password == secret
        config.topicPrefix == "lc/v1/${world.tenant('dv-a').id}/${id}/".toString()
        config.keys.subMap(['algorithm', 'publicKey', 'privateKey']) == [algorithm: 'Ed25519', publicKey: '', privateKey: '']
        // the platform's interlock key (43 characters of base64url), which verifies the offline grant caches
        config.keys.platformKey ==~ /[A-Za-z0-9_-]{43}/
        read.status == 200 && read.body.kind == 'power_interlock' && read.body.instrumentId == instrumentOfA().toString()
        !read.body.containsKey('secret') && !json.writeValueAsString(read.body).contains(secret)
        !json.writeValueAsString(read.body).contains('pbkdf2')
        listed.body.items*.id == [id] && listed.body.total == 1
        !json.writeValueAsString(listed.body).contains(secret)
        DeviceSecrets.matches(secret, directory.credential(UUID.fromString(id)).get().secretHash())

        when: 'the secret is rotated'
        def rotated = api.post("/api/v1/devices/${id}/rotate", token('ada'), [:])
        def credential = directory.credential(UUID.fromString(id)).get()

        then: 'the old secret stops working, the new one works, and the sweep sees the change'
        rotated.status == 200
        rotated.body.secret != secret
        json.readValue(rotated.body.config as String, Map).password == rotated.body.secret
        !DeviceSecrets.matches(secret, credential.secretHash())
        DeviceSecrets.matches(rotated.body.secret as String, credential.secretHash())
        directory.revokedSince(before).contains(UUID.fromString(id))
        auditActions('dv-a', id) == ['device.created', 'device.secret_rotated']
    }

    def "a revoked device is refused from then on: the sweep lists it and it cannot be rotated or revoked again"() {
        given:
        Instant before = Instant.now().minusSeconds(1)
        String id = create([kind: 'card_reader', name: 'Door 204 reader', room: 'B-204']).body.device.id

        when:
        def revoked = api.post("/api/v1/devices/${id}/revoke", token('ada'), [:])

        then:
        revoked.status == 200 && revoked.body.revokedAt != null && !revoked.body.online
        directory.revokedSince(before).contains(UUID.fromString(id))
        directory.credential(UUID.fromString(id)).get().revoked()
        api.post("/api/v1/devices/${id}/rotate", token('ada'), [:]).with { status == 409 && body.code == 'wrong_state' }
        api.post("/api/v1/devices/${id}/revoke", token('ada'), [:]).status == 409
        auditActions('dv-a', id) == ['device.created', 'device.revoked']
    }

    def "a controller claims its device once with the code, a wrong or expired code is a clear problem, bad fields are named"() {
        given:
        String key = Base64.urlEncoder.withoutPadding().encodeToString((1..32) as byte[])
        def created = create([kind: 'pc_agent', name: 'NMR PC agent', instrumentId: instrumentOfA(), claimCode: true])
        String id = created.body.device.id
        String code = created.body.claimCode

        expect: 'the code instead of credentials'
        created.status == 201
        code ==~ /[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}/
        created.body.secret == null && created.body.config == null
        created.body.device.claimExpiresAt != null

        when:
        def wrong = api.post('/api/v1/public/iot/claim', null, [code: 'ZZZZZ-ZZZZZ', publicKey: key])
        def bad = api.post('/api/v1/public/iot/claim', null, [code: 'not a code!', publicKey: 'short'])
        def claimed = api.post('/api/v1/public/iot/claim', null, [code: code.toLowerCase(), publicKey: key, firmware: 'agent 2.1'])
        def again = api.post('/api/v1/public/iot/claim', null, [code: code, publicKey: key])
        def credential = directory.credential(UUID.fromString(id)).get()

        then:
        wrong.status == 404 && wrong.body.code == 'claim_unknown' && wrong.body.title == 'Unknown claim code'
        bad.status == 400 && bad.body.code == 'validation_failed' && bad.body.errors*.field.toSet() == ['code', 'publicKey'] as Set
        claimed.status == 200
        claimed.body.device.id == id && claimed.body.device.publicKey == key && claimed.body.device.firmware == 'agent 2.1'
        json.readValue(claimed.body.config as String, Map).with { password == claimed.body.secret && keys.publicKey == key }
        DeviceSecrets.matches(claimed.body.secret as String, credential.secretHash())
        credential.publicKey() == (1..32) as byte[]
        again.status == 404
        api.get("/api/v1/devices/${id}", token('ada')).body.claimExpiresAt == null
        auditActions('dv-a', id) == ['device.created', 'device.claimed']

        when: 'a code past its 24 hours'
        def late = create([kind: 'power_meter', name: 'Late meter', room: 'B-1', claimCode: true])
        TenantWorld.inTenant(world.tenant('dv-a').id) { c ->
            c.createStatement().executeUpdate("update devices set claim_expires_at = now() - interval '1 minute' where id = '${late.body.device.id}'")
        }
        def expired = api.post('/api/v1/public/iot/claim', null, [code: late.body.claimCode, publicKey: key])

        then:
        expired.status == 410 && expired.body.code == 'claim_expired'
    }

    def "bad input is problem+json naming each field; a name is unique; another tenant's instrument is unknown; only admins provision"() {
        when:
        def empty = create([:])
        def wrong = create([kind: 'toaster', name: 'x' * 201, room: 'r', publicKey: 'AAAA'])
        create([kind: 'power_meter', name: 'Twin', room: 'B-9'])
        def twin = create([kind: 'power_meter', name: 'Twin', room: 'B-9'])
        def foreign = create([kind: 'power_meter', name: 'Foreign', instrumentId: world.instrument('B microscope').id])
        def byUser = create([kind: 'power_meter', name: 'Mine', room: 'B-9'], 'uma')
        def listByStaff = api.get('/api/v1/devices', token('ian'))
        def anonymous = api.get('/api/v1/devices', null)

        then:
        empty.status == 400 && empty.body.code == 'validation_failed'
        empty.body.errors*.field.toSet() == ['kind', 'name', 'instrumentId', 'room'] as Set
        wrong.status == 400 && wrong.body.errors*.field.toSet() == ['kind', 'name', 'publicKey'] as Set
        wrong.body.errors.find { it.field == 'name' }.message == 'length must be between 1 and 200'
        twin.status == 409 && twin.body.errors*.field == ['name']
        foreign.status == 400 && foreign.body.errors*.field == ['instrumentId']
        byUser.status == 403
        listByStaff.status == 403
        anonymous.status == 401
    }

    def "another institution's admin gets exactly what a missing device gets, and changes nothing"() {
        given:
        def created = create([kind: 'door_controller', name: 'Main door', room: 'Gate 1'])
        UUID id = UUID.fromString(created.body.device.id as String)
        def snapshot = { registry.find(new TenantId(world.tenant('dv-a').id), id).get().with { [it.revokedAt(), it.secretRotatedAt(), it.publicKey()] } }

        when:
        def report = IsolationProbe.against(baseUrl, [Authorization: "Bearer ${token('bea')}".toString()])
                .probe('GET', '/api/v1/devices/{id}')
                .probe('POST', '/api/v1/devices/{id}/rotate', '{}')
                .probe('POST', '/api/v1/devices/{id}/revoke', '{}')
                .probe('PUT', '/api/v1/devices/{id}/public-key', '{"publicKey":"' + 'A' * 43 + '"}')
                .listing('GET', '/api/v1/devices?size=100')
                .listing('GET', '/api/v1/devices?instrumentId={id}')
                .run([id.toString()], ['Main door', 'Gate 1'], snapshot)

        then:
        report.leaks() == []
        api.get("/api/v1/devices/${id}", token('bea')).status == 404
    }

    def "the instrument page lists its controllers for the owner's staff, and for nobody else"() {
        given:
        String name = 'Panel meter'
        create([kind: 'power_meter', name: name, instrumentId: instrumentOfA()])
        String page = "/t/${world.tenant('dv-a').slug}/instruments/${instrumentOfA()}?lang=en"

        when:
        def admin = PageForms.get(http, baseUrl + page, session('dv-a', 'ada'))
        def staff = PageForms.get(http, baseUrl + page, session('dv-a', 'ian'))
        def user = PageForms.get(http, baseUrl + page, session('dv-a', 'uma'))
        def other = PageForms.get(http, baseUrl + page, session('dv-b', 'bea'))
        def visitor = http.send(java.net.http.HttpRequest.newBuilder(URI.create(baseUrl + page)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())

        then:
        admin.statusCode() == 200 && admin.body().contains('id="controllers"') && admin.body().contains(name)
        admin.body().contains('id="add-controller"')
        staff.body().contains('id="controllers"') && staff.body().contains(name) && !staff.body().contains('id="add-controller"')
        [user, other, visitor].every { it.statusCode() == 200 && !it.body().contains('id="controllers"') && !it.body().contains(name) }
    }

    Map session(String tenant, String who) {
        def created = sessions.create(SharedDevStack.get().identityProvider().issuer(world.tenant(tenant).issuerId),
                "${who}-${world.run}".toString(), who, Duration.ofHours(1))
        [cookie: "LC_SESSION=${created.rawId()}".toString(), csrf: created.session().csrfToken()]
    }
}
