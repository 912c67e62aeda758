package org.labcommons.iot.protocol

import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Tag

import java.nio.charset.StandardCharsets
import java.time.Instant

@Tag('fast')
class EnvelopeReaderSpec extends Specification {
    @Shared def keys = Signatures.newKeyPair()
    @Shared byte[] publicKey = Signatures.rawPublicKey(keys.public)
    def reader = new EnvelopeReader()
    def bootId = UUID.randomUUID()

    byte[] message(String type, Map body, boolean sign, long seq = 7) {
        EnvelopeWriter.write(Uuid7.next(), bootId, seq, Instant.parse('2026-12-05T08:00:00.123Z'), false, type, body,
                sign ? keys.private : null)
    }

    static byte[] json(Map m) { JsonOutput.toJson(m).getBytes(StandardCharsets.UTF_8) }

    static Map parsed(byte[] payload) { new JsonSlurper().parse(payload) as Map }

    def "a signed event reads back with the bytes its signature covers"() {
        given:
        def payload = message('card.swipe', [cardId: '04A1B2C3D4', reader: 'front'], true, 42)

        when:
        def result = reader.read('event', payload) as EnvelopeReader.Ok

        then:
        with(result.envelope()) {
            v() == 'LC-IC/1'
            seq() == 42
            bootId() == this.bootId
            deviceTime() == Instant.parse('2026-12-05T08:00:00.123Z')
            !historical()
            type() == 'card.swipe'
            bodyJson() == '{"cardId":"04A1B2C3D4","reader":"front"}'
            sig() ==~ /[A-Za-z0-9_-]{86}/
        }
        Signatures.verify(publicKey, result.signedBytes(), Signatures.fromBase64url(result.envelope().sig()))
        !new String(result.signedBytes(), 'UTF-8').contains('"sig"')
    }

    def "the signature survives re-ordered members and white space: it covers the canonical form"() {
        given:
        def original = parsed(message('pc.login', [user: 'zhang.wei', host: 'nmr-pc'], true))
        def reordered = original.keySet().toList().reverse().collectEntries { [it, original[it]] }
        def payload = JsonOutput.prettyPrint(JsonOutput.toJson(reordered)).getBytes(StandardCharsets.UTF_8)

        when:
        def ok = reader.read('event', payload) as EnvelopeReader.Ok

        then:
        Signatures.verify(publicKey, ok.signedBytes(), Signatures.fromBase64url(ok.envelope().sig()))
    }

    def "a changed body no longer verifies (the reader does not verify, the bytes tell)"() {
        given:
        def m = parsed(message('relay.state', [on: true, cause: 'local'], true))
        m.body.on = false

        when:
        def ok = reader.read('event', json(m)) as EnvelopeReader.Ok

        then:
        !Signatures.verify(publicKey, ok.signedBytes(), Signatures.fromBase64url(ok.envelope().sig()))
    }

    def "telemetry may come unsigned; then there are no signed bytes"() {
        when:
        def ok = reader.read('telemetry', message('power.sample', [watts: 1520.5, energyWh: 10234], false)) as EnvelopeReader.Ok

        then:
        ok.envelope().sig() == null
        ok.signedBytes() == null
        ok.envelope().bodyJson() == '{"energyWh":10234,"watts":1520.5}'
    }

    def "an unsigned event or state is missing_signature; unsigned telemetry, cmd/res and auth/req are fine"() {
        expect:
        reader.read(channel, message(type, body, false)).with { it instanceof EnvelopeReader.Bad ? it.reason() : 'ok' } == expected

        where:
        channel     | type           | body                                                                          | expected
        'event'     | 'pc.logout'    | [user: 'li']                                                                  | 'missing_signature'
        'state'     | 'state'        | [online: true, cause: 'connect']                                              | 'missing_signature'
        'telemetry' | 'power.sample' | [watts: 0]                                                                    | 'ok'
        'cmd/res'   | 'cmd.result'   | [cmdId: UUID.randomUUID().toString(), status: 'ok']                           | 'ok'
        'auth/req'  | 'auth.request' | [requestId: UUID.randomUUID().toString(), method: 'card', credential: '04A1', purpose: 'use'] | 'ok'
    }

    def "more than 64 KiB is oversize, before any parsing"() {
        given:
        def big = new byte[65537]
        Arrays.fill(big, (byte) '{')

        expect:
        reader.read('telemetry', big) == new EnvelopeReader.Bad('oversize', '65537 bytes, more than 65536')
        reader.read('telemetry', new byte[65536]).reason() == 'malformed_json'
    }

