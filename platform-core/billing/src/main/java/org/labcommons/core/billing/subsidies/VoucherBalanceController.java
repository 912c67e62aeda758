package org.labcommons.core.billing.subsidies;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.Problems;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.web.ClientAddresses;

/**
 * An enterprise's voucher balance and claims, without an account: {@code POST /api/v1/public/vouchers/balance} with
 * the voucher's number and the enterprise's tax id (both in the body, never in a URL); both must match, else 404
 * (the same answer for a wrong number and a wrong tax id). Rate limited per client address and per voucher number
 * ({@link VoucherLookupLimiter}): 429 {@code voucher_lookup_limited} (problem+json) with Retry-After in seconds.
 */
@Controller("/api/v1/public/vouchers")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Vouchers")
public class VoucherBalanceController {
    private final Vouchers vouchers;
    private final VoucherRows rows;
    private final VoucherLookupLimiter limiter;
    private final ClientAddresses addresses;
    private final Problems problems;

    public VoucherBalanceController(Vouchers vouchers, VoucherRows rows, VoucherLookupLimiter limiter,
                                    ClientAddresses addresses, Problems problems) {
        this.vouchers = vouchers;
        this.rows = rows;
        this.limiter = limiter;
        this.addresses = addresses;
        this.problems = problems;
    }

    @Operation(summary = "An enterprise's voucher: balance and claims, by voucher number and tax id (rate limited: 429 with Retry-After)")
    @Post("/balance")
    public HttpResponse<?> balance(HttpRequest<?> request, @Body Voucher.BalanceQuery query) {
        long wait = limiter.tryAcquire(addresses.of(request).text(), query.number());
        if (wait > 0) {
            return problems.response(request, HttpStatus.TOO_MANY_REQUESTS, "voucher_lookup_limited")
                    .header("Retry-After", Long.toString(wait));
        }
        return HttpResponse.ok(vouchers.balance(rows.consortia().stream().map(TenantId::new).toList(), query.number(),
                query.taxId()).orElseThrow(ProblemException::notFound));
    }
}
