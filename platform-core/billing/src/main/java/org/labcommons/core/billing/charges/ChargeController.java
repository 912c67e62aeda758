package org.labcommons.core.billing.charges;

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
import org.labcommons.core.catalog.ManagedInstruments;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Charges ({@code /api/v1/charges}), a user's own ({@code /api/v1/me/charges}) and instruments' charge policies
 * ({@code /api/v1/instruments/{id}/charge-policy}). Who may is {@link ChargeAccess}'s; the rules {@link Charges}' and
 * {@link ChargePolicies}'. Bad input is 400 problem+json {@code validation_failed} with a field error per bad field;
 * a step from the wrong state 409 {@code wrong_state}.
 */
@Controller("/api/v1")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Charges", description = "Charges rated from usage sessions, staff records, booked time, cancellations, "
        + "no-shows and sample requests; their review (approve, adjust, waive), posting to the ledger, and disputes.")
public class ChargeController {
    static final int MAX_SIZE = 200;
    private final ChargeAccess access;
    private final Charges charges;
    private final ChargePolicies policies;

    public ChargeController(ChargeAccess access, Charges charges, ChargePolicies policies) {
        this.access = access;
        this.charges = charges;
        this.policies = policies;
    }

    /** An adjustment, waiver, approval note or a dispute's resolution. */
    @Serdeable
    public record ReviewInput(@Nullable Long deltaFen, @Nullable Long newTotalFen, @Nullable String reason,
                              @Nullable String resolution, @Nullable String note) {
    }

    /** A bulk approval: the charges' ids. */
    @Serdeable
    public record BulkInput(@Nullable List<UUID> ids) {
    }

    /** A page of disputes, oldest first. */
    @Serdeable
    public record Disputes(List<ChargeRows.DisputeRow> items, int page, int size) {
    }

    /** A bulk approval's answer. */
    @Serdeable
    public record BulkResult(List<ChargeView.Outcome> results) {
    }

    @Operation(summary = "List the charges of the instruments the caller manages (filters status, instrumentId, userId, accountCode, period YYYY-MM, unrated)")
    @Get("/charges")
    public ChargeView.Page list(AuthenticatedUser user, @Nullable @QueryValue String status,
                                @Nullable @QueryValue UUID instrumentId, @Nullable @QueryValue UUID userId,
                                @Nullable @QueryValue String accountCode, @Nullable @QueryValue String period,
                                @Nullable @QueryValue Boolean unrated, @Nullable @QueryValue Integer page,
                                @Nullable @QueryValue Integer size) {
        ManagedInstruments managed = access.reviewer(user);
        ChargeView.Filter filter = new ChargeView.Filter(status, instrumentId, userId, accountCode, period, unrated);
        paging(page, size, Charges.filterProblems(filter));
        return charges.list(user.actingTenant(), filter, managed, page == null ? 0 : page, size == null ? 50 : size);
    }

    @Operation(summary = "List the caller's own charges (filters status, period YYYY-MM), or with accountCode every charge to an account the caller leads as its PI (403 otherwise)")
    @Get("/me/charges")
    public ChargeView.Page mine(AuthenticatedUser user, @Nullable @QueryValue String status,
                                @Nullable @QueryValue String period, @Nullable @QueryValue String accountCode,
                                @Nullable @QueryValue Integer page, @Nullable @QueryValue Integer size) {
        if (accountCode != null) {
            access.accountHolder(user, accountCode);   // a PI: every charge to the account, whoever used it
        }
        ChargeView.Filter filter = new ChargeView.Filter(status, null, accountCode == null ? user.userId() : null,
                accountCode, period, null);
        paging(page, size, Charges.filterProblems(filter));
        return charges.list(user.actingTenant(), filter, page == null ? 0 : page, size == null ? 50 : size);
    }

    @Operation(summary = "Read one charge with its items, shares and disputes (its user, or staff who manage its instrument)")
    @Get("/charges/{id}")
    public ChargeView one(AuthenticatedUser user, @PathVariable UUID id) {
        return access.readable(user, id);
    }

    @Operation(summary = "Approve a pending charge; it posts to the ledger")
    @Post("/charges/{id}/approve")
    public ChargeView approve(AuthenticatedUser user, @PathVariable UUID id) {
        access.reviewable(user, id);
        return charges.approve(user.actingTenant(), ChargeAccess.who(user), id);
    }

