package org.labcommons.iot.ingest;

/** The Kafka headers the bridge puts on its records (UTF-8 strings; docs/events.md, iot-bridge/README.md). */
public final class IngestHeaders {
    /** The tenant of the device's credential (never taken from the topic). */
    public static final String TENANT = "lc-tenant";
    public static final String DEVICE = "lc-device";
    /** The instrument the device reports for, at ingest (valid records only; absent for a door or room device). */
    public static final String INSTRUMENT = "lc-instrument";
    /** The uplink channel: {@code telemetry}, {@code event}, {@code state}, {@code auth/req}, {@code cmd/res}. */
    public static final String CHANNEL = "lc-channel";
    /** When the bridge received the message (ISO-8601 instant). */
    public static final String RECEIVED_AT = "lc-received-at";
    /** The device clock's offset in milliseconds (received − device time), when known. */
    public static final String SKEW_MS = "lc-skew-ms";
    /** The device time moved by the offset, when the offset is beyond {@code skew-correct}. */
    public static final String CORRECTED_TIME = "lc-corrected-time";
    /** Comma-separated anomalies: {@code duplicate}, {@code gap}, {@code clock_skew}. */
    public static final String ANOMALY = "lc-anomaly";
    /** The envelope's event id and sequence number (so a consumer can reconcile without parsing the value). */
    public static final String EVENT_ID = "lc-event-id";
    public static final String SEQ = "lc-seq";
    /** Dead letters: the reason ({@link DeadLetterReason}), a human-readable detail, the MQTT topic. */
    public static final String REASON = "lc-reason";
    public static final String DETAIL = "lc-detail";
    public static final String MQTT_TOPIC = "lc-topic";
    /** Dead letters whose payload was cut: {@code true}, and the original length. */
    public static final String TRUNCATED = "lc-truncated";
    public static final String PAYLOAD_BYTES = "lc-payload-bytes";

    private IngestHeaders() {
    }
}
