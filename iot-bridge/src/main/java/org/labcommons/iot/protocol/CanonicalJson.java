package org.labcommons.iot.protocol;

import org.erdtman.jcs.NumberToJSON;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSON Canonicalization Scheme (RFC 8785): what LC-IC/1 signatures are computed over.
 * Object members sorted by their names' UTF-16 code units, no white space, strings escaped as
 * ECMAScript's {@code JSON.stringify} does, numbers as IEEE 754 doubles written by ECMAScript's
 * {@code Number.prototype.toString} (erdtman's {@link NumberToJSON}), UTF-8 out.
 */
public final class CanonicalJson {
    private static final BigInteger MAX_SAFE = BigInteger.valueOf(1L << 53);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private CanonicalJson() {
    }

    /** Canonical UTF-8 bytes of a JSON text; {@link JsonTree.MalformedJsonException} when it is not I-JSON. */
    public static byte[] canonicalize(String json) {
        return canonicalize(JsonTree.parse(json));
    }

    /** Canonical UTF-8 bytes of a value read by {@link JsonTree} (or built of the same types). */
    public static byte[] canonicalize(Object value) {
        return text(value).getBytes(StandardCharsets.UTF_8);
    }

    /** Canonical text of a value read by {@link JsonTree} (or built of the same types). */
    public static String text(Object value) {
        StringBuilder out = new StringBuilder(256);
        write(out, value);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value) {
        if (value instanceof CharSequence s) {
            string(out, s.toString());
        } else if (value instanceof Map<?, ?> map) {
            List<Map.Entry<String, Object>> members = new ArrayList<>(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                members.add(Map.entry(e.getKey().toString(), e.getValue() == null ? JsonTree.NULL : e.getValue()));
            }
            // String.compareTo: UTF-16 code units, as RFC 8785 section 3.2.3 asks
            members.sort(Map.Entry.comparingByKey());
            out.append('{');
            for (int i = 0; i < members.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                string(out, members.get(i).getKey());
                out.append(':');
                write(out, members.get(i).getValue());
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(out, list.get(i));
            }
            out.append(']');
        } else if (value instanceof Long l) {
            long abs = Math.abs(l);
            if (l != Long.MIN_VALUE && abs <= (1L << 53)) {
                out.append(l.longValue()); // exact as a double, and ECMAScript writes it the same way
            } else {
                out.append(number(l.doubleValue()));
            }
        } else if (value instanceof Integer i) {
            out.append(i.intValue());
        } else if (value instanceof BigInteger b) {
            out.append(b.abs().compareTo(MAX_SAFE) <= 0 ? b.toString() : number(b.doubleValue()));
        } else if (value instanceof Number n) {
            out.append(number(n.doubleValue()));
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value == JsonTree.NULL || value == null) {
            out.append("null");
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    private static String number(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new JsonTree.MalformedJsonException("NaN and infinities have no JSON form");
        }
        try {
            return NumberToJSON.serializeNumber(d);
        } catch (IOException e) {
            throw new JsonTree.MalformedJsonException(e.getMessage());
        }
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else if (Character.isHighSurrogate(c)) {
                        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                            throw new JsonTree.MalformedJsonException("lone surrogate in a string (I-JSON forbids it)");
                        }
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isLowSurrogate(c)) {
                        throw new JsonTree.MalformedJsonException("lone surrogate in a string (I-JSON forbids it)");
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
