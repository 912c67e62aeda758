package org.labcommons.core.roles;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Parses the {@code labcommons.roles} setting: {@code all} (the default) or a comma-separated
 * list of role ids. An unknown role is a configuration error, reported at start-up.
 */
public final class EnabledRoles {
    public static final String PROPERTY = "labcommons.roles";

    private EnabledRoles() {
    }

    public static Set<PlatformRole> parse(Collection<String> values) {
        List<String> items = values.stream()
                .flatMap(v -> List.of(v.split(",")).stream())
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
        if (items.isEmpty() || items.stream().anyMatch("all"::equalsIgnoreCase)) {
            return EnumSet.allOf(PlatformRole.class);
        }
        EnumSet<PlatformRole> roles = EnumSet.noneOf(PlatformRole.class);
        for (String item : items) {
            roles.add(PlatformRole.fromId(item).orElseThrow(() -> new IllegalArgumentException(
                    "unknown role '" + item + "' in " + PROPERTY + "; known roles: all, "
                            + EnumSet.allOf(PlatformRole.class).stream().map(PlatformRole::id)
                            .collect(Collectors.joining(", ")))));
        }
        return roles;
    }
}
