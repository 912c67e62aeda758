package org.labcommons.core.billing.subsidies;

import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.tenancy.TenantId;

/**
 * An enterprise's voucher balance and claims, without an account: {@code POST /api/v1/public/vouchers/balance} with
 * the voucher's number and the enterprise's tax id (both in the body, never in a URL); both must match, else 404
 * (the same answer for a wrong number and a wrong tax id).
 */
@Controller("/api/v1/public/vouchers")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Vouchers")
public class VoucherBalanceController {
    private final Vouchers vouchers;
    private final VoucherRows rows;

    public VoucherBalanceController(Vouchers vouchers, VoucherRows rows) {
        this.vouchers = vouchers;
        this.rows = rows;
    }

    @Operation(summary = "An enterprise's voucher: balance and claims, by voucher number and tax id")
    @Post("/balance")
    public Voucher.Balance balance(@Body Voucher.BalanceQuery query) {
        return vouchers.balance(rows.consortia().stream().map(TenantId::new).toList(), query.number(), query.taxId())
                .orElseThrow(ProblemException::notFound);
    }
}
