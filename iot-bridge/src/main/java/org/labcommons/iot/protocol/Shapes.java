package org.labcommons.iot.protocol;

import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The LC-IC/1 JSON Schemas ({@code src/main/resources/lc-ic/1/}) compiled by hand into plain checks,
 * so that a message costs a few map look-ups instead of a generic schema validator's walk.
 * {@code ProtocolSchemasSpec} proves the two agree on every example and counter-example; a change
 * to a schema is a change here too.
 */
final class Shapes {
    /** Answers null when the value fits, else what was expected. */
    interface Check {
        String test(Object value);
    }

    record Field(String name, boolean required, Check check) {
    }

    /** An object with exactly these fields (additionalProperties: false). */
    record Shape(List<Field> fields, Map<String, Field> byName) {
        Shape(List<Field> fields) {
            this(fields, index(fields));
        }

        private static Map<String, Field> index(List<Field> fields) {
            Map<String, Field> byName = new LinkedHashMap<>();
            fields.forEach(f -> byName.put(f.name(), f));
            return byName;
        }

        /** Null when the object fits, else "path: problem" for the first problem. */
        String check(Object value, String path) {
            if (!(value instanceof Map<?, ?> map)) {
                return (path.isEmpty() ? "$" : path) + ": expected an object";
            }
            String prefix = path.isEmpty() ? "" : path + ".";
            for (Field field : fields) {
                Object v = map.get(field.name());
                if (v == null) {
                    if (field.required()) {
                        return prefix + field.name() + ": required";
                    }
                    continue;
                }
                String problem = field.check().test(v);
                if (problem != null) {
                    return prefix + field.name() + ": " + problem;
                }
            }
            if (map.size() > fields.size() || !byName.keySet().containsAll(map.keySet())) {
                for (Object name : map.keySet()) {
                    if (!byName.containsKey(name)) {
                        return prefix + name + ": not a field of this object";
                    }
                }
            }
            return null;
        }
    }

    static final Pattern UUID = Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
    static final Pattern UUID7 = Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
    static final Pattern TIME = Pattern.compile("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?Z$");
    static final Pattern SIG = Pattern.compile("^[A-Za-z0-9_-]{86}$");
    static final long MAX_SEQ = 9007199254740991L; // 2^53 - 1: exact in every JSON implementation

    static Field req(String name, Check check) {
        return new Field(name, true, check);
    }

    static Field opt(String name, Check check) {
        return new Field(name, false, check);
    }

    static Check string(int min, int max) {
        return v -> {
            if (!(v instanceof String s)) {
                return "expected a string";
            }
            int n = s.codePointCount(0, s.length());
            return n < min || n > max ? "expected " + min + " to " + max + " characters" : null;
        };
    }

    static Check pattern(Pattern pattern, String what) {
        return v -> v instanceof String s && pattern.matcher(s).matches() ? null : "expected " + what;
    }

    static Check oneOf(String... values) {
        Set<String> allowed = Set.of(values);
        return v -> v instanceof String s && allowed.contains(s) ? null : "expected one of " + String.join(", ", values);
    }

    static Check constant(String value) {
        return v -> value.equals(v) ? null : "expected \"" + value + "\"";
    }

    static final Check UUID_TEXT = pattern(UUID, "a lower-case UUID");
    static final Check UUID7_TEXT = pattern(UUID7, "a lower-case UUID version 7");
    static final Check SIGNATURE = pattern(SIG, "a base64url Ed25519 signature (86 characters, no padding)");
    static final Check BOOLEAN = v -> v instanceof Boolean ? null : "expected true or false";
    static final Check TIMESTAMP = v -> {
        if (v instanceof String s && TIME.matcher(s).matches()) {
            try {
                Instant.parse(s);
                return null;
            } catch (DateTimeParseException e) {
                return "expected a real UTC time";
            }
        }
        return "expected an RFC 3339 UTC time (2026-12-05T08:00:00.123Z)";
    };

    static Check number(double minimum) {
        return v -> v instanceof Number n && n.doubleValue() >= minimum ? null : "expected a number >= " + (long) minimum;
    }

    static Check integer(long minimum, long maximum) {
        return v -> {
            Long l = integral(v);
            return l != null && l >= minimum && l <= maximum ? null
                    : "expected an integer from " + minimum + " to " + maximum;
        };
    }

