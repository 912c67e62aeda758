package org.labcommons.core.security;

import com.nimbusds.jose.JWSAlgorithm;
import io.micronaut.core.annotation.Nullable;
import org.labcommons.core.tenancy.TenantId;

import java.util.Set;

/**
 * An OIDC issuer a tenant trusts: the exact issuer string, the audience tokens must carry, the
 * algorithms allowed; whether its tenant is suspended (its users are then refused after their
 * token was verified); and the browser sign-in registration: the web client's id at that provider
 * (null: the platform's own {@code labcommons.oidc.client-id}) and the claims that carry the
 * display name and the e-mail address.
 */
public record TrustedIssuer(String issuer, TenantId tenant, String audience, Set<JWSAlgorithm> algorithms,
                            boolean tenantSuspended, @Nullable String clientId, String nameClaim, String emailClaim) {
    public TrustedIssuer {
        algorithms = Set.copyOf(algorithms);
    }

    /** An issuer of an active tenant with the default claim names and the platform's client id. */
    public TrustedIssuer(String issuer, TenantId tenant, String audience, Set<JWSAlgorithm> algorithms) {
        this(issuer, tenant, audience, algorithms, false, null, "name", "email");
    }
}
