package org.labcommons.core.catalog;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.labcommons.core.directory.TenantDirectory.TenantProfile;
import org.labcommons.core.security.AuthenticatedUser;

import java.util.List;

/**
 * "Your price" on the instrument page: which of the owner's rate groups applies to the viewer,
 * decided by the deployment's {@link RateGroupPolicy} (the owner's own people: internal; members of
 * another consortium institution: consortium where the federation module runs; anyone else:
 * external). A visitor who is not signed in has no group: the page says prices depend on the group
 * and lists the groups instead.
 */
@Singleton
public record YourPrice(RateGroupPolicy policy, RateGroups rateGroups) {

    /**
     * The viewer's group ({@code code} and {@code name} null for a visitor) and all groups of the
     * owner in price order; {@code priced} whether the instrument publishes a price for that group.
     */
    public record View(@Nullable String code, @Nullable String name, boolean priced, List<RateGroups.RateGroup> groups) {
        public boolean signedIn() {
            return code != null;
        }
    }

    /** The rate group of {@code owner} that applies to {@code viewer} (null for a visitor). */
    @Nullable
    public String groupOf(TenantProfile owner, @Nullable AuthenticatedUser viewer) {
        return viewer == null ? null : policy.rateGroupFor(owner.id(), viewer);
    }

    public View of(TenantProfile owner, Instrument instrument, @Nullable AuthenticatedUser viewer, boolean zh) {
        List<RateGroups.RateGroup> groups = rateGroups.list(owner.id());
        String code = groupOf(owner, viewer);
        if (code == null) {
            return new View(null, null, false, groups);
        }
        String name = groups.stream().filter(g -> g.code().equals(code)).map(g -> g.name(zh)).findFirst().orElse(code);
        boolean priced = instrument.prices().stream().anyMatch(p -> p.rateGroup().equals(code));
        return new View(code, name, priced, groups);
    }
}
