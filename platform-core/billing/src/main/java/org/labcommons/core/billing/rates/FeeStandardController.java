package org.labcommons.core.billing.rates;

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
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.labcommons.core.catalog.CatalogueAccess;
import org.labcommons.core.catalog.Instrument;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Fee standards (rate cards) and their approval: {@code /api/v1/fee-standards}. Who may do which step is
 * {@link FeeStandardAccess}'s; the rules of each step {@link FeeStandards}'. Bad input is 400 problem+json
 * {@code validation_failed} with a field error per bad field; a step out of order 409 {@code wrong_state}.
 */
@Controller("/api/v1/fee-standards")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Fee standards", description = "Versioned rate cards per instrument, service and rate group, approved by the "
        + "department and the institution's fee committee and filed with the price authority.")
public class FeeStandardController {
    static final int MAX_SIZE = 200;
    private final FeeStandardAccess access;
    private final FeeStandards standards;

    public FeeStandardController(FeeStandardAccess access, FeeStandards standards) {
        this.access = access;
        this.standards = standards;
    }

    /** A step's body: a note (at most 1000 characters); for file the authority's reference and the effective day. */
    @Serdeable
    public record StepInput(@Nullable String note, @Nullable String filingRef, @Nullable LocalDate effectiveFrom) {
    }

    @Operation(summary = "List fee standards, filtered by instrument, service, rate group and status, newest change first")
    @Get
    public FeeStandard.Page list(AuthenticatedUser user, @Nullable @QueryValue UUID instrumentId,
                                 @Nullable @QueryValue UUID serviceId, @Nullable @QueryValue String rateGroup,
                                 @Nullable @QueryValue String status, @Nullable @QueryValue Integer page,
                                 @Nullable @QueryValue Integer size) {
        access.requireReader(user);
        List<FieldProblem> problems = new ArrayList<>();
        if (status != null && !FeeStandards.STATUSES.contains(status)) {
            problems.add(new FieldProblem("status", "one_of", "fee.validation.status",
                    Map.of("values", String.join(", ", FeeStandards.STATUSES))));
        }
        if (page != null && page < 0) {
            problems.add(new FieldProblem("page", "min", "validation.min", Map.of("value", 0)));
        }
        if (size != null && (size < 1 || size > MAX_SIZE)) {
            problems.add(new FieldProblem("size", "range", "validation.size", Map.of("min", 1, "max", MAX_SIZE)));
        }
        if (!problems.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
        }
        return standards.list(user.actingTenant(), instrumentId, serviceId, rateGroup, status,
                page == null ? 0 : page, size == null ? 50 : size);
    }

    @Operation(summary = "Read one fee standard with its history (who moved it when, with which note)")
    @Get("/{id}")
    public FeeStandard one(AuthenticatedUser user, @PathVariable UUID id) {
        return access.readable(user, id);
    }

    @Operation(summary = "Create a draft fee standard for an instrument (machine time or a service) and a rate group")
    @Status(HttpStatus.CREATED)
    @Post
    public HttpResponse<FeeStandard> create(AuthenticatedUser user, @Body FeeStandardInput input) {
        if (input.instrumentId() == null) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed",
                    List.of(new FieldProblem("instrumentId", "not_null", "validation.not_null", Map.of())));
        }
        Instrument instrument = access.drafting(user, input.instrumentId());
        return HttpResponse.created(standards.create(user.actingTenant(), CatalogueAccess.actor(user), user.userId(),
                instrument, input));
    }

    @Operation(summary = "Edit a draft fee standard's terms (unit, prices, rounding, surcharge, time bands, effective day)")
    @Put("/{id}")
    public FeeStandard edit(AuthenticatedUser user, @PathVariable UUID id, @Body FeeStandardInput input) {
        FeeStandard card = access.readable(user, id);
        access.drafting(user, card.instrumentId());
        return standards.edit(user.actingTenant(), CatalogueAccess.actor(user), user.userId(), id, input);
    }

    @Operation(summary = "Submit a draft fee standard for the department's approval")
    @Post("/{id}/submit")
    public FeeStandard submit(AuthenticatedUser user, @PathVariable UUID id, @Nullable @Body StepInput input) {
        access.forStep(user, id, "submit");
        return standards.submit(user.actingTenant(), CatalogueAccess.actor(user), user.userId(), id, note(input));
    }

    @Operation(summary = "Approve a submitted fee standard for the department")
    @Post("/{id}/approve-department")
    public FeeStandard approveDepartment(AuthenticatedUser user, @PathVariable UUID id, @Nullable @Body StepInput input) {
        access.forStep(user, id, "approve-department");
        return standards.approveDepartment(user.actingTenant(), CatalogueAccess.actor(user), user.userId(), id, note(input));
    }

    @Operation(summary = "Approve a department-approved fee standard for the institution's fee committee")
    @Post("/{id}/approve-committee")
    public FeeStandard approveCommittee(AuthenticatedUser user, @PathVariable UUID id, @Nullable @Body StepInput input) {
        access.forStep(user, id, "approve-committee");
        return standards.approveCommittee(user.actingTenant(), CatalogueAccess.actor(user), user.userId(), id, note(input));
    }

    @Operation(summary = "File a committee-approved fee standard with the price authority's reference; it takes effect on its day")
    @Post("/{id}/file")
    public FeeStandard file(AuthenticatedUser user, @PathVariable UUID id, @Nullable @Body StepInput input) {
        access.forStep(user, id, "file");
        return standards.file(user.actingTenant(), CatalogueAccess.actor(user), user.userId(), id,
                input == null ? null : input.filingRef(), input == null ? null : input.effectiveFrom(), note(input));
    }

    @Operation(summary = "Withdraw a fee standard that has not taken effect")
    @Post("/{id}/withdraw")
    public FeeStandard withdraw(AuthenticatedUser user, @PathVariable UUID id, @Nullable @Body StepInput input) {
        access.forStep(user, id, "withdraw");
        return standards.withdraw(user.actingTenant(), CatalogueAccess.actor(user), user.userId(), id, note(input));
    }

    private static @Nullable String note(@Nullable StepInput input) {
        return input == null ? null : input.note();
    }
}
