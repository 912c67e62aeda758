package org.labcommons.federation.booking;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AccessPolicy;
import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.security.Scope;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The home institution's view of the bookings its people hold at other institutions
 * (docs/federation.md). The tenant is the caller's acting tenant, never a parameter. A user sees
 * their own records; finance staff and institution admins ({@link Action#SETTLE_ACCOUNTS} on the
 * tenant) see all of the tenant's records, with filters and totals, and close or open account codes.
 */
@Controller("/api/v1/federation")
@RequiresRole(PlatformRole.FEDERATION)
@ExecuteOn(TaskExecutors.BLOCKING)
public class OutsideBookingRecordController {
    static final int MAX_SIZE = 200;
    private final OutsideBookingRecords outside;
    private final AccessPolicy access;

    public OutsideBookingRecordController(OutsideBookingRecords outside, AccessPolicy access) {
        this.outside = outside;
        this.access = access;
    }

    /** A list answer: the page, the count and estimated cost of all matching records, and whose they are. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ListAnswer(List<OutsideBookingRecords.OutsideBooking> items, int page, int size, long total,
                             long totalEstimatedCostFen, String scope) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record BlockInput(@Nullable String reason) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Blocks(List<OutsideBookingRecords.AccountBlock> items) {
    }

    @Operation(summary = "List bookings made by outside users, or by own users elsewhere")
    @Get("/outside-bookings")
    public ListAnswer list(AuthenticatedUser signedIn, @Nullable @QueryValue String status,
                           @Nullable @QueryValue String homeStatus, @Nullable @QueryValue String account,
                           @Nullable @QueryValue OffsetDateTime from, @Nullable @QueryValue OffsetDateTime to,
                           @Nullable @QueryValue UUID user, @Nullable @QueryValue UUID owner, @Nullable @QueryValue Integer page,
                           @Nullable @QueryValue Integer size) {
        AuthenticatedUser caller = member(signedIn);
        boolean finance = finance(caller);
        List<FieldProblem> problems = new ArrayList<>();
        if (status != null && !OutsideBookingRecords.STATUSES.contains(status)) {
            problems.add(new FieldProblem("status", "invalid", "validation.federation.status", Map.of("value", status)));
        }
        if (homeStatus != null && !List.of("linked", "refused_by_home").contains(homeStatus)) {
            problems.add(new FieldProblem("homeStatus", "invalid", "validation.federation.home_status", Map.of("value", homeStatus)));
        }
        if (account != null && (account.isBlank() || account.length() > 64)) {
            problems.add(new FieldProblem("account", "invalid", "validation.federation.account", Map.of("max", 64)));
        }
        if (from != null && to != null && !to.isAfter(from)) {
            problems.add(new FieldProblem("to", "range", "validation.federation.period", Map.of()));
        }
        int p = page == null ? 0 : page;
        int s = size == null ? 50 : size;
        if (p < 0 || p > 100_000) {
            problems.add(new FieldProblem("page", "range", "validation.federation.page", Map.of("max", 100_000)));
        }
        if (s < 1 || s > MAX_SIZE) {
            problems.add(new FieldProblem("size", "range", "validation.federation.size", Map.of("max", MAX_SIZE)));
        }
        if (!problems.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
        }
        UUID only = finance ? user : caller.userId();
        OutsideBookingRecords.Page result = outside.list(caller.actingTenant(), new OutsideBookingRecords.Filter(only, status, homeStatus,
                account, from == null ? null : from.toInstant(), to == null ? null : to.toInstant(), owner), p, s);
        return new ListAnswer(result.items(), result.page(), result.size(), result.total(), result.totalEstimatedCostFen(),
                finance ? "tenant" : "own");
    }

    @Operation(summary = "Read one outside booking")
    @Get("/outside-bookings/{bookingId}")
    public OutsideBookingRecords.OutsideBooking one(AuthenticatedUser user, @PathVariable UUID bookingId) {
        AuthenticatedUser caller = member(user);
        return outside.find(caller.actingTenant(), bookingId, finance(caller) ? null : caller.userId())
                .orElseThrow(ProblemException::notFound);
    }

    @Operation(summary = "List the blocked billing accounts")
    @Get("/account-blocks")
    public Blocks blocks(AuthenticatedUser user) {
        AuthenticatedUser caller = requireFinance(user);
        return new Blocks(outside.blocks(caller.actingTenant()));
    }

    @Operation(summary = "Block a billing account for outside bookings")
    @Put("/account-blocks/{code}")
    public OutsideBookingRecords.AccountBlock block(AuthenticatedUser user, @PathVariable String code, @Nullable @Body BlockInput input) {
        AuthenticatedUser caller = requireFinance(user);
        validCode(code);
        String reason = input == null || input.reason() == null || input.reason().isBlank() ? null : input.reason().strip();
        if (reason != null && reason.length() > 500) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(
                    new FieldProblem("reason", "too_long", "validation.federation.reason", Map.of("max", 500))));
        }
        return outside.block(caller.actingTenant(), actor(caller), caller.userId(), code, reason);
    }

    @Operation(summary = "Unblock a billing account")
    @Delete("/account-blocks/{code}")
    public HttpResponse<?> unblock(AuthenticatedUser user, @PathVariable String code) {
        AuthenticatedUser caller = requireFinance(user);
        validCode(code);
        if (!outside.unblock(caller.actingTenant(), actor(caller), code)) {
            throw ProblemException.notFound();
        }
        return HttpResponse.noContent();
    }

    private static void validCode(String code) {
        if (code == null || code.isBlank() || code.length() > 64) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(
                    new FieldProblem("code", "invalid", "validation.federation.account", Map.of("max", 64))));
        }
    }

    /** The caller, when they belong to the acting tenant (home) or hold a role there; otherwise 404. */
    private static AuthenticatedUser member(AuthenticatedUser user) {
        if (user.roles().isEmpty() && !user.homeTenant().equals(user.actingTenant())) {
            throw ProblemException.notFound();
        }
        return user;
    }

    private boolean finance(AuthenticatedUser user) {
        return access.allows(user.roles(), Action.SETTLE_ACCOUNTS, Scope.tenant(user.actingTenant()));
    }

    private AuthenticatedUser requireFinance(AuthenticatedUser caller) {
        AuthenticatedUser user = member(caller);
        if (!finance(user)) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
        return user;
    }

    private static AuditEntry.Actor actor(AuthenticatedUser user) {
        return new AuditEntry.Actor(user.issuer(), user.subject(), user.actingTenant().toString());
    }
}
