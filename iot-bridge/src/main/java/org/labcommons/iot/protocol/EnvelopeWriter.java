package org.labcommons.iot.protocol;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Writes an uplink message the way docs/iot-protocol.md says a device must: the envelope's fields,
 * the RFC 8785 canonical JSON of it without {@code sig} signed with the device's Ed25519 key, and
 * {@code sig} added. The payload is itself canonical JSON (any field order would do for the server).
 */
public final class EnvelopeWriter {
    private EnvelopeWriter() {
    }

    /**
     * @param key the device's private key, or null to send the message unsigned (only on
     *            {@code up/telemetry}, {@code up/cmd/res}, {@code up/auth/req})
     */
    public static byte[] write(UUID eventId, UUID bootId, long seq, Instant deviceTime, boolean historical,
                               String type, Map<String, ?> body, PrivateKey key) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("v", Envelope.VERSION);
        envelope.put("eventId", eventId.toString());
        envelope.put("bootId", bootId.toString());
        envelope.put("seq", seq);
        envelope.put("deviceTime", deviceTime.truncatedTo(ChronoUnit.MILLIS).toString());
        envelope.put("historical", historical);
        envelope.put("type", type);
        envelope.put("body", body);
        if (key != null) {
            byte[] signed = CanonicalJson.canonicalize(envelope);
            envelope.put("sig", Signatures.base64url(Signatures.sign(key, signed)));
        }
        return CanonicalJson.text(envelope).getBytes(StandardCharsets.UTF_8);
    }

    /** The same message marked {@code historical: true}, signed again (a replay from the offline buffer). */
    public static byte[] asHistorical(byte[] payload, PrivateKey key) {
        @SuppressWarnings("unchecked")
        Map<String, Object> envelope = (Map<String, Object>) JsonTree.parse(payload);
        if (Boolean.TRUE.equals(envelope.get("historical"))) {
            return payload;
        }
        boolean signed = envelope.remove("sig") != null;
        envelope.put("historical", true);
        if (signed && key != null) {
            envelope.put("sig", Signatures.base64url(Signatures.sign(key, CanonicalJson.canonicalize(envelope))));
        }
        return CanonicalJson.text(envelope).getBytes(StandardCharsets.UTF_8);
    }
}
