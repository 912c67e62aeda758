package org.labcommons.core.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import org.labcommons.core.security.AuthenticatedUser;

import java.util.List;

/**
 * Implemented by a {@code @Singleton} that puts links into the layout's navigation, for example
 * in tenant-admin: {@code List.of(NavLink.forAction("nav.admin.onboarding", "/admin/onboarding",
 * Action.ONBOARD_TENANTS, 120))} (and the label in both message bundles).
 */
public interface NavContributor {
    List<NavLink> navLinks();

    /**
     * A count to show next to one of this contributor's links for the signed-in {@code caller}
     * (pending requests, unread notices), or null for none. Called only for links the caller sees;
     * keep it to one cheap query.
     */
    default @Nullable Long badge(HttpRequest<?> request, AuthenticatedUser caller, NavLink link) {
        return null;
    }
}
