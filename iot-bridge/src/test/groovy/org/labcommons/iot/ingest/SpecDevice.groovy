package org.labcommons.iot.ingest

import org.labcommons.iot.protocol.EnvelopeWriter
import org.labcommons.iot.protocol.Signatures
import org.labcommons.iot.protocol.Uuid7

import java.security.KeyPair
import java.time.Instant

/** A device as the specifications play it: its ids, its Ed25519 key pair, a boot id and a seq that grows. */
class SpecDevice {
    final UUID tenantId
    /** Set once the registry made the device. */
    UUID deviceId
    final KeyPair keys = Signatures.newKeyPair()
    UUID bootId = UUID.randomUUID()
    long seq = 0

    SpecDevice(UUID tenantId) {
        this.tenantId = tenantId
    }

    String publicKey() {
        Signatures.base64url(Signatures.rawPublicKey(keys.public))
    }

    String topic(String channel, UUID tenant = tenantId, UUID device = deviceId) {
        "lc/v1/${tenant}/${device}/up/${channel}"
    }

    /** One message: {@code [eventId, seq, payload]}; options {@code signed} (default: not on telemetry), {@code key},
     *  {@code seq}, {@code eventId}, {@code deviceTime}, {@code historical}. */
    Message message(String type, Map body, Map opts = [:]) {
        long s = opts.seq != null ? opts.seq as long : ++seq
        seq = Math.max(seq, s)
        UUID eventId = opts.eventId as UUID ?: Uuid7.next()
        boolean signed = opts.containsKey('signed') ? opts.signed : type != 'power.sample'
        def key = signed ? (opts.key ?: keys.private) : null
        byte[] payload = EnvelopeWriter.write(eventId, bootId, s, opts.deviceTime as Instant ?: Instant.now(),
                opts.historical as boolean, type, body, key)
        new Message(eventId, s, payload)
    }

    Message telemetry(Map opts = [:]) {
        message('power.sample', [watts: 120.5], opts)
    }

    Message login(Map opts = [:]) {
        message('pc.login', [user: 'alice'], opts)
    }

    Message state(boolean online, String firmware, Map opts = [:]) {
        message('state', [online: online, cause: online ? 'connect' : 'will', firmware: firmware], opts)
    }

    static class Message {
        final UUID eventId
        final long seq
        final byte[] payload

        Message(UUID eventId, long seq, byte[] payload) {
            this.eventId = eventId
            this.seq = seq
            this.payload = payload
        }
    }
}
