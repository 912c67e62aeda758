package org.labcommons.iot.interlock

import groovy.json.JsonSlurper
import org.labcommons.iot.protocol.Signatures
import spock.lang.Specification
import spock.lang.Tag

import java.nio.file.Files
import java.nio.file.Paths
import java.time.Instant

import static org.labcommons.iot.interlock.SpecView.booking
import static org.labcommons.iot.interlock.SpecView.grants

/** The offline grant cache: what a controller may decide from, signed by the platform, hashed per device. */
@Tag('fast')
class GrantCacheSpec extends Specification {
    static final UUID TENANT = UUID.randomUUID()
    static final UUID OTHER_TENANT = UUID.randomUUID()
    static final UUID ALICE = UUID.randomUUID()
    static final UUID BOB = UUID.randomUUID()
    static final UUID CAROL = UUID.randomUUID()
    static final Instant NOW = Instant.parse('2026-12-05T08:00:00Z')
    InterlockKey key = new InterlockKey('')
    UUID device = UUID.randomUUID()
    UUID instrument = UUID.randomUUID()
    SpecView view = new SpecView()

    def setup() {
        view.credentials[[TENANT, ALICE]] = ['04A1B2C3D4', 'alice']
        view.credentials[[OTHER_TENANT, BOB]] = ['04BBBB']
        view.credentials[[TENANT, CAROL]] = ['04CCCC']
    }

    List<GrantCache.Entry> entries(Map args) {
        GrantCache.entries(grants([tenant: TENANT, instrument: instrument, now: NOW] + args), device, view, NOW)
    }

    def "a booking gives each of the booker's credentials (also an outside user's, from their tenant) a window from start minus early grace to its end"() {
        when:
        def e = entries(bookings: [booking(UUID.randomUUID(), ALICE, TENANT, '2026-12-05T09:00:00Z', '2026-12-05T11:00:00Z'),
                                   booking(UUID.randomUUID(), BOB, OTHER_TENANT, '2026-12-05T13:00:00Z', '2026-12-05T14:00:00Z')])

        then:
        e.collect { [it.cred(), it.from().toString(), it.to().toString()] } as Set == [
                [GrantCache.credentialHash(device, '04A1B2C3D4'), '2026-12-05T08:45:00Z', '2026-12-05T11:00:00Z'],
                [GrantCache.credentialHash(device, 'alice'), '2026-12-05T08:45:00Z', '2026-12-05T11:00:00Z'],
                [GrantCache.credentialHash(device, '04BBBB'), '2026-12-05T12:45:00Z', '2026-12-05T14:00:00Z']] as Set
        e == e.toSorted { a, b -> a.cred() <=> b.cred() ?: a.from() <=> b.from() }
    }

    def "credentials are hashed per device: no card number in the cache, and another device's hashes differ"() {
        given:
        def g = grants(tenant: TENANT, instrument: instrument, now: NOW,
                bookings: [booking(UUID.randomUUID(), ALICE, TENANT, '2026-12-05T09:00:00Z', '2026-12-05T11:00:00Z')])
        def other = UUID.randomUUID()

        when:
        def mine = GrantCache.entries(g, device, view, NOW)
        def theirs = GrantCache.entries(g, other, view, NOW)
        def text = new String(org.labcommons.iot.protocol.CanonicalJson.canonicalize(
                GrantCache.signedBody(g.validUntil(), 'closed', mine, key)), 'UTF-8')

        then:
        mine.size() == 2
        !text.contains('04A1B2C3D4') && !text.contains('alice')
        mine*.cred().every { it ==~ /[A-Za-z0-9_-]{43}/ }
        (mine*.cred() as Set).intersect(theirs*.cred() as Set).isEmpty()
        GrantCache.credentialHash(device, '04A1B2C3D4') == Signatures.base64url(
                java.security.MessageDigest.getInstance('SHA-256').digest("${device}:04A1B2C3D4".getBytes('UTF-8')))
    }

