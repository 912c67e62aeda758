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
import io.micronaut.http.annotation.Put;
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

/** Quarterly disbursement of the labs' revenue: {@code /api/v1/disbursement-runs} (finance and institution admins). */
@Controller("/api/v1/disbursement-runs")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Disbursement", description = "The quarterly split of each lab's collected revenue between lab, department and institution.")
public class DisbursementController {
    private final InterinstAccess access;
    private final Disbursement disbursement;

    public DisbursementController(InterinstAccess access, Disbursement disbursement) {
        this.access = access;
        this.disbursement = disbursement;
    }

    /** A split in basis points (sum 10,000); {@code unitId} null: the institution's default. */
    @Serdeable
    public record SharesInput(@Nullable UUID unitId, @Nullable Integer labBp, @Nullable Integer departmentBp,
                              @Nullable Integer institutionBp) {
    }

    /** The quarter to run, {@code YYYY-Qn}. */
    @Serdeable
    public record RunInput(@Nullable String quarter) {
    }

    @Operation(summary = "The disbursement split in force: the institution's default and the per-unit overrides")
    @Get("/shares")
    public Disbursement.DisbursementShares shares(AuthenticatedUser user) {
        return disbursement.shares(access.requireFinance(user));
    }

    @Operation(summary = "Set the default split or a unit's (basis points for lab, department and institution summing to 10,000)")
    @Put("/shares")
    public Disbursement.DisbursementShares setShares(AuthenticatedUser user, @Body SharesInput input) {
        var tenant = access.requireFinance(user);
        return disbursement.setShares(tenant, input.unitId(), input.labBp(), input.departmentBp(), input.institutionBp(),
                user.userId(), InterinstAccess.actor(user));
    }

    @Operation(summary = "Run the disbursement of an ended quarter once (201; a quarter run before answers 200 with that run, adding nothing)")
    @Status(HttpStatus.CREATED)
    @Post
    public HttpResponse<Disbursement.DisbursementView> run(AuthenticatedUser user, @Nullable @Body RunInput input) {
        var tenant = access.requireFinance(user);
        Disbursement.DisbursementView view = disbursement.run(tenant, input == null ? null : input.quarter(), user.userId(),
                InterinstAccess.actor(user));
        return view.created() ? HttpResponse.created(view) : HttpResponse.ok(view);
    }

    @Operation(summary = "List the disbursement runs, newest quarter first")
    @Get
    public Disbursement.DisbursementPage list(AuthenticatedUser user, @QueryValue(defaultValue = "0") int page,
                                     @QueryValue(defaultValue = "50") int size) {
        var tenant = access.requireFinance(user);
        InterinstAccess.paging(page, size);
        return disbursement.runs(tenant, page, size);
    }

    @Operation(summary = "One disbursement run with its lines per lab")
    @Get("/{id}")
    public Disbursement.DisbursementView one(AuthenticatedUser user, @PathVariable UUID id) {
        return disbursement.view(access.requireFinance(user), id, false);
    }
}
