package org.labcommons.core.security;

import com.nimbusds.jose.JWSAlgorithm;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.labcommons.core.directory.TenantRows;
import org.labcommons.core.tenancy.TenantId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Finds the tenant that trusts an issuer, before any tenant is known. The consortium's own issuer
 * ({@code labcommons.oidc.issuer}) belongs to the consortium tenant (slug
 * {@code labcommons.oidc.consortium-tenant}); every other issuer comes from the tenants'
 * {@code trusted_issuer} rows through the reviewed {@code trusted_issuer_lookup} function. Issuers
 * are compared as exact strings. An issuer claimed by two tenants is trusted by neither. Issuers of
 * suspended tenants are found (marked as such), so their users can be told why they are refused;
 * tenants still being provisioned are not.
 */
@Singleton
public class TrustedIssuers {
    /** Every algorithm an issuer may be allowed: asymmetric signatures only (never {@code none} or HMAC). */
    public static final Set<JWSAlgorithm> SUPPORTED_ALGORITHMS = Set.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384,
            JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);
    /** The consortium issuer's algorithms and the default of {@code trusted_issuer.algorithms}. */
    public static final Set<JWSAlgorithm> DEFAULT_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256);
    private static final Logger LOG = LoggerFactory.getLogger(TrustedIssuers.class);

    private final TrustedIssuerRows rows;
    private final TenantRows tenants;
    private final String consortiumIssuer;
    private final String consortiumAudience;
    private final String consortiumSlug;

    public TrustedIssuers(TrustedIssuerRows rows, TenantRows tenants,
                          @Value("${labcommons.oidc.issuer}") String consortiumIssuer,
                          @Value("${labcommons.oidc.audience:labcommons}") String consortiumAudience,
                          @Value("${labcommons.oidc.consortium-tenant:consortium}") String consortiumSlug) {
        this.rows = rows;
        this.tenants = tenants;
        this.consortiumIssuer = consortiumIssuer;
        this.consortiumAudience = consortiumAudience;
        this.consortiumSlug = consortiumSlug;
    }

    /**
     * The trust for exactly this issuer string, if one active tenant (and only one) has it.
     *
     * <p>One statement, so outside a transaction it runs on a pooled connection in autocommit mode
     * (one round trip to PostgreSQL instead of {@code BEGIN}, the select and {@code COMMIT});
     * inside a caller's transaction it uses that transaction's connection. Nothing is remembered:
     * a change to {@code trusted_issuer} or to a tenant's status is seen by the next request.
     */
    public Optional<TrustedIssuer> find(String issuer) {
        if (consortiumIssuer.equals(issuer)) {
            Optional<UUID> consortium = tenants.findIdBySlugAndStatus(consortiumSlug, "active");
            if (consortium.isEmpty()) {
                LOG.warn("the consortium issuer is configured but tenant '{}' does not exist", consortiumSlug);
            }
            return consortium.map(id -> new TrustedIssuer(issuer, new TenantId(id), consortiumAudience, DEFAULT_ALGORITHMS));
        }
        List<TrustedIssuerRows.Trust> found = rows.lookup(issuer);
        if (found.size() > 1) {
            LOG.warn("issuer {} is registered by {} tenants; trusted by none", issuer, found.size());
            return Optional.empty();
        }
        return found.stream().findFirst().map(t -> new TrustedIssuer(issuer, new TenantId(t.tenantId()), t.audience(),
                algorithms(t.algorithms()), "suspended".equals(t.tenantStatus()), t.clientId(), t.nameClaim(),
                t.emailClaim()));
    }

    private static Set<JWSAlgorithm> algorithms(String[] names) {
        return Arrays.stream(names).map(JWSAlgorithm::parse)
                .filter(SUPPORTED_ALGORITHMS::contains).collect(Collectors.toUnmodifiableSet());
    }
}