    def "walk-up: authorised people get the free times of the calendar; nothing for a blocked person before the block ends, nothing out of service"() {
        when:
        def e = entries(walkUp: true, authorised: [CAROL],
                bookings: [booking(UUID.randomUUID(), ALICE, TENANT, '2026-12-05T09:00:00Z', '2026-12-05T11:00:00Z')],
                blocks: [new InstrumentGrants.Block(Instant.parse('2026-12-06T08:00:00Z'), Instant.parse('2026-12-06T12:00:00Z'), 'maintenance')])
        def carol = e.findAll { it.cred() == GrantCache.credentialHash(device, '04CCCC') }

        then:
        carol.collect { [it.from().toString(), it.to().toString()] } == [
                ['2026-12-05T08:00:00Z', '2026-12-05T09:00:00Z'],
                ['2026-12-05T11:00:00Z', '2026-12-06T08:00:00Z'],
                ['2026-12-06T12:00:00Z', '2026-12-07T08:00:00Z']]

        expect:
        entries(walkUp: true, authorised: [CAROL], blockedUsers: [new InstrumentGrants.BlockedUser(CAROL, Instant.parse('2026-12-06T00:00:00Z'))])
                .collect { [it.from().toString(), it.to().toString()] } == [['2026-12-06T00:00:00Z', '2026-12-07T08:00:00Z']]
        entries(status: 'under_repair', bookings: [booking(UUID.randomUUID(), ALICE, TENANT, '2026-12-05T09:00:00Z', '2026-12-05T11:00:00Z')]).isEmpty()
    }

    def "the signature verifies with the platform key over the body without sig; any change, or another key, fails it"() {
        given:
        def e = entries(bookings: [booking(UUID.randomUUID(), ALICE, TENANT, '2026-12-05T09:00:00Z', '2026-12-05T11:00:00Z')])
        def body = GrantCache.signedBody(Instant.parse('2026-12-07T08:00:00Z'), 'closed', e, key)
        // as a device receives it: parsed from the published JSON
        def received = { Map b -> new JsonSlurper().parseText(groovy.json.JsonOutput.toJson(b)) as Map }

        expect:
        GrantCache.verify(received(body), key.publicKey())
        !GrantCache.verify(received(body), new InterlockKey('').publicKey())
        !GrantCache.verify(received(body + [failMode: 'open']), key.publicKey())
        !GrantCache.verify(received(body + [validUntil: '2026-12-09T08:00:00Z']), key.publicKey())
        !GrantCache.verify(received(body).tap { it.entries[0].to = '2026-12-05T23:00:00Z' }, key.publicKey())
        !GrantCache.verify(received(body).tap { it.remove('sig') }, key.publicKey())
        !GrantCache.verify(received(body + [sig: 'x' * 86]), key.publicKey())
    }

    def "a configured signing key gives the same public key in every process; a bad one is refused at start"() {
        given:
        def seed = Signatures.base64url(new byte[32].tap { Arrays.fill(it, 7 as byte) })

        expect:
        new InterlockKey(seed).publicKeyText() == new InterlockKey(seed).publicKeyText()
        new InterlockKey('').publicKeyText() != new InterlockKey('').publicKeyText()

        when:
        new InterlockKey('c2hvcnQ')

        then:
        thrown(IllegalArgumentException)
    }

    def "the protocol's grants example verifies with the example key (RFC 8032 test key 1)"() {
        given:
        def file = Paths.get(getClass().getResource('/lc-ic/1/examples/down-cmd/grants.json').toURI())
        def cmd = new JsonSlurper().parse(Files.readAllBytes(file)) as Map
        def exampleKey = Signatures.rawPublicKey(Signatures.privateKey(
                'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'.decodeHex()))

        expect:
        GrantCache.verify(cmd.body as Map, exampleKey)
        (cmd.body.entries as List).every { it.cred ==~ /[A-Za-z0-9_-]{43}/ }
    }
}
