package org.labcommons.core.billing.subsidies;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
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
 * Innovation vouchers at the bureau: {@code /api/v1/vouchers/...}, for {@code ISSUE_VOUCHERS} in a consortium
 * tenant ({@link SubsidyAccess}; others 403): enterprises, issuance batches (caps), vouchers and their claims.
 * Bad input is 400 problem+json with field errors; a tax id registered twice 409 {@code enterprise_exists}.
 */
@Controller("/api/v1/vouchers")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Vouchers", description = "Innovation vouchers (科技创新券): the bureau registers enterprises, issues "
        + "vouchers with per-claim and per-year caps, and sees the claims providers' charges made.")
public class VoucherController {
    private final SubsidyAccess access;
    private final Vouchers vouchers;

    public VoucherController(SubsidyAccess access, Vouchers vouchers) {
        this.access = access;
        this.vouchers = vouchers;
    }

    @Operation(summary = "List the registered enterprises")
    @Get("/enterprises")
    public Voucher.EnterprisePage enterprises(AuthenticatedUser user, @Nullable @QueryValue Integer page,
                                              @Nullable @QueryValue Integer size) {
        Paging p = Paging.of(page, size);
        return vouchers.enterprises(access.bureau(user), p.page(), p.size());
    }

    @Operation(summary = "Register an enterprise by its unified social credit code")
    @Status(HttpStatus.CREATED)
    @Post("/enterprises")
    public HttpResponse<VoucherRows.Enterprise> register(AuthenticatedUser user, @Body Voucher.EnterpriseInput input) {
        return HttpResponse.created(vouchers.register(access.bureau(user), CatalogueAccess.actor(user), user.userId(), input));
    }

    @Operation(summary = "List the issuance batches (their caps)")
    @Get("/batches")
    public Voucher.BatchPage batches(AuthenticatedUser user, @Nullable @QueryValue Integer page,
                                     @Nullable @QueryValue Integer size) {
        Paging p = Paging.of(page, size);
        return vouchers.batches(access.bureau(user), p.page(), p.size());
    }

    @Operation(summary = "Create an issuance batch: per-claim cap and per-enterprise yearly cap (fen)")
    @Status(HttpStatus.CREATED)
    @Post("/batches")
    public HttpResponse<VoucherRows.Batch> createBatch(AuthenticatedUser user, @Body Voucher.BatchInput input) {
        return HttpResponse.created(vouchers.createBatch(access.bureau(user), CatalogueAccess.actor(user), user.userId(), input));
    }

    @Operation(summary = "List the issued vouchers (of one enterprise), newest first, with their balances")
    @Get
    public Voucher.Page list(AuthenticatedUser user, @Nullable @QueryValue UUID enterpriseId,
                             @Nullable @QueryValue Integer page, @Nullable @QueryValue Integer size) {
        Paging p = Paging.of(page, size);
        return vouchers.vouchers(access.bureau(user), enterpriseId, p.page(), p.size());
    }

    @Operation(summary = "Issue a voucher to an enterprise under a batch (face value, validity)")
    @Status(HttpStatus.CREATED)
    @Post
    public HttpResponse<Voucher> issue(AuthenticatedUser user, @Body Voucher.IssueInput input) {
        return HttpResponse.created(vouchers.issue(access.bureau(user), CatalogueAccess.actor(user), user.userId(), input));
    }

    @Operation(summary = "Read one voucher")
    @Get("/{id}")
    public Voucher one(AuthenticatedUser user, @PathVariable UUID id) {
        return vouchers.voucher(access.bureau(user), id).orElseThrow(ProblemException::notFound);
    }

    @Operation(summary = "List the claims (of a voucher, of an enterprise), newest first")
    @Get("/claims")
    public Voucher.ClaimPage claims(AuthenticatedUser user, @Nullable @QueryValue UUID voucherId,
                                    @Nullable @QueryValue UUID enterpriseId, @Nullable @QueryValue Integer page,
                                    @Nullable @QueryValue Integer size) {
        Paging p = Paging.of(page, size);
        return vouchers.claims(access.bureau(user), voucherId, enterpriseId, p.page(), p.size());
    }
}
