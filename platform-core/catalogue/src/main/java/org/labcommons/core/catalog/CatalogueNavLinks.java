package org.labcommons.core.catalog;

import jakarta.inject.Singleton;
import org.labcommons.core.security.Action;
import org.labcommons.core.web.NavContributor;
import org.labcommons.core.web.NavLink;

import java.util.List;

/**
 * The catalogue's places in the navigation, each shown once its page exists: the catalogue at
 * {@code /catalogue} ({@link CataloguePages}: one's own institution, or the members) and the
 * instrument list of those who manage instruments at {@code /admin/instruments} ({@link InstrumentListPages}).
 */
@Singleton
public class CatalogueNavLinks implements NavContributor {
    @Override
    public List<NavLink> navLinks() {
        return List.of(
                NavLink.everyone("nav.catalogue", "/catalogue", 10),
                NavLink.forAction("nav.admin.instruments", "/admin/instruments", Action.MANAGE_INSTRUMENT, 100));
    }
}
