package org.labcommons.core.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import org.labcommons.core.security.AuthenticatedUser;

import java.util.List;

/**
 * Implemented by a {@code @Singleton} that puts links into the layout's navigation, for example
 * in tenant-admin: {@code List.of(NavLink.forAction("nav.admin.onboarding", "/admin/onboarding",
 * Action.ONBOARD_TENANTS, 120))} (and the label in both message bundles).
 *
 * <p>A contributor whose links depend on the caller (links only for signed-in people, an unread
 * count next to a link) overrides {@link #navLinks(AuthenticatedUser)} and {@link #badge}.
 */
public interface NavContributor {
    List<NavLink> navLinks();

    /** The links for this caller ({@code null}: nobody signed in); by default {@link #navLinks()}. */
    default List<NavLink> navLinks(@Nullable AuthenticatedUser caller) {
        return navLinks();
    }

    /**
     * A short text shown next to one of this contributor's links for the caller (pending requests,
     * an unread count), or null for none. Called only for links the caller sees; keep it to one cheap query.
     */
    default @Nullable String badge(HttpRequest<?> request, @Nullable AuthenticatedUser caller, NavLink link) {
        return null;
    }
}
