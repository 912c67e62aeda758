package org.labcommons.iot.faults

import org.labcommons.iot.protocol.CanonicalJson
import org.labcommons.iot.protocol.EnvelopeReader
import org.labcommons.iot.protocol.Signatures
import spock.lang.Specification
import spock.lang.Tag

import java.nio.charset.StandardCharsets

/** The fault specifications' publisher writes what the protocol's own reader accepts, signed as the bridge verifies. */
@Tag('fast')
class LeanDeviceSpec extends Specification {

    def "its envelopes are canonical LC-IC/1, read as valid, and their signature verifies over the envelope without sig"() {
        given:
        def device = new LeanDevice(UUID.randomUUID(), UUID.randomUUID(), 's', LeanDevice.newKeys())
        def reader = new EnvelopeReader()

        when:
        def event = device.event(7)
        def telemetry = device.telemetry(8)
        def readEvent = reader.read('event', event.payload)
        def readTelemetry = reader.read('telemetry', telemetry.payload)
        String text = new String(telemetry.payload, StandardCharsets.UTF_8)

        then: 'unsigned telemetry is already in RFC 8785 form'
        new String(CanonicalJson.canonicalize(text), StandardCharsets.UTF_8) == text
        readTelemetry instanceof EnvelopeReader.Ok
        (readTelemetry as EnvelopeReader.Ok).envelope().seq() == 8

        and: 'the event is valid, version 7 ids, and its signature verifies with the raw public key'
        readEvent instanceof EnvelopeReader.Ok
        def ok = readEvent as EnvelopeReader.Ok
        ok.envelope().eventId().version() == 7
        Signatures.verify(LeanDevice.rawPublicKey(device.keys), ok.signedBytes(), Base64.urlDecoder.decode(ok.envelope().sig()))

        and: 'a body changed after signing does not verify'
        def tampered = reader.read('event', IngestFaultSpec.tamper(event.payload)) as EnvelopeReader.Ok
        !Signatures.verify(LeanDevice.rawPublicKey(device.keys), tampered.signedBytes(), Base64.urlDecoder.decode(tampered.envelope().sig()))
    }
}
