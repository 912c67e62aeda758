package org.labcommons.iot.devices;

import com.fasterxml.jackson.annotation.JsonValue;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Locale;
import java.util.Optional;

/** What an instrument controller is; stored and written in JSON as its lower-case {@link #code()} ({@code power_interlock}). */
@Serdeable
public enum DeviceKind {
    /** A relay that switches the instrument's power, with a power meter. */
    POWER_INTERLOCK,
    /** A power meter only. */
    POWER_METER,
    /** A card reader at the instrument. */
    CARD_READER,
    /** A login agent on the instrument's PC. */
    PC_AGENT,
    /** A door controller of a room. */
    DOOR_CONTROLLER;

    /** The stored and API form: the name in lower case. */
    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind with this code (or name, any case); empty for anything else. */
    public static Optional<DeviceKind> of(String code) {
        if (code == null) {
            return Optional.empty();
        }
        for (DeviceKind kind : values()) {
            if (kind.name().equalsIgnoreCase(code.strip())) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
