package org.labcommons.core.security;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.labcommons.core.directory.TenantDirectory;
import org.labcommons.core.tenancy.TenantId;

import java.util.Locale;
import java.util.Optional;

/**
 * The one path from "an issuer vouched for this subject" to the {@link AuthenticatedUser} that
 * controllers and pages see, shared by the API ({@link BearerTokenFilter}) and the browser
 * ({@code org.labcommons.core.web.WebCaller}):
 * <ol>
 *   <li>the home tenant is the tenant that trusts the issuer ({@link TrustedIssuers}); a
 *       suspended tenant's users are refused here (the API says so after verifying the token);</li>
 *   <li>the user account is found or created by (issuer, subject) ({@link UserAccounts});</li>
 *   <li>the acting tenant is the home tenant, unless another is requested and the user holds a
 *       role there (otherwise the answer is the same as for a tenant that does not exist);</li>
 *   <li>the role assignments are those in the acting tenant ({@link RoleAssignments}).</li>
 * </ol>
 */
@Singleton
public record CallerResolver(TrustedIssuers issuers,
                             UserAccounts accounts,
                             RoleAssignments roles,
                             TenantDirectory directory) {
    /** A subject its issuer has vouched for, with the home tenant that trusts that issuer. */
    public record VerifiedPrincipal(String issuer, String subject, TenantId homeTenant, @Nullable String displayName,
                                    @Nullable String email) {
        public static VerifiedPrincipal of(TokenValidator.ValidatedToken token) {
            return new VerifiedPrincipal(token.issuer(), token.subject(), token.issuerTenant(),
                    claim(token, "name"), claim(token, "email"));
        }

        private static String claim(TokenValidator.ValidatedToken token, String name) {
            return token.claims().getClaim(name) instanceof String s ? s : null;
        }
    }

    /** Why a principal was not resolved to a caller. */
    public enum Refusal {
        /** No tenant trusts the issuer (any more): unknown, disabled, or its tenant is being provisioned. */
        ISSUER_NOT_TRUSTED,
        /** The issuer's tenant is suspended. */
        TENANT_SUSPENDED,
        /** The requested acting tenant does not exist, is not active, or the user holds no role there. */
        TENANT_NOT_FOUND
    }

    /** A caller, or the reason there is none. */
    public record Resolution(@Nullable AuthenticatedUser user, @Nullable Refusal refusal) {
        public Optional<AuthenticatedUser> caller() {
            return Optional.ofNullable(user);
        }
    }

    /**
     * A signed-in browser's caller: the issuer is looked up again on every request, so a session
     * stops working the moment its tenant is suspended or stops trusting the issuer.
     */
    public Resolution resolveSession(String issuer, String subject, @Nullable String displayName,
                                     @Nullable String requestedTenant) {
        Optional<TrustedIssuer> trust = issuers.find(issuer);
        if (trust.isEmpty()) {
            return new Resolution(null, Refusal.ISSUER_NOT_TRUSTED);
        }
        if (trust.get().tenantSuspended()) {
            return new Resolution(null, Refusal.TENANT_SUSPENDED);
        }
        return resolve(new VerifiedPrincipal(issuer, subject, trust.get().tenant(), displayName, null), requestedTenant);
    }

    /**
     * The caller for a verified principal acting in its home tenant, or in {@code requestedTenant}
     * (an id or slug) where it holds a role.
     */
    public Resolution resolve(VerifiedPrincipal principal, @Nullable String requestedTenant) {
        var userId = accounts.resolve(principal);
        TenantId acting = principal.homeTenant();
        if (requestedTenant != null && !requestedTenant.strip().toLowerCase(Locale.ROOT).equals(acting.toString())) {
            Optional<TenantId> other = directory.findActive(requestedTenant.strip());
            if (other.isEmpty() || (!other.get().equals(acting) && roles.forUser(other.get(), userId).isEmpty())) {
                return new Resolution(null, Refusal.TENANT_NOT_FOUND);
            }
            acting = other.get();
        }
        return new Resolution(new AuthenticatedUser(userId, principal.issuer(), principal.subject(),
                principal.homeTenant(), acting, roles.forUser(acting, userId)), null);
    }
}
