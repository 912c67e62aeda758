package org.labcommons.tenantadmin.onboarding;

import jakarta.inject.Singleton;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Applications that likely name an institution the platform has or heard of already: an institution tenant
 * (of any network) or another application to the reviewing network (in any state), found by a Chinese or
 * English name at least {@value #NAME_SIMILARITY} similar (trigram similarity of the names' keys: NFKC, lower
 * case, no spaces or punctuation, as the catalogue compares instruments) or containing the other (a campus or
 * an office of a member: "东湖大学" in "东湖大学（东湖校区）"), the same short name (slug), or the same
 * identity provider (issuer). The application record has no unified social credit code or mail
 * domain to compare. Shown to the bureau on the queue's cards and the application's page; a warning, not a
 * refusal (a taken slug or issuer is refused on approval anyway).
 */
@Singleton
public record LikelySameInstitutions(TenantTransactions tenants, ApplicationRows applications) {

    /** Trigram similarity of two names' keys from which they likely name one institution. */
    public static final double NAME_SIMILARITY = 0.5;

    /** For each of the network's applications given, what it likely names again (applications without any are absent). */
    public Map<UUID, List<ApplicationRows.LikelySame>> of(TenantId network, Collection<UUID> ids) {
        Map<UUID, List<ApplicationRows.LikelySame>> out = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        Set<String> seen = new HashSet<>();
        for (ApplicationRows.LikelySame s : tenants.inTenant(network, c -> applications.likelySame(ids, NAME_SIMILARITY))) {
            // a tenant with several identity providers comes once per provider
            if (seen.add(s.applicationId() + "/" + s.otherId())) {
                out.computeIfAbsent(s.applicationId(), k -> new ArrayList<>()).add(s);
            }
        }
        return out;
    }

    /** How many applications of the network are in each state (states without any are absent). */
    public Map<String, Long> counts(TenantId network) {
        Map<String, Long> out = new LinkedHashMap<>();
        tenants.inTenant(network, c -> applications.countsByStatus()).forEach(s -> out.put(s.status(), s.count()));
        return out;
    }
}
