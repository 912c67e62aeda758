package org.labcommons.core.catalog;

import io.micronaut.core.annotation.Nullable;
import org.labcommons.core.directory.TenantDirectory.TenantProfile;
import org.labcommons.core.security.AuthenticatedUser;

import java.util.Map;
import java.util.Optional;

/**
 * A panel another module adds to the catalogue's instrument page ({@code /t/{slug}/instruments/{id}}),
 * so the catalogue shows what it does not own without depending on it: booking adds the next free
 * slots. Each contributor is a bean, asked once per page view, in {@link Panel#order()}; the page
 * renders the Thymeleaf fragment {@code view :: fragment} with the panel as {@code panel} (its
 * {@code model} holds the fragment's values).
 */
public interface InstrumentPagePanel {
    /** The panel for this viewer of this instrument, or empty for none. */
    Optional<Panel> panel(TenantProfile owner, Instrument instrument, @Nullable AuthenticatedUser viewer, boolean zh);

    /** A fragment to render on the page, and its values. */
    record Panel(String id, int order, String view, String fragment, Map<String, Object> model) {
    }
}
