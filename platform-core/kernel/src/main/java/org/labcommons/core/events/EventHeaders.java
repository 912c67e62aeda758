package org.labcommons.core.events;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;

/** Names of the Kafka headers the outbox relay puts on every record (UTF-8 strings). */
public final class EventHeaders {
    public static final String EVENT_ID = "event-id";
    public static final String EVENT_TYPE = "event-type";
    public static final String SCHEMA_VERSION = "schema-version";
    public static final String TENANT_ID = "tenant-id";
    /** The row's global outbox sequence number; the relay's recovery reads it back. */
    public static final String OUTBOX_SEQ = "outbox-seq";

    private EventHeaders() {
    }

    /** The last value of header {@code name}, or null when absent. */
    public static String get(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
