package org.labcommons.iot.devices

import jakarta.inject.Inject
import org.labcommons.core.db.SqlStates
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.SchemaGate
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import java.time.Instant
import java.time.temporal.ChronoUnit

/** The device store and directory: secrets, cross-tenant lookups, status writes and tenant isolation. */
class DeviceDirectorySpec extends PlatformSpec {
    @Inject DeviceDirectory directory
    @Inject DeviceRows rows
    @Inject TenantTransactions tenants

    @Shared TenantWorld world

    def setupSpec() {
        world = TenantWorld.build(ctx) { institution('a'); institution('b') }
    }

    UUID tenant(String name) { world.tenant(name).id }

    /** A device of {@code tenant}, written through the store in that tenant's transaction. */
    DeviceRow device(String tenantName, String secret = 'not shown', Map extra = [:]) {
        UUID id = DeviceIds.newId()
        def row = new DeviceRow(tenant(tenantName), id, (extra.kind ?: DeviceKind.POWER_METER).code(),
                "meter ${id}".toString(), extra.instrument as UUID, extra.instrument ? null : 'B-204', null, DeviceSecrets.hash(secret), null,
                extra.publicKey as byte[], null, null, null, null, null, null, null, null, null, false, null, null, 0L)
        tenants.inTenant(new TenantId(tenant(tenantName))) { c -> rows.save(row) }
    }

    DeviceRow read(String tenantName, UUID id) {
        tenants.inTenant(new TenantId(tenant(tenantName))) { c -> rows.findById(id).orElse(null) }
    }

    def "a secret's hash is slow and salted, never the secret, and verifies that secret only"() {
        given:
        String secret = DeviceSecrets.newSecret()

        when:
        long started = System.nanoTime()
        String hash = DeviceSecrets.hash(secret)
        long millis = (System.nanoTime() - started).intdiv(1_000_000)

        then:
        secret.length() == 43 && secret ==~ /[A-Za-z0-9_-]+/
        DeviceSecrets.newSecret() != secret
        hash != secret && !hash.contains(secret)
        hash.startsWith("pbkdf2-sha256\$${DeviceSecrets.ITERATIONS}\$")
        DeviceSecrets.hash(secret) != hash                      // a new salt each time
        DeviceSecrets.matches(secret, hash)
        !DeviceSecrets.matches(secret + 'x', hash)
        !DeviceSecrets.matches(secret, null)
        !DeviceSecrets.matches(secret, 'pbkdf2-sha256$x$y$z')
        !DeviceSecrets.matches(null, hash)
        millis >= 5                                              // slow: thousands of guesses cost minutes, not ms
        DeviceSecrets.claimCodeHash('abcde-fghjk') == DeviceSecrets.claimCodeHash('ABCDE FGHJK')
    }

    def "a credential is found by device id alone, whatever its tenant, with kind, hash and key"() {
        given:
        String secret = DeviceSecrets.newSecret()
        byte[] key = (1..32) as byte[]
        def ofA = device('a', secret, [kind: DeviceKind.POWER_INTERLOCK, publicKey: key])
        def ofB = device('b')

        when:
        def a = directory.credential(ofA.id()).orElseThrow()
        def b = directory.credential(ofB.id()).orElseThrow()

        then:
        a.tenantId() == tenant('a') && a.kind() == DeviceKind.POWER_INTERLOCK && !a.revoked()
        a.publicKey() == key
        DeviceSecrets.matches(secret, a.secretHash())
        b.tenantId() == tenant('b') && b.publicKey() == null
        directory.credential(DeviceIds.newId()).isEmpty()
        ofA.id().version() == 7
    }

    def "revoked and rotated devices are listed since a time, and a revoked credential says so"() {
        given:
        Instant since = Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.MILLIS)
        def revoked = device('a')
        def rotated = device('b')
        def untouched = device('a')

        when:
        tenants.inTenant(new TenantId(tenant('a'))) { c -> rows.revoke(revoked.id(), Instant.now(), null) }
        tenants.inTenant(new TenantId(tenant('b'))) { c -> rows.rotate(rotated.id(), DeviceSecrets.hash('new'), Instant.now()) }
        directory.forget(revoked.id())

