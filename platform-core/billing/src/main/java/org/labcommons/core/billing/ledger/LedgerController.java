package org.labcommons.core.billing.ledger;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.validation.Validated;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AccessPolicy;
import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.security.Scope;

import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * The ledger, read-only, for finance staff and institution admins of the acting tenant ({@link Action#SETTLE_ACCOUNTS}
 * on the tenant; others 403 {@code forbidden}): the accounts with their balances, an account's entries (paged, of one
 * period or all; an unknown code is 404) and the trial balance (through a period, or all). Errors are problem+json.
 */
@Controller("/api/v1/ledger")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Validated
public class LedgerController {
    private final Ledger ledger;
    private final AccessPolicy access;

    public LedgerController(Ledger ledger, AccessPolicy access) {
        this.ledger = ledger;
        this.access = access;
    }

    @Operation(summary = "List the ledger's accounts with their balances (fen), by code")
    @Get("/accounts")
    public Ledger.AccountPage accounts(AuthenticatedUser user, @Nullable @QueryValue String prefix,
                                       @QueryValue(defaultValue = "0") @Min(0) @Max(100000) int page,
                                       @QueryValue(defaultValue = "50") @Min(1) @Max(500) int size) {
        return ledger.accounts(finance(user).actingTenant(), prefix == null || prefix.isBlank() ? null : prefix, page, size);
    }

    @Operation(summary = "List an account's entries (fen, debit positive) of a period or of all periods, in posting order")
    @Get("/accounts/{code}/entries")
    public Ledger.EntryPage entries(AuthenticatedUser user, @PathVariable String code, @Nullable @QueryValue String period,
                                    @QueryValue(defaultValue = "0") @Min(0) @Max(100000) int page,
                                    @QueryValue(defaultValue = "50") @Min(1) @Max(500) int size) {
        return ledger.statement(finance(user).actingTenant(), code, month(period), page, size);
    }

    @Operation(summary = "The trial balance: every account's balance through a period (or all), debits, credits and their total (0)")
    @Get("/trial-balance")
    public Ledger.TrialBalance trialBalance(AuthenticatedUser user, @Nullable @QueryValue String period) {
        return ledger.trialBalance(finance(user).actingTenant(), month(period));
    }

    private AuthenticatedUser finance(AuthenticatedUser user) {
        if (!access.allows(user.roles(), Action.SETTLE_ACCOUNTS, Scope.tenant(user.actingTenant()))) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
        return user;
    }

    private static YearMonth month(@Nullable String period) {
        if (period == null || period.isBlank()) {
            return null;
        }
        try {
            if (period.matches("^[0-9]{4}-[0-9]{2}$")) {
                return YearMonth.parse(period);
            }
        } catch (DateTimeParseException ignored) {
            // answered below
        }
        throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(
                new ProblemException.FieldProblem("period", "format", "validation.invalid_format", Map.of())));
    }
}
