package org.labcommons.iot.ingest;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Why a message went to {@link IotTopics#DEADLETTER}: the {@code lc-reason} header and the metrics label ({@link #id()}). */
public enum DeadLetterReason {
    OVERSIZE, MALFORMED_JSON, SCHEMA, UNKNOWN_DEVICE, REVOKED_DEVICE, TENANT_MISMATCH, BAD_SIGNATURE,
    MISSING_SIGNATURE, FOREIGN_TOPIC;

    /** Lower case, e.g. {@code malformed_json}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<DeadLetterReason> fromId(String id) {
        return Arrays.stream(values()).filter(r -> r.id().equals(id)).findFirst();
    }
}
