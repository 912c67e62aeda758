package org.labcommons.core.catalog;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.labcommons.core.directory.TenantDirectory;
import org.labcommons.core.directory.TenantDirectory.TenantProfile;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What a tenant publishes, as a given viewer may see it. The owner decides per instrument
 * (sharing scope); this class decides who is inside each scope:
 * <ul>
 *   <li>visitors (no sign-in) see {@code public};</li>
 *   <li>any signed-in member of the consortium also sees {@code consortium};</li>
 *   <li>members of the owner's network (same parent) also see {@code network};</li>
 *   <li>the owner's own people also see {@code tenant}.</li>
 * </ul>
 * {@code private} and archived records are never shown here, and a suspended tenant publishes
 * nothing (its profile is not found). The rule is applied inside the SQL, so counts and pages agree.
 */
@Singleton
public record PublicCatalogue(TenantDirectory directory, TenantTransactions tenants, InstrumentService instruments) {
    public Optional<TenantProfile> owner(String slug) {
        return directory.activeProfile(slug).filter(t -> "institution".equals(t.kind()));
    }

    /** The scopes {@code viewer} may see of {@code owner}'s catalogue, widest last. */
    public List<String> visibleScopes(TenantProfile owner, @Nullable AuthenticatedUser viewer) {
        if (viewer == null) {
            return List.of("public");
        }
        if (viewer.homeTenant().equals(owner.id()) || viewer.actingTenant().equals(owner.id())) {
            return List.of("tenant", "network", "consortium", "public");
        }
        Optional<TenantProfile> home = directory.activeProfile(viewer.homeTenant().toString());
        if (home.isEmpty()) {
            return List.of("public");
        }
        boolean sameNetwork = owner.parentId() != null && (owner.parentId().equals(home.get().parentId())
                || owner.parentId().equals(home.get().id().value()));
        return sameNetwork ? List.of("network", "consortium", "public") : List.of("consortium", "public");
    }

    public InstrumentService.Page list(TenantProfile owner, @Nullable AuthenticatedUser viewer, InstrumentQuery query) {
        List<String> scopes = visibleScopes(owner, viewer);
        if (query.sharingScope() != null && !scopes.contains(query.sharingScope())) {
            return new InstrumentService.Page(List.of(), 0, query.offset(), query.limit());
        }
        return tenants.inTenant(owner.id(), c -> restricted(c, scopes, query));
    }

    public Optional<Instrument> find(TenantProfile owner, @Nullable AuthenticatedUser viewer, UUID id) {
        List<String> scopes = visibleScopes(owner, viewer);
        return instruments.find(owner.id(), id)
                .filter(i -> i.archivedAt() == null && scopes.contains(i.sharingScope()))
                .map(PublicCatalogue::withoutInternalNotes);
    }

    private InstrumentService.Page restricted(Connection c, List<String> scopes, InstrumentQuery query)
            throws SQLException {
        InstrumentService.Page page = instruments.list(c, query.withScopes(scopes));
        return new InstrumentService.Page(page.items().stream().map(PublicCatalogue::withoutInternalNotes).toList(),
                page.total(), page.offset(), page.limit());
    }

    /** The exemption note is the owner's internal justification; the public sees the reason only. */
    private static Instrument withoutInternalNotes(Instrument i) {
        return new Instrument(i.id(), i.tenantId(), i.assetNumber(), i.nameZh(), i.nameEn(), i.model(), i.manufacturer(),
                i.countryCode(), i.originalValueFen(), i.purchaseDate(), i.classificationCode(), i.orgUnitId(),
                i.building(), i.room(), i.latitude(), i.longitude(), i.status(), i.purpose(), i.ratedAnnualHours(),
                i.flags(), i.sharingScope(), i.exemptionReason(), null, i.descriptionZh(), i.descriptionEn(),
                i.requiresIot(), i.lastVerifiedAt(), i.staleSince(), i.archivedAt(), i.version(), i.createdAt(),
                i.updatedAt(), i.services(), i.contacts(), i.documents(), i.prices());
    }

    /** Exposed for pages that need the tenant bound for their own reads. */
    public TenantId idOf(TenantProfile owner) {
        return owner.id();
    }
}