        then:
        directory.revokedSince(since).containsAll([revoked.id(), rotated.id()])
        !directory.revokedSince(since).contains(untouched.id())
        !directory.revokedSince(Instant.now().plusSeconds(60)).contains(revoked.id())
        directory.credential(revoked.id()).orElseThrow().revoked()
        DeviceSecrets.matches('new', directory.credential(rotated.id()).orElseThrow().secretHash())
    }

    def "a cached credential is dropped by the revocation check once the device is revoked or rotated in any process"() {
        given: 'credentials cached in this process'
        def revoked = device('a')
        def rotated = device('b')
        def untouched = device('a')
        [revoked, rotated, untouched].each { assert !directory.credential(it.id()).orElseThrow().revoked() }

        when: 'they change in the database behind the cache (as another process would change them), then a check runs'
        tenants.inTenant(new TenantId(tenant('a'))) { c -> rows.revoke(revoked.id(), Instant.now(), null) }
        tenants.inTenant(new TenantId(tenant('b'))) { c -> rows.rotate(rotated.id(), DeviceSecrets.hash('newer'), Instant.now()) }
        directory.checkRevocations()

        then: 'the entries, seconds old (the cache keeps them for minutes), are read again: the truth'
        directory.credential(revoked.id()).orElseThrow().revoked()
        DeviceSecrets.matches('newer', directory.credential(rotated.id()).orElseThrow().secretHash())
        !directory.credential(untouched.id()).orElseThrow().revoked()
    }

    def "a device's instrument is read in its tenant: an instrument's device names it, a room device none, another tenant sees nothing"() {
        given:
        UUID instrument = UUID.randomUUID()
        def meter = device('a', 'x', [instrument: instrument])
        def roomDevice = device('a')

        expect:
        directory.instrumentOf(tenant('a'), meter.id()) == Optional.of(instrument)
        directory.instrumentOf(tenant('a'), meter.id()) == Optional.of(instrument)   // kept
        directory.instrumentOf(tenant('a'), roomDevice.id()).isEmpty()
        directory.instrumentOf(tenant('b'), device('a', 'y', [instrument: instrument]).id()).isEmpty()
    }

    def "the bridge's status writes merge per device, never move the sequence back, and count what arrived"() {
        given:
        def one = device('a')
        def two = device('b')
        Instant t0 = Instant.parse('2026-12-05T08:00:00Z')

        when:
        directory.recordActivity([
                new DeviceActivity(tenant('a'), one.id(), t0, 'boot-1', 10, '1.0.0', true, 'power.sample', 3),
                new DeviceActivity(tenant('a'), one.id(), t0.plusSeconds(5), 'boot-1', 12, null, null, 'pc.login', 2),
                new DeviceActivity(tenant('b'), two.id(), t0, 'boot-9', 4, null, true, null, 1)])
        directory.recordActivity([
                new DeviceActivity(tenant('a'), one.id(), t0.plusSeconds(1), 'boot-0', 7, null, false, null, 1)])
        def a = read('a', one.id())
        def b = read('b', two.id())

        then:
        a.lastSeq() == 12 && a.lastBootId() == 'boot-1'          // the late, older message moves nothing back
        a.lastSeenAt() == t0.plusSeconds(5)
        a.firmware() == '1.0.0'
        a.lastEventType() == 'pc.login' && a.lastEventAt() == t0.plusSeconds(5)
        !a.online()                                              // the last write said offline
        a.receivedCount() == 6
        b.lastSeq() == 4 && b.online() && b.receivedCount() == 1 && b.lastEventType() == null
    }

    def "tenant B can neither read nor change tenant A's devices, nor write one for A"() {
        given:
        def ofA = device('a', 'secret of a')
        def asB = new TenantId(tenant('b'))

        when:
        def seen = tenants.inTenant(asB) { c -> rows.findById(ofA.id()) }
        def listed = tenants.inTenant(asB) { c -> rows.page(null, 0, 1000)*.id() }
        def changed = tenants.inTenant(asB) { c ->
            rows.rotate(ofA.id(), 'x', Instant.now()) + rows.revoke(ofA.id(), Instant.now(), null) +
                    rows.registerKey(ofA.id(), new byte[32])
        }
        tenants.inTenant(asB) { c -> directory.recordActivity([]); rows.recordActivity(
                """[{"device_id":"${ofA.id()}","last_seen_at":"2030-01-01T00:00:00Z","boot_id":"x","last_seq":99,"received_delta":5}]""".toString()) }
        def unbound = TenantWorld.jdbc { c ->
            c.createStatement().executeQuery("select count(*) from devices where id = '${ofA.id()}'").with { next(); getLong(1) }
        }

        then:
        seen.isEmpty()
        !listed.contains(ofA.id())
        changed == 0
        unbound == 0
        with(read('a', ofA.id())) {
            DeviceSecrets.matches('secret of a', secretHash())
            revokedAt() == null && publicKey() == null && lastSeq() == null && receivedCount() == 0
        }

        when: 'B writes a device naming A as its tenant'
        tenants.inTenant(asB) { c -> rows.save(new DeviceRow(tenant('a'), DeviceIds.newId(), 'card_reader', 'planted',
                null, 'x', null, 'h', null, null, null, null, null, null, null, null, null, null, null, false, null, null, 0L)) }

        then:
        def e = thrown(Exception)
        SqlStates.causedBy(e, '42501')
    }

    def "the devices table keeps the tenancy rules, and its lookups are reviewed functions"() {
        when:
        def violations = ownerConnection().withCloseable { SchemaGate.violations(it, 'public', SharedDevStack.get().properties()['labcommons.db.user']) }
        def tables = ownerConnection().withCloseable { SchemaGate.tenantTables(it, 'public') }

        then:
        violations == []
        tables.contains('devices')
        SchemaGate.reviewedSecurityDefiners().containsAll(['device_credential(device uuid)',
                'devices_revoked_since(since timestamp with time zone)', 'device_claim_lookup(code_hash text)'])
    }
}
