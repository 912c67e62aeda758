package org.labcommons.core.security;

import com.nimbusds.jose.JWSAlgorithm;
import org.labcommons.core.tenancy.TenantId;

import java.util.Set;

/** An OIDC issuer a tenant trusts: the exact issuer string, the audience tokens must carry, the algorithms allowed. */
public record TrustedIssuer(String issuer, TenantId tenant, String audience, Set<JWSAlgorithm> algorithms) {
    public TrustedIssuer {
        algorithms = Set.copyOf(algorithms);
    }
}
