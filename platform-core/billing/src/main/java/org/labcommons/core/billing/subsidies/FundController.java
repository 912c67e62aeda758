package org.labcommons.core.billing.subsidies;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.labcommons.core.catalog.CatalogueAccess;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;

import java.util.UUID;

/**
 * The open-testing fund's periods of the acting institution: {@code /api/v1/subsidies/funds}, for finance staff and
 * institution admins ({@link SubsidyAccess}). Bad input is 400 problem+json {@code validation_failed} with a field
 * error per bad field; another institution's period is 404.
 */
@Controller("/api/v1/subsidies/funds")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Subsidies", description = "The open-testing fund: periods with a budget and a share per user category "
        + "that pay part of internal users' charges.")
public class FundController {
    private final SubsidyAccess access;
    private final Funds funds;

    public FundController(SubsidyAccess access, Funds funds) {
        this.access = access;
        this.funds = funds;
    }

    @Operation(summary = "List the open-testing fund's periods, latest start first, with budget, consumption and shares")
    @Get
    public Fund.Page list(AuthenticatedUser user, @Nullable @QueryValue Integer page, @Nullable @QueryValue Integer size) {
        Paging p = Paging.of(page, size);
        return funds.list(access.funds(user), p.page(), p.size());
    }

    @Operation(summary = "Read one fund period")
    @Get("/{id}")
    public Fund one(AuthenticatedUser user, @PathVariable UUID id) {
        return funds.find(access.funds(user), id).orElseThrow(ProblemException::notFound);
    }

    @Operation(summary = "Create a fund period: days, budget (fen), share per user category and default (basis points), limits")
    @Status(HttpStatus.CREATED)
    @Post
    public HttpResponse<Fund> create(AuthenticatedUser user, @Body Fund.Input input) {
        return HttpResponse.created(funds.create(access.funds(user), CatalogueAccess.actor(user), user.userId(), input));
    }

    @Operation(summary = "Change a fund period's terms (its budget never below what it paid)")
    @Put("/{id}")
    public Fund update(AuthenticatedUser user, @PathVariable UUID id, @Body Fund.Input input) {
        return funds.update(access.funds(user), CatalogueAccess.actor(user), id, input);
    }

    @Operation(summary = "A fund period's consumption: each charge posting's share (negative: returned), newest first")
    @Get("/{id}/consumption")
    public Fund.UsePage consumption(AuthenticatedUser user, @PathVariable UUID id, @Nullable @QueryValue Integer page,
                                    @Nullable @QueryValue Integer size) {
        Paging p = Paging.of(page, size);
        return funds.consumption(access.funds(user), id, p.page(), p.size());
    }
}
