package org.labcommons.core.usage.policy;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.validation.Validated;
import io.swagger.v3.oas.annotations.Operation;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.catalog.CatalogueAccess;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.web.IfMatch;

import java.util.UUID;

/**
 * An instrument's thresholds and interlock policy ({@link UsagePolicies}), for those who manage the instrument
 * ({@link CatalogueAccess#managed}: 404 for an instrument they cannot see, 403 for one they see but do not manage).
 */
@Controller("/api/v1/instruments/{id}/usage-policy")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Validated
public class UsagePolicyController {
    private final UsagePolicies policies;
    private final CatalogueAccess catalogue;

    public UsagePolicyController(UsagePolicies policies, CatalogueAccess catalogue) {
        this.policies = policies;
        this.catalogue = catalogue;
    }

    @Operation(summary = "Read an instrument's usage thresholds and interlock policy (null: the default)")
    @Get
    public UsagePolicies.Policy get(AuthenticatedUser caller, @PathVariable UUID id) {
        catalogue.managed(caller, id);
        return policies.get(caller.actingTenant(), id);
    }

    @Operation(summary = "Replace an instrument's usage thresholds and interlock policy (null: the default)")
    @Put
    public UsagePolicies.Policy put(AuthenticatedUser caller, @PathVariable UUID id, @Body UsagePolicies.Input input,
                                    @Nullable @IfMatch Long version) {
        catalogue.managed(caller, id);
        return policies.put(caller.actingTenant(), actor(caller), caller.userId(), id, input, version);
    }

    static AuditEntry.Actor actor(AuthenticatedUser user) {
        return new AuditEntry.Actor(user.issuer(), user.subject(), user.actingTenant().toString());
    }
}
