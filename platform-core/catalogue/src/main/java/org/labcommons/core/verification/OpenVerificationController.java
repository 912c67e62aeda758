package org.labcommons.core.verification;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;

import java.util.List;
import java.util.UUID;

/**
 * What an instrument's page shows its admin: the open campaigns still waiting for this record's
 * confirmation, soonest deadline first (empty when none). Visible to whoever may read the
 * campaign's items: the instrument's admins and those above them.
 */
@Controller("/api/v1/verification-items")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
public class OpenVerificationController {
    private final VerificationService service;

    public OpenVerificationController(VerificationService service) {
        this.service = service;
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record OpenItems(UUID instrumentId, List<VerificationService.OpenItem> items) {
    }

    @Operation(summary = "List an instrument's open verification items")
    @Get
    public OpenItems open(AuthenticatedUser user, @QueryValue UUID instrumentId) {
        VerificationCampaignController.requireInstrumentAdmin(user);
        VerificationService.ItemVisibility visibility = VerificationCampaignController.visibility(user);
        return new OpenItems(instrumentId, service.openItems(user.actingTenant(), instrumentId, visibility));
    }
}
