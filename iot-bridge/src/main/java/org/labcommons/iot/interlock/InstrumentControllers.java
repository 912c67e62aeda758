package org.labcommons.iot.interlock;

import java.util.List;
import java.util.UUID;

/**
 * Which devices an instrument has (LC-IC/1 devices attached to it), by kind: what the interlock sends
 * {@code warn}/{@code lock} (relays) and grant caches (everything that asks for access) to.
 */
public interface InstrumentControllers {

    /** A device of an instrument and its kind code ({@code power_interlock}, {@code card_reader}, ...). */
    record Controller(UUID deviceId, String kind) {
        /** Switches the instrument's power: gets warn, lock, unlock. */
        public boolean hasRelay() {
            return "power_interlock".equals(kind) || "door_controller".equals(kind);
        }

        /** Asks for access: gets the offline cache. */
        public boolean asksForAccess() {
            return !"power_meter".equals(kind);
        }
    }

    /** The instrument's devices (the last known list when the directory cannot be read). */
    List<Controller> of(UUID tenantId, UUID instrumentId);
}
