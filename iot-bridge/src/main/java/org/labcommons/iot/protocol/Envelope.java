package org.labcommons.iot.protocol;

import java.time.Instant;
import java.util.UUID;

/**
 * An LC-IC/1 uplink message as read by {@link EnvelopeReader} (docs/iot-protocol.md, "Envelope").
 *
 * @param v          always {@code "LC-IC/1"}
 * @param eventId    the message's own id (UUIDv7); the server de-duplicates on (tenant, device, eventId)
 * @param bootId     changes at each start of the device
 * @param seq        per device, strictly increasing across restarts (the last will repeats its birth's seq)
 * @param deviceTime the device's clock when it made the message
 * @param historical true when replayed from the device's offline buffer
 * @param type       the body's type, e.g. {@code power.sample}, {@code card.swipe}
 * @param bodyJson   the body, as canonical JSON (RFC 8785)
 * @param sig        base64url Ed25519 signature, or null when the message carries none
 */
public record Envelope(String v, UUID eventId, UUID bootId, long seq, Instant deviceTime, boolean historical,
                       String type, String bodyJson, String sig) {
    public static final String VERSION = "LC-IC/1";
    /** Largest payload the protocol accepts, in bytes. */
    public static final int MAX_BYTES = 64 * 1024;
}
