package org.labcommons.iot.access;

import java.util.Locale;
import java.util.Optional;

/** What a broker asks about for a topic: publish to it or subscribe with it. */
public enum BrokerAction {
    PUBLISH, SUBSCRIBE;

    /** {@code publish} or {@code subscribe}, any case; anything else is empty. */
    public static Optional<BrokerAction> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "publish" -> Optional.of(PUBLISH);
            case "subscribe" -> Optional.of(SUBSCRIBE);
            default -> Optional.empty();
        };
    }
}