    def "what is not one JSON document is malformed_json (#why)"() {
        expect:
        (reader.read('telemetry', payload as byte[]) as EnvelopeReader.Bad).reason() == 'malformed_json'

        where:
        why                 | payload
        'not JSON'          | 'hello'.bytes
        'truncated'         | '{"v":"LC-IC/1",'.bytes
        'two documents'     | '{} {}'.bytes
        'duplicate names'   | '{"v":"LC-IC/1","v":"LC-IC/1"}'.bytes
        'invalid UTF-8'     | [0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]
        'empty'             | new byte[0]
    }

    def "a lone surrogate (not I-JSON) is malformed_json: it has no canonical form"() {
        given:
        def payload = new String(message('cmd.result', [cmdId: UUID.randomUUID().toString(), status: 'failed', detail: 'X'], false), 'UTF-8')
                .replace('"detail":"X"', '"detail":"\\ud800"')

        expect:
        (reader.read('cmd/res', payload.bytes) as EnvelopeReader.Bad).reason() == 'malformed_json'
    }

    def "a wrong shape is schema, and the detail names the field: #detail"() {
        given:
        def m = parsed(message('power.sample', [watts: 100], false))
        change(m)

        when:
        def bad = reader.read('telemetry', json(m)) as EnvelopeReader.Bad

        then:
        bad.reason() == 'schema'
        bad.detail().startsWith(detail)

        where:
        [change, detail] << [
                [{ Map e -> e.remove('seq') }, 'seq: required'],
                [{ Map e -> e.seq = 0 }, 'seq: expected an integer'],
                [{ Map e -> e.seq = 1.5 }, 'seq: expected an integer'],
                [{ Map e -> e.seq = '7' }, 'seq: expected an integer'],
                [{ Map e -> e.seq = 9007199254740992 }, 'seq: expected an integer'],
                [{ Map e -> e.v = 'LC-IC/2' }, 'v: expected "LC-IC/1"'],
                [{ Map e -> e.eventId = UUID.randomUUID().toString() }, 'eventId: expected a lower-case UUID version 7'],
                [{ Map e -> e.bootId = e.bootId.toUpperCase() }, 'bootId: expected a lower-case UUID'],
                [{ Map e -> e.deviceTime = '2026-12-05 08:00:00' }, 'deviceTime: expected an RFC 3339 UTC time'],
                [{ Map e -> e.deviceTime = '2026-12-05T08:00:00+08:00' }, 'deviceTime: expected an RFC 3339 UTC time'],
                [{ Map e -> e.deviceTime = '2026-13-05T08:00:00Z' }, 'deviceTime: expected a real UTC time'],
                [{ Map e -> e.historical = 'yes' }, 'historical: expected true or false'],
                [{ Map e -> e.sig = 'abc' }, 'sig: expected a base64url Ed25519 signature'],
                [{ Map e -> e.extra = 1 }, 'extra: not a field of this object'],
                [{ Map e -> e.body = [] }, 'body: expected an object'],
                [{ Map e -> e.type = 'card.swipe' }, "type: 'card.swipe' is not carried on up/telemetry"],
                [{ Map e -> e.type = 'power.peak' }, "type: 'power.peak' is not carried on up/telemetry"],
                [{ Map e -> e.body = [:] }, 'body.watts: required'],
                [{ Map e -> e.body.watts = -1 }, 'body.watts: expected a number >= 0'],
                [{ Map e -> e.body.watts = '100' }, 'body.watts: expected a number >= 0'],
                [{ Map e -> e.body.relay = 'open' }, 'body.relay: expected one of on, off'],
                [{ Map e -> e.body.kwh = 1 }, 'body.kwh: not a field of this object'],
        ]
    }

    def "a JSON array or string is not an envelope"() {
        expect:
        reader.read('event', '[]'.bytes) == new EnvelopeReader.Bad('schema', '$: expected an object')
        reader.read('event', '"x"'.bytes).reason() == 'schema'
    }

    def "a channel that carries no envelope is refused"() {
        expect:
        reader.read('cmd', message('power.sample', [watts: 1], false)).reason() == 'schema'
    }

    def "a replay reads as historical with its original eventId and seq, signed again"() {
        given:
        def live = message('session.end', [sessionId: UUID.randomUUID().toString(), reason: 'logout'], true, 99)
        def replay = EnvelopeWriter.asHistorical(live, keys.private)

        when:
        def a = (reader.read('event', live) as EnvelopeReader.Ok)
        def b = (reader.read('event', replay) as EnvelopeReader.Ok)

        then:
        b.envelope().historical()
        b.envelope().eventId() == a.envelope().eventId()
        b.envelope().seq() == 99
        Signatures.verify(publicKey, b.signedBytes(), Signatures.fromBase64url(b.envelope().sig()))
    }
}