    /** The value as a long when it is a JSON integer (JSON Schema: a number with no fraction), else null. */
    static Long integral(Object v) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof BigInteger b) {
            return b.bitLength() < 64 ? b.longValue() : (b.signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE);
        }
        if (v instanceof Double d && d == Math.rint(d)) {
            return d >= 9.2e18 ? Long.MAX_VALUE : d <= -9.2e18 ? Long.MIN_VALUE : d.longValue();
        }
        return null;
    }

    private static final Check ENERGY = number(0);
    private static final Check ON_OFF = oneOf("on", "off");
    private static final Check NAME = string(1, 256);
    private static final Check CARD = string(1, 128);
    private static final Check LABEL = string(1, 64);

    /** envelope.schema.json */
    static final Shape ENVELOPE = new Shape(List.of(
            req("v", constant(Envelope.VERSION)),
            req("eventId", UUID7_TEXT),
            req("bootId", UUID_TEXT),
            req("seq", integer(1, MAX_SEQ)),
            req("deviceTime", TIMESTAMP),
            opt("historical", BOOLEAN),
            req("type", string(1, 64)),
            req("body", v -> v instanceof Map<?, ?> ? null : "expected an object"),
            opt("sig", SIGNATURE)));

    /** body/*.schema.json, by type. */
    static final Map<String, Shape> BODIES = Map.ofEntries(
            Map.entry("power.sample", new Shape(List.of(
                    req("watts", number(0)), opt("energyWh", ENERGY), opt("volts", number(0)), opt("amps", number(0)),
                    opt("relay", ON_OFF), opt("intervalMs", integer(1, 86_400_000))))),
            Map.entry("pc.login", new Shape(List.of(req("user", NAME), opt("host", NAME)))),
            Map.entry("pc.logout", new Shape(List.of(req("user", NAME), opt("host", NAME)))),
            Map.entry("card.swipe", new Shape(List.of(req("cardId", CARD), opt("reader", LABEL)))),
            Map.entry("door.open", new Shape(List.of(
                    req("cause", oneOf("card", "remote", "button", "forced", "held")), opt("door", LABEL), opt("cardId", CARD)))),
            Map.entry("relay.state", new Shape(List.of(
                    req("on", BOOLEAN), req("cause", oneOf("command", "local", "schedule", "boot", "power", "fault")),
                    opt("cmdId", UUID_TEXT)))),
            Map.entry("session.start", new Shape(List.of(req("sessionId", UUID_TEXT), opt("user", NAME), opt("cardId", CARD)))),
            Map.entry("session.end", new Shape(List.of(
                    req("sessionId", UUID_TEXT), opt("reason", oneOf("logout", "timeout", "command", "power", "idle")),
                    opt("energyWh", ENERGY)))),
            Map.entry("state", new Shape(List.of(
                    req("online", BOOLEAN), req("cause", oneOf("connect", "will", "change", "shutdown")),
                    opt("firmware", LABEL), opt("relay", ON_OFF), opt("buffered", integer(0, MAX_SEQ))))),
            Map.entry("cmd.result", new Shape(List.of(
                    req("cmdId", UUID_TEXT), req("status", oneOf("ok", "rejected", "failed", "unsupported", "expired")),
                    opt("detail", string(0, 512))))),
            Map.entry("auth.request", new Shape(List.of(
                    req("requestId", UUID_TEXT), req("method", oneOf("card", "pc", "pin")), req("credential", NAME),
                    req("purpose", oneOf("use", "door"))))));

    /** up-*.schema.json: the types each uplink channel carries. */
    static final Map<String, Set<String>> CHANNEL_TYPES = Map.of(
            Topic.TELEMETRY, Set.of("power.sample"),
            Topic.EVENT, Set.of("pc.login", "pc.logout", "card.swipe", "door.open", "relay.state", "session.start", "session.end"),
            Topic.STATE, Set.of("state"),
            Topic.CMD_RES, Set.of("cmd.result"),
            Topic.AUTH_REQ, Set.of("auth.request"));

    /** Channels whose messages must be signed. */
    static final Set<String> SIGNED_CHANNELS = Set.of(Topic.EVENT, Topic.STATE);

    private Shapes() {
    }
}
