package org.labcommons.core.usage.sessions;

import io.micronaut.core.annotation.Nullable;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One reading a session came from, as kept in {@code usage_session.evidence}: the power sample that opened it
 * ({@code role} {@code on}, with the {@code count} of power samples in the session), the last one while on
 * ({@code last}), the one that closed it ({@code off}), and the event that identified the person ({@code identity}).
 */
public record Evidence(Reading reading, String role, @Nullable Integer count) {

    /** The JSON object stored: {@code deviceId, eventId, seq, type, at, sig, role} (and {@code count}). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deviceId", reading.deviceId().toString());
        m.put("eventId", reading.eventId().toString());
        m.put("seq", reading.seq());
        m.put("type", reading.type());
        m.put("at", reading.at().toString());
        m.put("sig", reading.sig());
        m.put("role", role);
        if (count != null) {
            m.put("count", count);
        }
        return m;
    }
}
