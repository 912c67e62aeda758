package org.labcommons.devstack;

import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Which kind of infrastructure a {@link DevStack} starts: {@code embedded} (in-process or child
 * processes, works anywhere with a JDK) or {@code containers} (Testcontainers, needs a Docker
 * engine). Chosen with LABCOMMONS_INFRA ({@code auto}, the default, takes containers when Docker
 * answers). The MQTT broker and the identity provider are JVM libraries and always run in
 * process: the broker's device-access hook lives in this JVM.
 */
public enum InfraProvider {
    EMBEDDED, CONTAINERS;

    public static final String VARIABLE = "LABCOMMONS_INFRA";

    /**
     * @param setting         the LABCOMMONS_INFRA value, may be null
     * @param dockerAvailable asked only when the setting is {@code auto} or absent
     */
    public static InfraProvider choose(String setting, BooleanSupplier dockerAvailable) {
        String value = setting == null || setting.isBlank() ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "embedded" -> EMBEDDED;
            case "containers" -> CONTAINERS;
            case "auto" -> dockerAvailable.getAsBoolean() ? CONTAINERS : EMBEDDED;
            default -> throw new IllegalArgumentException(
                    VARIABLE + " must be auto, embedded or containers, was '" + setting + "'");
        };
    }
}