    @Operation(summary = "Approve many pending charges; each answers approved or the problem's code")
    @Post("/charges/approve")
    public BulkResult approveAll(AuthenticatedUser user, @Body BulkInput input) {
        access.reviewer(user);
        if (input.ids() == null || input.ids().isEmpty() || input.ids().size() > MAX_SIZE) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(new FieldProblem("ids",
                    "size", "validation.size", Map.of("min", 1, "max", MAX_SIZE))));
        }
        List<ChargeView.Outcome> out = new ArrayList<>();
        for (UUID id : input.ids()) {
            try {
                access.reviewable(user, id);
                charges.approve(user.actingTenant(), ChargeAccess.who(user), id);
                out.add(new ChargeView.Outcome(id, "approved"));
            } catch (ProblemException e) {
                out.add(new ChargeView.Outcome(id, e.code()));
            }
        }
        return new BulkResult(out);
    }

    @Operation(summary = "Adjust a charge by a delta or to a new total, with a reason (a new linked item)")
    @Post("/charges/{id}/adjust")
    public ChargeView adjust(AuthenticatedUser user, @PathVariable UUID id, @Body ReviewInput input) {
        access.reviewable(user, id);
        return charges.adjust(user.actingTenant(), ChargeAccess.who(user), id, input.deltaFen(), input.newTotalFen(),
                input.reason());
    }

    @Operation(summary = "Waive a charge with a reason (a new linked item of minus its amount)")
    @Post("/charges/{id}/waive")
    public ChargeView waive(AuthenticatedUser user, @PathVariable UUID id, @Body ReviewInput input) {
        access.reviewable(user, id);
        return charges.waive(user.actingTenant(), ChargeAccess.who(user), id, input.reason());
    }

    @Operation(summary = "Dispute one of the caller's own charges, with a reason")
    @Status(HttpStatus.CREATED)
    @Post("/charges/{id}/disputes")
    public HttpResponse<ChargeView> dispute(AuthenticatedUser user, @PathVariable UUID id, @Body ReviewInput input) {
        access.own(user, id);
        return HttpResponse.created(charges.dispute(user.actingTenant(), ChargeAccess.who(user), id, input.reason()));
    }

    @Operation(summary = "List the disputes of the charges the caller reviews (status open, accepted or rejected)")
    @Get("/charges/disputes")
    public Disputes disputes(AuthenticatedUser user, @Nullable @QueryValue String status,
                             @Nullable @QueryValue Integer page, @Nullable @QueryValue Integer size) {
        ManagedInstruments managed = access.reviewer(user);
        String s = status == null ? "open" : status;
        List<FieldProblem> problems = new ArrayList<>();
        if (!List.of("open", "accepted", "rejected").contains(s)) {
            problems.add(new FieldProblem("status", "one_of", "charge.validation.status",
                    Map.of("values", "open, accepted, rejected")));
        }
        paging(page, size, problems);
        int p = page == null ? 0 : page;
        int n = size == null ? 50 : size;
        return new Disputes(charges.disputes(user.actingTenant(), s, managed, p, n), p, n);
    }

    @Operation(summary = "Resolve a dispute: resolution accepted (with deltaFen or newTotalFen) or rejected (with a note)")
    @Post("/charges/{id}/disputes/{disputeId}/resolve")
    public ChargeView resolve(AuthenticatedUser user, @PathVariable UUID id, @PathVariable UUID disputeId,
                              @Body ReviewInput input) {
        access.reviewable(user, id);
        if (!List.of("accepted", "rejected").contains(String.valueOf(input.resolution()))) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(new FieldProblem(
                    "resolution", "one_of", "charge.validation.resolution", Map.of("values", "accepted, rejected"))));
        }
        return charges.resolve(user.actingTenant(), ChargeAccess.who(user), id, disputeId,
                "accepted".equals(input.resolution()), input.deltaFen(), input.newTotalFen(), input.note());
    }

    @Operation(summary = "Read an instrument's charge policy (its defaults when none was set)")
    @Get("/instruments/{id}/charge-policy")
    public ChargePolicy policy(AuthenticatedUser user, @PathVariable UUID id) {
        access.policyReader(user, id);
        return policies.of(user.actingTenant(), id);
    }

    @Operation(summary = "Set an instrument's charge policy (basis, review, cancellation window and fee, no-show fee)")
    @Put("/instruments/{id}/charge-policy")
    public ChargePolicy setPolicy(AuthenticatedUser user, @PathVariable UUID id, @Body ChargePolicy.Input input) {
        access.managing(user, id);
        return policies.set(user.actingTenant(), CatalogueAccess.actor(user), user.userId(), id, input);
    }

    private static void paging(@Nullable Integer page, @Nullable Integer size, List<FieldProblem> found) {
        List<FieldProblem> problems = new ArrayList<>(found);
        if (page != null && page < 0) {
            problems.add(new FieldProblem("page", "min", "validation.min", Map.of("value", 0)));
        }
        if (size != null && (size < 1 || size > MAX_SIZE)) {
            problems.add(new FieldProblem("size", "range", "validation.size", Map.of("min", 1, "max", MAX_SIZE)));
        }
        if (!problems.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
        }
    }
}
