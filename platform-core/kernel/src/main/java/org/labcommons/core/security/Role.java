package org.labcommons.core.security;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A person's role, always held on a scope (see {@link ScopeType}). Roles inherit downwards: an
 * institution admin may do what a platform admin, an instrument admin, finance staff and a user
 * may; a consortium admin what a network admin may. Network and consortium admins do NOT inherit
 * the institution roles: they see aggregates, never a tenant's raw records.
 */
public enum Role {
    VISITOR,
    USER(VISITOR),
    INSTRUMENT_ADMIN(USER),
    PLATFORM_ADMIN(INSTRUMENT_ADMIN),
    FINANCE(USER),
    INSTITUTION_ADMIN(PLATFORM_ADMIN, FINANCE),
    NETWORK_ADMIN(VISITOR),
    CONSORTIUM_ADMIN(NETWORK_ADMIN);

    private final Set<Role> implied;

    Role(Role... implies) {
        Set<Role> all = new HashSet<>(); // not an EnumSet: the enum is not initialised yet
        all.add(this);
        for (Role r : implies) {
            all.addAll(r.implied);
        }
        this.implied = Set.copyOf(all);
    }

    /** This role and every role it inherits. */
    public Set<Role> withInherited() {
        return implied;
    }

    /** The name stored in the database and shown by the API, e.g. {@code instrument_admin}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromId(String id) {
        return Arrays.stream(values()).filter(r -> r.id().equals(id)).findFirst();
    }
}
