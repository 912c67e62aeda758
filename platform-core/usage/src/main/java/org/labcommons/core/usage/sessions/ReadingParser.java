package org.labcommons.core.usage.sessions;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.labcommons.core.events.KernelTopics;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A bridge record ({@code iot.telemetry.v1}, {@code iot.events.v1}: the device's LC-IC/1 message, headers
 * {@code lc-*}; docs/events.md) read into a reading to store. A record it cannot read throws
 * {@link Unreadable} (the consumer logs, counts and skips it).
 */
final class ReadingParser {
    static final String TENANT = "lc-tenant";
    static final String DEVICE = "lc-device";
    static final String CHANNEL = "lc-channel";
    static final String RECEIVED_AT = "lc-received-at";
    static final String CORRECTED_TIME = "lc-corrected-time";
    static final String INSTRUMENT = "lc-instrument";
    private static final Set<String> CHANNELS = Set.of("telemetry", "event", "state", "auth/req", "cmd/res");
    private static final Argument<Map<String, Object>> MAP = Argument.mapOf(String.class, Object.class);

    /** Why a record was skipped. */
    static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    /** A record read: its tenant and the reading. */
    record Parsed(UUID tenantId, ReadingRows.NewReading reading) {
    }

    private final JsonMapper json;

    ReadingParser(JsonMapper json) {
        this.json = json;
    }

    Parsed parse(ConsumerRecord<String, String> record) throws Unreadable {
        UUID tenant = uuid(header(record, TENANT), TENANT);
        String deviceHeader = header(record, DEVICE);
        UUID device = uuid(deviceHeader != null ? deviceHeader : record.key(), DEVICE);
        String instrumentHeader = header(record, INSTRUMENT);
        UUID instrument = instrumentHeader == null || instrumentHeader.isBlank() ? null : uuid(instrumentHeader, INSTRUMENT);
        String channel = header(record, CHANNEL);
        if (channel == null) {
            channel = KernelTopics.IOT_TELEMETRY.equals(record.topic()) ? "telemetry" : "event";
        }
        if (!CHANNELS.contains(channel)) {
            throw new Unreadable("unknown channel " + channel);
        }
        if (record.value() == null) {
            throw new Unreadable("no value");
        }
        Map<String, Object> m;
        try {
            m = json.readValue(record.value().getBytes(StandardCharsets.UTF_8), MAP);
        } catch (Exception e) {
            throw new Unreadable("not JSON: " + e.getMessage());
        }
        if (m == null) {
            throw new Unreadable("not a JSON object");
        }
        UUID eventId = uuid(string(m, "eventId"), "eventId");
        UUID bootId = uuid(string(m, "bootId"), "bootId");
        long seq = m.get("seq") instanceof Number n ? n.longValue() : 0;
        if (seq < 1) {
            throw new Unreadable("seq must be a number >= 1");
        }
        String type = string(m, "type");
        if (type == null || type.isEmpty() || type.length() > 64) {
            throw new Unreadable("type missing or too long");
        }
        Instant deviceTime = instant(string(m, "deviceTime"), "deviceTime");
        String corrected = header(record, CORRECTED_TIME);
        Instant at = corrected != null && !corrected.isBlank() ? instant(corrected, CORRECTED_TIME) : deviceTime;
        String received = header(record, RECEIVED_AT);
        Instant receivedAt = received != null ? instant(received, RECEIVED_AT) : Instant.ofEpochMilli(record.timestamp());
        boolean historical = Boolean.TRUE.equals(m.get("historical"));
        Object bodyObject = m.get("body");
        if (!(bodyObject instanceof Map<?, ?> body)) {
            throw new Unreadable("body must be an object");
        }
        Double watts = null;
        if (body.get("watts") instanceof Number w) {
            watts = w.doubleValue();
            if (watts < 0 || watts.isNaN() || watts.isInfinite()) {
                throw new Unreadable("watts must be >= 0");
            }
        }
        String sig = m.get("sig") instanceof String s && s.length() <= 100 ? s : null;
        String bodyJson;
        try {
            bodyJson = json.writeValueAsString(body);
        } catch (Exception e) {
            throw new Unreadable("body not writable: " + e.getMessage());
        }
        return new Parsed(tenant, new ReadingRows.NewReading(device, eventId, instrument, bootId, seq, channel, type,
                deviceTime, at, receivedAt, historical, watts, bodyJson, sig));
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String string(Map<String, Object> m, String name) {
        return m.get(name) instanceof String s ? s : null;
    }

    private static UUID uuid(String value, String what) throws Unreadable {
        if (value == null) {
            throw new Unreadable(what + " missing");
        }
        try {
            return UUID.fromString(value.trim());
        } catch (IllegalArgumentException e) {
            throw new Unreadable(what + " is not a UUID");
        }
    }

    private static Instant instant(String value, String what) throws Unreadable {
        if (value == null) {
            throw new Unreadable(what + " missing");
        }
        try {
            return Instant.parse(value.trim());
        } catch (RuntimeException e) {
            throw new Unreadable(what + " is not an ISO instant");
        }
    }
}
