package org.labcommons.core.web;

import java.util.List;

/**
 * Implemented by a {@code @Singleton} that puts links into the layout's navigation, for example
 * in tenant-admin: {@code List.of(NavLink.forAction("nav.admin.onboarding", "/admin/onboarding",
 * Action.ONBOARD_TENANTS, 120))} (and the label in both message bundles).
 */
public interface NavContributor {
    List<NavLink> navLinks();
}
