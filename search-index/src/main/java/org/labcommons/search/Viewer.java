package org.labcommons.search;

import io.micronaut.core.annotation.Nullable;

import java.util.List;

/**
 * Who is searching, as visibility needs it: a visitor sees {@code public} entries; a member of an
 * active institution also sees {@code consortium} entries, {@code network} entries of its network
 * (the owner's parent is the member's parent, or the member is that network), and everything its
 * own institution published.
 *
 * @param ownTenants tenants whose published entries of any scope are visible (home and acting)
 * @param networks   network ids whose network-scoped entries are visible
 */
public record Viewer(boolean member, List<String> ownTenants, List<String> networks, @Nullable String homeTenant) {
    public static final Viewer VISITOR = new Viewer(false, List.of(), List.of(), null);
}
