package org.labcommons.core.billing.payers;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
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
import org.labcommons.core.billing.ledger.Posted;
import org.labcommons.core.billing.single.InvoiceRequest;
import org.labcommons.core.billing.single.SingleSettlement;
import org.labcommons.core.catalog.CatalogueAccess;
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
 * Payer accounts: {@code /api/v1/payer-accounts}. Who may call what is {@link PayerAccess}'s. Bad input is 400
 * problem+json {@code validation_failed} with a field error per bad field; a taken code 409 {@code payer_code_taken}.
 */
@Controller("/api/v1/payer-accounts")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Payer accounts", description = "Research project, department and external customer accounts charges are "
        + "paid from: members approved by the PI, budgets, deposits with holds, arrears.")
public class PayerController {
    static final int MAX_SIZE = 200;
    private final PayerAccess access;
    private final Payers payers;
    private final SingleSettlement single;

    public PayerController(PayerAccess access, Payers payers, SingleSettlement single) {
        this.access = access;
        this.payers = payers;
        this.single = single;
    }

    /** A request to join an account by its code. */
    @Serdeable
    public record JoinInput(@Nullable String code, @Nullable String category, @Nullable String note) {
    }

    /** A decision on a member: an optional note. */
    @Serdeable
    public record NoteInput(@Nullable String note) {
    }

    /** A top-up received at the bank: amount (fen), the caller's idempotency key (the bank slip), a memo. */
    @Serdeable
    public record TopUpInput(@Nullable Long amountFen, @Nullable String key, @Nullable String memo) {
    }

    /** The arrears policy. */
    @Serdeable
    public record PolicyInput(@Nullable Integer overdueDays) {
    }

    @Serdeable
    public record Policy(int overdueDays) {
    }

    /** A recorded top-up: the ledger transaction, its key and period; {@code replayed} when the key was posted before. */
    @Serdeable
    public record TopUp(UUID transactionId, String idempotencyKey, String period, java.time.Instant postedAt,
                        boolean replayed) {
    }

    /** A list answer. */
    @Serdeable
    public record Items<T>(List<T> items) {
    }

