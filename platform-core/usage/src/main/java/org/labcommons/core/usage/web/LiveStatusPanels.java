package org.labcommons.core.usage.web;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.labcommons.core.booking.BookingAccess;
import org.labcommons.core.booking.CalendarPagePanel;
import org.labcommons.core.catalog.Instrument;
import org.labcommons.core.catalog.InstrumentPagePanel;
import org.labcommons.core.directory.TenantDirectory.TenantProfile;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.security.AuthenticatedUser;

import java.util.Map;
import java.util.Optional;

/**
 * The instrument's live status (in use since when and, for its staff, by whom / idle / offline, last
 * seen; {@link LiveStatus}) on the catalogue's instrument page ({@link InstrumentPagePanel}, a section)
 * and on the booking calendar ({@link CalendarPagePanel}, a badge line). Nothing is shown for an
 * instrument nothing reports for. Members of the owning institution get the link to the day's timeline.
 */
@Singleton
public record LiveStatusPanels(LiveStatus live, BookingAccess access) implements InstrumentPagePanel, CalendarPagePanel {

    @Override
    public Optional<Panel> panel(TenantProfile owner, Instrument instrument, @Nullable AuthenticatedUser viewer, boolean zh) {
        boolean member = viewer != null && viewer.actingTenant().equals(owner.id());
        return panel(owner, instrument, viewer, member && staff(viewer, instrument), member, "live-status", 40, "liveStatus");
    }

    @Override
    public Optional<Panel> panel(TenantProfile owner, Instrument instrument, AuthenticatedUser viewer, boolean staff,
                                 boolean zh) {
        boolean member = viewer.actingTenant().equals(owner.id());
        return panel(owner, instrument, viewer, staff && member, member, "live-badge", 10, "liveBadge");
    }

    private Optional<Panel> panel(TenantProfile owner, Instrument instrument, @Nullable AuthenticatedUser viewer,
                                  boolean staff, boolean member, String id, int order, String fragment) {
        LiveStatus.Live now = live.of(owner.id(), instrument.id());
        if (!now.reports()) {
            return Optional.empty();
        }
        String timeline = member ? "/instruments/" + instrument.id() + "/usage" : null;
        UsagePageSupport.LiveView view = UsagePageSupport.view(now, UsagePageSupport.zone(owner), staff,
                viewer == null ? null : viewer.userId(), timeline);
        return Optional.of(new Panel(id, order, "usage/live", fragment,
                Map.of("live", view, "zone", UsagePageSupport.zone(owner).getId())));
    }

    private boolean staff(AuthenticatedUser viewer, Instrument instrument) {
        try {
            return access.target(viewer, instrument.id()).map(BookingAccess.Target::staff).orElse(false);
        } catch (ProblemException notMember) {
            return false;
        }
    }
}
