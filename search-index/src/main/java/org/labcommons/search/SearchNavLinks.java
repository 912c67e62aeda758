package org.labcommons.search;

import jakarta.inject.Singleton;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.web.NavContributor;
import org.labcommons.core.web.NavLink;

import java.util.List;

/** "Find instruments" in the navigation, for everyone, first (before the catalogue), where the search role runs. */
@Singleton
@RequiresRole(PlatformRole.SEARCH)
public class SearchNavLinks implements NavContributor {
    @Override
    public List<NavLink> navLinks() {
        return List.of(NavLink.everyone("nav.search", "/search", 5));
    }
}
