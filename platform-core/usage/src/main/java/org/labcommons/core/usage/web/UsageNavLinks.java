package org.labcommons.core.usage.web;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.web.NavContributor;
import org.labcommons.core.web.NavLink;

import java.util.List;

/**
 * "My usage" beside "My bookings" for signed-in people, and the lab's usage dashboard for people who
 * manage instruments (its page links the unattributed-sessions queue).
 */
@Singleton
public record UsageNavLinks() implements NavContributor {
    static final NavLink MINE = NavLink.everyone("nav.my_usage", "/my/usage", 22);
    static final NavLink LAB = NavLink.forAction("nav.lab_usage", "/lab/usage", Action.MANAGE_INSTRUMENT, 91);

    @Override
    public List<NavLink> navLinks() {
        return List.of(LAB);
    }

    @Override
    public List<NavLink> navLinks(@Nullable AuthenticatedUser caller) {
        return caller == null ? List.of(LAB) : List.of(MINE, LAB);
    }
}
