package org.labcommons.core.security;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Where a role is held: a whole tenant, one org unit (department, lab, platform) or one instrument. */
public enum ScopeType {
    TENANT, ORG_UNIT, INSTRUMENT;

    /** The name stored in the database, e.g. {@code org_unit}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ScopeType> fromId(String id) {
        return Arrays.stream(values()).filter(s -> s.id().equals(id)).findFirst();
    }
}
