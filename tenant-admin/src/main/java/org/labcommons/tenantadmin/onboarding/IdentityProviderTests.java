package org.labcommons.tenantadmin.onboarding;

import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The identity-provider test of an application ({@link IdentityProviderCheck}) as the gate of its approval:
 * a test that passes is recorded on the application with the issuer it tested, and {@link Provisioner}
 * approves a submitted application only when the issuer it names now has passed ({@link #notTested()}
 * otherwise). Every test is audited in the network's log.
 */
@Singleton
public record IdentityProviderTests(TenantTransactions tenants, ApplicationRows applications,
                                    IdentityProviderCheck check, AuditLog audit) {

    /** Tests the application's identity provider; records it when it passes. */
    public IdentityProviderCheck.Result test(TenantId network, AuditEntry.Actor actor, UUID id, Locale locale) {
        Application app = tenants.inTenant(network, c -> applications.find(id)).orElseThrow(ProblemException::notFound);
        IdentityProviderCheck.Result result = check.check(app.issuerUrl(), locale);
        tenants.inTenant(network, c -> {
            if (result.ok()) {
                applications.idpTestPassed(id, app.issuerUrl());
            }
            audit.append(c, actor.entry("onboarding.application.idp_tested", "onboarding_application", id.toString(),
                    Map.<String, Object>of("issuer", String.valueOf(app.issuerUrl()), "result", result.code())));
            return null;
        });
        return result;
    }

    /** When the test of the issuer the application names now passed, if it did. */
    public Optional<Instant> passedAt(TenantId network, UUID id) {
        return tenants.inTenant(network, c -> applications.idpTestPassedAt(id));
    }

    /** The refusal of an approval before the test passed (409 {@code idp_not_tested}). */
    static ProblemException notTested() {
        return new ProblemException(HttpStatus.CONFLICT, "idp_not_tested");
    }
}
