package org.labcommons.federation.web;

import jakarta.inject.Singleton;
import org.labcommons.core.security.Action;
import org.labcommons.core.web.NavContributor;
import org.labcommons.core.web.NavLink;

import java.util.List;

/** The finance page of bookings held elsewhere, for finance staff and institution admins (shown where the page exists). */
@Singleton
public class FederationNavLinks implements NavContributor {
    @Override
    public List<NavLink> navLinks() {
        return List.of(NavLink.forAction("nav.admin.outside_bookings", "/admin/outside-bookings", Action.SETTLE_ACCOUNTS, 140));
    }
}
