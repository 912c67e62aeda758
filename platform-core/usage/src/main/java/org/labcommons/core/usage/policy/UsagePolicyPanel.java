package org.labcommons.core.usage.policy;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.labcommons.core.catalog.CatalogueAccess;
import org.labcommons.core.catalog.Instrument;
import org.labcommons.core.catalog.InstrumentPagePanel;
import org.labcommons.core.directory.TenantDirectory.TenantProfile;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;

import java.util.Map;
import java.util.Optional;

/**
 * The instrument page's interlock policy form (walk-up, fail mode, early grace, end grace, warning), for the
 * owner's staff who manage the instrument ({@link CatalogueAccess#mayManage}); it posts to
 * {@link UsagePolicyPages}. Everyone else sees no panel.
 */
@Singleton
@RequiresRole(PlatformRole.CORE)
public record UsagePolicyPanel(UsagePolicies policies, CatalogueAccess catalogue) implements InstrumentPagePanel {
    @Override
    public Optional<Panel> panel(TenantProfile owner, Instrument instrument, @Nullable AuthenticatedUser viewer, boolean zh) {
        if (viewer == null || !viewer.actingTenant().equals(owner.id()) || !catalogue.mayManage(viewer, instrument)) {
            return Optional.empty();
        }
        UsagePolicies.Policy policy = policies.get(owner.id(), instrument.id());
        return Optional.of(new Panel("usage-policy", 70, "usage/policy-panel", "policy", Map.of(
                "policy", policy, "action", "/staff/instruments/" + instrument.id() + "/usage-policy",
                "back", "/t/" + owner.slug() + "/instruments/" + instrument.id())));
    }
}
