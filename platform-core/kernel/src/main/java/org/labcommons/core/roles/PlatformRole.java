package org.labcommons.core.roles;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The roles one server process can play. By default a process plays all of them; in a larger
 * deployment each runs in its own Deployment (see the Helm chart) with {@code LABCOMMONS_ROLES}.
 */
public enum PlatformRole {
    CORE("core"),
    TENANT_ADMIN("tenant-admin"),
    SEARCH("search"),
    FEDERATION("federation"),
    IOT("iot");

    private final String id;

    PlatformRole(String id) {
        this.id = id;
    }

    /** The name used in configuration, e.g. {@code tenant-admin}. */
    public String id() {
        return id;
    }

    public static Optional<PlatformRole> fromId(String id) {
        String normalized = id.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(r -> r.id.equals(normalized)).findFirst();
    }
}
