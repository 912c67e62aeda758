package org.labcommons.iot.interlock;

import org.labcommons.iot.protocol.CanonicalJson;
import org.labcommons.iot.protocol.Uuid7;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A {@code down/cmd} message as LC-IC/1 §8 writes it: {@code v}, {@code cmdId} (UUIDv7), {@code issuedAt},
 * {@code expiresAt}, {@code type}, {@code body}.
 */
public record DownCommand(UUID cmdId, Instant issuedAt, Instant expiresAt, String type, Map<String, Object> body) {

    public static DownCommand of(String type, Map<String, Object> body, Instant issuedAt, Instant expiresAt) {
        return new DownCommand(Uuid7.at(issuedAt), issuedAt, expiresAt, type, body);
    }

    /** The JSON bytes published (canonical form: stable and compact). */
    public byte[] payload() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", "LC-IC/1");
        m.put("cmdId", cmdId.toString());
        m.put("issuedAt", issuedAt.toString());
        if (expiresAt != null) {
            m.put("expiresAt", expiresAt.toString());
        }
        m.put("type", type);
        m.put("body", body);
        return CanonicalJson.canonicalize(m);
    }
}
