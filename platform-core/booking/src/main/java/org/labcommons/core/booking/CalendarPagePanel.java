package org.labcommons.core.booking;

import org.labcommons.core.catalog.Instrument;
import org.labcommons.core.catalog.InstrumentPagePanel;
import org.labcommons.core.directory.TenantDirectory.TenantProfile;
import org.labcommons.core.security.AuthenticatedUser;

import java.util.Optional;

/**
 * A small panel another module adds to the booking calendar page ({@code /instruments/{id}/calendar})
 * next to its title, so booking shows what it does not own without depending on it: usage adds the
 * instrument's live status. Each contributor is a bean, asked once per page view of a member, in
 * {@link InstrumentPagePanel.Panel#order()}; the page renders {@code view :: fragment} with the panel
 * as {@code panel}, as the catalogue's instrument page does.
 */
public interface CalendarPagePanel {
    /** The panel for this viewer (the person acting at the instrument's institution, or at home) of this instrument, or empty. */
    Optional<InstrumentPagePanel.Panel> panel(TenantProfile owner, Instrument instrument, AuthenticatedUser viewer,
                                              boolean staff, boolean zh);
}
