package org.labcommons.iot.protocol;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Reads an uplink payload into an {@link Envelope}: size, JSON, and the shape the LC-IC/1 JSON
 * Schemas describe for its channel (checked by {@link Shapes}, their compiled form). It does not
 * look up the device nor verify the signature (the bridge does both); it reports a missing
 * signature on a channel that requires one ({@code event}, {@code state}) as {@code missing_signature},
 * and hands back the bytes the signature covers. Stateless and thread-safe.
 */
public final class EnvelopeReader {
    public static final String OVERSIZE = "oversize";
    public static final String MALFORMED_JSON = "malformed_json";
    public static final String SCHEMA = "schema";
    public static final String MISSING_SIGNATURE = "missing_signature";

    /** What {@link #read} answers. */
    public sealed interface Result permits Ok, Bad {
    }

    /**
     * A well-formed message.
     *
     * @param envelope    the message
     * @param signedBytes the RFC 8785 canonical JSON of the envelope without {@code sig}: what {@code sig}
     *                    signs; null when the message carries no {@code sig}
     * @param body        the body as parsed ({@code Map}, {@code List}, {@code String}, {@code BigDecimal} or
     *                    {@code Long}, {@code Boolean}, null), already checked against its type's shape: a reader
     *                    of the body need not parse {@link Envelope#bodyJson()} again
     */
    public record Ok(Envelope envelope, byte[] signedBytes, Object body) implements Result {
    }

    /**
     * A message to dead-letter.
     *
     * @param reason one of the contract's dead-letter reasons: {@code oversize}, {@code malformed_json},
     *               {@code schema}, {@code missing_signature}
     * @param detail what is wrong, naming the field (e.g. {@code body.watts: expected a number >= 0})
     */
    public record Bad(String reason, String detail) implements Result {
    }

    /**
     * @param channel the uplink channel the payload arrived on ({@link Topic#channel()}: {@code state},
     *                {@code telemetry}, {@code event}, {@code auth/req}, {@code cmd/res})
     * @param payload the MQTT payload as received
     */
    public Result read(String channel, byte[] payload) {
        if (payload == null) {
            return new Bad(MALFORMED_JSON, "no payload");
        }
        if (payload.length > Envelope.MAX_BYTES) {
            return new Bad(OVERSIZE, payload.length + " bytes, more than " + Envelope.MAX_BYTES);
        }
        Set<String> types = Shapes.CHANNEL_TYPES.get(channel);
        if (types == null) {
            return new Bad(SCHEMA, "channel: '" + channel + "' is not an LC-IC/1 uplink channel");
        }
        Object root;
        try {
            root = JsonTree.parse(payload);
        } catch (JsonTree.MalformedJsonException e) {
            return new Bad(MALFORMED_JSON, e.getMessage());
        }
        String problem = Shapes.ENVELOPE.check(root, "");
        if (problem != null) {
            return new Bad(SCHEMA, problem);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) root;
        String type = (String) fields.get("type");
        if (!types.contains(type)) {
            return new Bad(SCHEMA, "type: '" + type + "' is not carried on up/" + channel);
        }
        problem = Shapes.BODIES.get(type).check(fields.get("body"), "body");
        if (problem != null) {
            return new Bad(SCHEMA, problem);
        }
        String sig = (String) fields.get("sig");
        if (sig == null && Shapes.SIGNED_CHANNELS.contains(channel)) {
            return new Bad(MISSING_SIGNATURE, "sig: required on up/" + channel);
        }
        String bodyJson;
        byte[] signedBytes = null;
        try {
            bodyJson = CanonicalJson.text(fields.get("body"));
            if (sig != null) {
                Map<String, Object> unsigned = new LinkedHashMap<>(fields);
                unsigned.remove("sig");
                signedBytes = CanonicalJson.canonicalize(unsigned);
            }
        } catch (JsonTree.MalformedJsonException e) {
            return new Bad(MALFORMED_JSON, e.getMessage());
        }
        Envelope envelope = new Envelope(Envelope.VERSION,
                UUID.fromString((String) fields.get("eventId")),
                UUID.fromString((String) fields.get("bootId")),
                Shapes.integral(fields.get("seq")),
                Instant.parse((String) fields.get("deviceTime")),
                Boolean.TRUE.equals(fields.get("historical")),
                type, bodyJson, sig);
        return new Ok(envelope, signedBytes, fields.get("body"));
    }
}
