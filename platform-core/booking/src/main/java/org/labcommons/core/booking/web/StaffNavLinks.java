package org.labcommons.core.booking.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import org.labcommons.core.booking.StaffQueue;
import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.web.NavContributor;
import org.labcommons.core.web.NavLink;

import java.util.List;

/**
 * The booking desk in the navigation, for people who manage instruments, with the number of
 * bookings waiting for their approval.
 */
@Singleton
public record StaffNavLinks(StaffQueue queue) implements NavContributor {
    static final NavLink DESK = NavLink.forAction("nav.staff.bookings", "/staff/bookings", Action.MANAGE_INSTRUMENT, 90);

    @Override
    public List<NavLink> navLinks() {
        return List.of(DESK);
    }

    @Override
    public @Nullable String badge(HttpRequest<?> request, @Nullable AuthenticatedUser caller, NavLink link) {
        if (caller == null || !DESK.equals(link)) {
            return null;
        }
        List<StaffQueue.ManagedInstrument> managed = queue.managed(caller);
        long pending = managed.isEmpty() ? 0
                : queue.pendingCount(caller.actingTenant(), managed.stream().map(StaffQueue.ManagedInstrument::id).toList());
        return pending > 0 ? Long.toString(pending) : null;
    }
}
