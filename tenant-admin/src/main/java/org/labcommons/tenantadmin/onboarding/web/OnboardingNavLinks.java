package org.labcommons.tenantadmin.onboarding.web;

import jakarta.inject.Singleton;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.Action;
import org.labcommons.core.web.NavContributor;
import org.labcommons.core.web.NavLink;

import java.util.List;

/**
 * Onboarding in the navigation: the queue and the members for whoever may onboard tenants (in
 * their home tenant; a network admin who signs in with the consortium's provider also reaches
 * them from the application page), and the public application form for everyone.
 */
@Singleton
@RequiresRole(PlatformRole.TENANT_ADMIN)
public class OnboardingNavLinks implements NavContributor {
    @Override
    public List<NavLink> navLinks() {
        return List.of(
                NavLink.forAction("nav.onboarding", "/onboarding", Action.ONBOARD_TENANTS, 120),
                NavLink.forAction("nav.onboarding.members", "/onboarding/members", Action.ONBOARD_TENANTS, 121),
                NavLink.everyone("nav.onboarding.apply", "/onboarding/apply", 200));
    }
}
