package org.labcommons.core.web;

import jakarta.inject.Singleton;
import org.labcommons.core.security.Action;

import java.util.List;

/**
 * The core's places in the navigation. Each appears once its page exists: the public catalogue at
 * {@code /catalogue} and the institution admin's instrument list at {@code /admin/instruments}.
 */
@Singleton
public class CoreNavLinks implements NavContributor {
    @Override
    public List<NavLink> navLinks() {
        return List.of(
                NavLink.everyone("nav.catalogue", "/catalogue", 10),
                NavLink.forAction("nav.admin.instruments", "/admin/instruments", Action.MANAGE_INSTRUMENT, 100));
    }
}
