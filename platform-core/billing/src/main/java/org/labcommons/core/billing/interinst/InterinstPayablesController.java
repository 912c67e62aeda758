package org.labcommons.core.billing.interinst;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;

import java.util.UUID;

/** What the caller's institution owes other institutions for its people's charges there: {@code /api/v1/interinst/payables} (finance). */
@Controller("/api/v1/interinst")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Between institutions", description = "The home institution's payables for its people's charges at other institutions.")
public class InterinstPayablesController {
    private final InterinstAccess access;
    private final HomePayables payables;

    public InterinstPayablesController(InterinstAccess access, HomePayables payables) {
        this.access = access;
        this.payables = payables;
    }

    @Operation(summary = "List what the institution owes other institutions (charge items, newest first) with the totals per provider")
    @Get("/payables")
    public HomePayables.PayablePage list(AuthenticatedUser user, @Nullable @QueryValue UUID provider,
                                         @QueryValue(defaultValue = "0") int page, @QueryValue(defaultValue = "50") int size) {
        var home = access.requireFinance(user);
        InterinstAccess.paging(page, size);
        return payables.payables(home, provider, page, size);
    }
}
