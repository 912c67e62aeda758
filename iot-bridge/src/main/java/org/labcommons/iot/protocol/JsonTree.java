package org.labcommons.iot.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON reader into plain Java values (I-JSON, RFC 7493, as RFC 8785 asks): objects are
 * {@link LinkedHashMap}s (duplicate names refused), arrays {@link ArrayList}s, strings, booleans,
 * {@link #NULL}, and numbers as {@link Long} (integers that fit), {@link BigInteger} (larger
 * integers) or {@link Double} (the rest, finite only). One value per document, nothing after it.
 */
public final class JsonTree {
    /** JSON {@code null} (a map cannot hold Java null values distinctly from absence). */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();

    private JsonTree() {
    }

    /** Thrown for anything that is not one well-formed I-JSON value. */
    public static final class MalformedJsonException extends IllegalArgumentException {
        MalformedJsonException(String message) {
            super(message);
        }
    }

    public static Object parse(byte[] utf8) {
        try (JsonParser parser = FACTORY.createParser(utf8)) {
            return parse(parser);
        } catch (IOException e) {
            throw new MalformedJsonException(firstLine(e.getMessage()));
        }
    }

    public static Object parse(String json) {
        try (JsonParser parser = FACTORY.createParser(json)) {
            return parse(parser);
        } catch (IOException e) {
            throw new MalformedJsonException(firstLine(e.getMessage()));
        }
    }

    private static Object parse(JsonParser parser) throws IOException {
        JsonToken first = parser.nextToken();
        if (first == null) {
            throw new MalformedJsonException("empty document");
        }
        Object value = value(parser, first);
        if (parser.nextToken() != null) {
            throw new MalformedJsonException("content after the JSON value");
        }
        return value;
    }

    private static Object value(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT: {
                Map<String, Object> object = new LinkedHashMap<>();
                JsonToken next;
                while ((next = parser.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    object.put(name, value(parser, parser.nextToken()));
                }
                if (next != JsonToken.END_OBJECT) {
                    throw new MalformedJsonException("unterminated object");
                }
                return object;
            }
            case START_ARRAY: {
                List<Object> array = new ArrayList<>();
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
                    if (next == null) {
                        throw new MalformedJsonException("unterminated array");
                    }
                    array.add(value(parser, next));
                }
                return array;
            }
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
                switch (parser.getNumberType()) {
                    case INT:
                    case LONG:
                        return parser.getLongValue();
                    default:
                        return parser.getBigIntegerValue();
                }
            case VALUE_NUMBER_FLOAT: {
                double d = parser.getDoubleValue();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw new MalformedJsonException("number out of the IEEE 754 double range: " + parser.getText());
                }
                return d;
            }
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return NULL;
            default:
                throw new MalformedJsonException("unexpected " + token);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "not JSON";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