    @Operation(summary = "List payer accounts, filtered by kind, status and text, by code")
    @Get
    public Payers.Page list(AuthenticatedUser user, @Nullable @QueryValue String kind, @Nullable @QueryValue String status,
                            @Nullable @QueryValue String q, @Nullable @QueryValue Integer page,
                            @Nullable @QueryValue Integer size) {
        access.requireFinance(user);
        List<FieldProblem> problems = new ArrayList<>();
        if (kind != null && !PayerChecks.KINDS.contains(kind)) {
            problems.add(PayerChecks.oneOf("kind", PayerChecks.KINDS));
        }
        if (status != null && !PayerChecks.STATUSES.contains(status)) {
            problems.add(PayerChecks.oneOf("status", PayerChecks.STATUSES));
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
        return payers.list(user.actingTenant(), kind, status, q, page == null ? 0 : page, size == null ? 50 : size);
    }

    @Operation(summary = "Create a payer account (finance)")
    @Status(HttpStatus.CREATED)
    @Post
    public HttpResponse<PayerAccount> create(AuthenticatedUser user, @Body PayerInput input) {
        access.requireFinance(user);
        return HttpResponse.created(payers.create(user.actingTenant(), CatalogueAccess.actor(user), user.userId(), input));
    }

    @Operation(summary = "The caller's accounts: those they lead as PI and those they belong to, with budget used and arrears")
    @Get("/mine")
    public Items<Payers.Mine> mine(AuthenticatedUser user) {
        access.requireMember(user);
        return new Items<>(payers.mine(user.actingTenant(), user.userId()));
    }

    @Operation(summary = "Ask to charge an account, by its code (the PI approves)")
    @Status(HttpStatus.CREATED)
    @Post("/join")
    public HttpResponse<PayerRows.MemberRow> join(AuthenticatedUser user, @Body JoinInput input) {
        access.requireMember(user);
        return HttpResponse.created(payers.join(user.actingTenant(), CatalogueAccess.actor(user), user.userId(),
                input.code(), input.category(), input.note()));
    }

    @Operation(summary = "The tenant's arrears policy (days after which an unpaid receivable blocks new bookings)")
    @Get("/policy")
    public Policy policy(AuthenticatedUser user) {
        access.requireFinance(user);
        return new Policy(payers.overdueDays(user.actingTenant()));
    }

    @Operation(summary = "Set the tenant's arrears policy (finance)")
    @Put("/policy")
    public Policy setPolicy(AuthenticatedUser user, @Body PolicyInput input) {
        access.requireFinance(user);
        return new Policy(payers.setOverdueDays(user.actingTenant(), CatalogueAccess.actor(user), user.userId(),
                input.overdueDays()));
    }

    @Operation(summary = "One account with its money: posted charges, overdue, deposit, holds, available, budget left")
    @Get("/{id}")
    public Payers.Summary one(AuthenticatedUser user, @PathVariable UUID id) {
        return payers.summary(user.actingTenant(), access.readable(user, id));
    }

    @Operation(summary = "Edit an account's terms (finance; the kind and the code stay)")
    @Put("/{id}")
    public PayerAccount edit(AuthenticatedUser user, @PathVariable UUID id, @Body PayerInput input) {
        access.managed(user, id);
        return payers.update(user.actingTenant(), CatalogueAccess.actor(user), id, input);
    }

    @Operation(summary = "An account's members and requests to join")
    @Get("/{id}/members")
    public Items<PayerRows.MemberRow> members(AuthenticatedUser user, @PathVariable UUID id) {
        access.readable(user, id);
        return new Items<>(payers.members(user.actingTenant(), id));
    }

    @Operation(summary = "Approve a member's request to charge the account (its PI; finance when it has none)")
    @Post("/{id}/members/{userId}/approve")
    public PayerRows.MemberRow approve(AuthenticatedUser user, @PathVariable UUID id, @PathVariable UUID userId,
                                       @Nullable @Body NoteInput input) {
        access.approving(user, id);
        return payers.decide(user.actingTenant(), CatalogueAccess.actor(user), user.userId(), id, userId, "approved",
                input == null ? null : input.note());
    }

    @Operation(summary = "Revoke a member (its PI; finance when it has none)")
    @Post("/{id}/members/{userId}/revoke")
    public PayerRows.MemberRow revoke(AuthenticatedUser user, @PathVariable UUID id, @PathVariable UUID userId,
                                      @Nullable @Body NoteInput input) {
        access.approving(user, id);
        return payers.decide(user.actingTenant(), CatalogueAccess.actor(user), user.userId(), id, userId, "revoked",
                input == null ? null : input.note());
    }

    @Operation(summary = "A prepaid account's deposit: balance, holds, available, top-ups and charges")
    @Get("/{id}/deposit")
    public Payers.Deposit deposit(AuthenticatedUser user, @PathVariable UUID id) {
        PayerAccount a = access.managed(user, id);
        if (!"prepaid".equals(a.settlement())) {
            throw new ProblemException(HttpStatus.CONFLICT, "not_prepaid");
        }
        return payers.deposit(user.actingTenant(), a);
    }

    @Operation(summary = "Record a top-up of a prepaid account's deposit (finance; idempotent per key: replayed)")
    @Status(HttpStatus.CREATED)
    @Post("/{id}/deposits")
    public HttpResponse<TopUp> topUp(AuthenticatedUser user, @PathVariable UUID id, @Body TopUpInput input) {
        PayerAccount a = access.managed(user, id);
        Posted p = payers.topUp(user.actingTenant(), CatalogueAccess.actor(user), a, input.amountFen(), input.key(),
                input.memo());
        TopUp t = new TopUp(p.transactionId(), p.idempotencyKey(), p.period().toString(), p.postedAt(), p.replayed());
        return HttpResponse.created(t);
    }

    // ------------------------------------------------------------------ single settlement (billing.single)

    @Operation(summary = "An account that settles singly: its posted charges, what it owes for each and the live invoice request")
    @Get("/{id}/single-charges")
    public InvoiceRequest.ChargePage singleCharges(AuthenticatedUser user, @PathVariable UUID id,
                                                   @Nullable @QueryValue Integer page, @Nullable @QueryValue Integer size) {
        PayerAccount a = access.readable(user, id);
        paging(page, size, null);
        return single.charges(user.actingTenant(), a, page == null ? 0 : page, size == null ? 50 : size);
    }

    @Operation(summary = "The statement of one charge of an account that settles singly (format pdf or xlsx)")
    @Get("/{id}/single-charges/{chargeId}/statement")
    public HttpResponse<byte[]> singleStatement(AuthenticatedUser user, @PathVariable UUID id, @PathVariable UUID chargeId,
                                                @Nullable @QueryValue String format) {
        PayerAccount a = access.readable(user, id);
        boolean pdf = format == null || "pdf".equals(format);
        if (!pdf && !"xlsx".equals(format)) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed",
                    List.of(PayerChecks.oneOf("format", java.util.Set.of("pdf", "xlsx"))));
        }
        byte[] bytes = single.statement(user.actingTenant(), a, chargeId, pdf);
        String name = "statement-" + a.code().replaceAll("[^A-Za-z0-9._-]", "_") + "-" + chargeId + (pdf ? ".pdf" : ".xlsx");
        return HttpResponse.ok(bytes).contentType(MediaType.of(pdf ? "application/pdf"
                        : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
                .header("Content-Disposition", "attachment; filename=\"" + name + "\"");
    }

    @Operation(summary = "Request the invoice of a charge posted to an account that settles singly (finance)")
    @Status(HttpStatus.CREATED)
    @Post("/{id}/single-charges/{chargeId}/invoice-request")
    public HttpResponse<InvoiceRequest> requestInvoice(AuthenticatedUser user, @PathVariable UUID id, @PathVariable UUID chargeId,
                                                       @Nullable @Body InvoiceRequest.Input input) {
        PayerAccount a = access.managed(user, id);
        return HttpResponse.created(single.request(user.actingTenant(), CatalogueAccess.actor(user), user.userId(), a, chargeId,
                input == null ? new InvoiceRequest.Input(null, null, null) : input));
    }

    @Operation(summary = "An account's invoice requests, newest first (finance or its PI)")
    @Get("/{id}/invoice-requests")
    public InvoiceRequest.Page accountRequests(AuthenticatedUser user, @PathVariable UUID id, @Nullable @QueryValue String status,
                                               @Nullable @QueryValue Integer page, @Nullable @QueryValue Integer size) {
        PayerAccount a = access.readable(user, id);
        paging(page, size, status);
        return single.requests(user.actingTenant(), a.id(), status, page == null ? 0 : page, size == null ? 50 : size);
    }

    @Operation(summary = "The tenant's invoice requests, by status, newest first (finance)")
    @Get("/invoice-requests")
    public InvoiceRequest.Page requests(AuthenticatedUser user, @Nullable @QueryValue String status,
                                        @Nullable @QueryValue Integer page, @Nullable @QueryValue Integer size) {
        access.requireFinance(user);
        paging(page, size, status);
        return single.requests(user.actingTenant(), null, status, page == null ? 0 : page, size == null ? 50 : size);
    }

    @Operation(summary = "The invoice of a request was issued: its number (finance; requested to issued)")
    @Post("/{id}/invoice-requests/{requestId}/issue")
    public InvoiceRequest issueInvoice(AuthenticatedUser user, @PathVariable UUID id, @PathVariable UUID requestId,
                                       @Body InvoiceRequest.IssueInput input) {
        PayerAccount a = access.managed(user, id);
        return single.issue(user.actingTenant(), CatalogueAccess.actor(user), user.userId(), a, requestId, input);
    }

    @Operation(summary = "Cancel an invoice request, with a reason (finance)")
    @Post("/{id}/invoice-requests/{requestId}/cancel")
    public InvoiceRequest cancelInvoice(AuthenticatedUser user, @PathVariable UUID id, @PathVariable UUID requestId,
                                        @Body InvoiceRequest.CancelInput input) {
        PayerAccount a = access.managed(user, id);
        return single.cancel(user.actingTenant(), CatalogueAccess.actor(user), user.userId(), a, requestId, input);
    }

    private static void paging(@Nullable Integer page, @Nullable Integer size, @Nullable String status) {
        List<FieldProblem> problems = new ArrayList<>();
        if (status != null && !InvoiceRequest.STATUSES.contains(status)) {
            problems.add(PayerChecks.oneOf("status", InvoiceRequest.STATUSES));
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
    }
}
