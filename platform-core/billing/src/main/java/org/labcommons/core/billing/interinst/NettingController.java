package org.labcommons.core.billing.interinst;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Status;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;

import java.util.UUID;

/**
 * Monthly netting between the consortium's institutions: {@code /api/v1/netting-runs}. The consortium admin starts a
 * run and sees every pair; an institution's finance office sees its own pairs and confirms its side
 * ({@link InterinstAccess}). Errors are problem+json.
 */
@Controller("/api/v1/netting-runs")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Netting", description = "Monthly netting of what the consortium's institutions owe each other, confirmed by "
        + "both finance offices and cleared in both ledgers.")
public class NettingController {
    private final InterinstAccess access;
    private final Netting netting;

    public NettingController(InterinstAccess access, Netting netting) {
        this.access = access;
        this.netting = netting;
    }

    /** A new run's month, {@code YYYY-MM} (ended in the consortium's zone). */
    @Serdeable
    public record StartInput(@Nullable String period) {
    }

    @Operation(summary = "Start the netting of a month that has ended (consortium admin): each pair's balances from both ledgers and the proposed settlement")
    @Status(HttpStatus.CREATED)
    @Post
    public HttpResponse<Netting.NettingView> start(AuthenticatedUser user, @Nullable @Body StartInput input) {
        var consortium = access.requireOperator(user);
        return HttpResponse.created(netting.start(consortium, input == null ? null : input.period(), user.userId(),
                InterinstAccess.actor(user)));
    }

    @Operation(summary = "List the consortium's netting runs, newest month first (finance: counts of its own pairs)")
    @Get
    public Netting.NettingPage list(AuthenticatedUser user, @QueryValue(defaultValue = "0") int page,
                                @QueryValue(defaultValue = "50") int size) {
        InterinstAccess.paging(page, size);
        return netting.runs(access.viewer(user), page, size);
    }

    @Operation(summary = "One netting run with its pairs (finance: its own pairs)")
    @Get("/{id}")
    public Netting.NettingView one(AuthenticatedUser user, @PathVariable UUID id) {
        return netting.run(access.viewer(user), id);
    }

    @Operation(summary = "One pair of a run with both ledgers' entries between the two institutions (finance of either side)")
    @Get("/{id}/pairs/{pairKey}")
    public Netting.NettingPairDetail pair(AuthenticatedUser user, @PathVariable UUID id, @PathVariable String pairKey) {
        return netting.pair(access.viewer(user), id, pairKey);
    }

    @Operation(summary = "Confirm the caller's institution's side of a pair (finance); when both sides have, both ledgers post the clearing")
    @Post("/{id}/pairs/{pairKey}/confirm")
    public Netting.NettingPairView confirm(AuthenticatedUser user, @PathVariable UUID id, @PathVariable String pairKey) {
        var institution = access.requireFinance(user);
        return netting.confirm(institution, id, pairKey, user.userId(), InterinstAccess.actor(user));
    }
}
