package org.labcommons.core.billing.closing;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.labcommons.core.catalog.CatalogueAccess;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AccessPolicy;
import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.security.Scope;

import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The month close, {@code /api/v1/month-closes}, for finance staff and institution admins of the acting tenant
 * ({@link Action#SETTLE_ACCOUNTS}; others 403 {@code forbidden}): the pre-check, the close (201; a month closed before
 * answers its first close, 201 with {@code replayed}), the closed months, one with its statements and files, and the
 * downloads (the finance file as stored at the close, a payer's statement as PDF or xlsx), each answered with its
 * SHA-256 in {@code X-Content-SHA256}. Errors are problem+json; a malformed period is a field error.
 */
@Controller("/api/v1/month-closes")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Month close", description = "The month close of an institution's ledger: pre-check, statements per payer, "
        + "the finance deduction file (CSV, xlsx) with checksums.")
public class MonthCloseController {
    static final String CHECKSUM = "X-Content-SHA256";
    static final int MAX_SIZE = 200;
    private final MonthCloses closes;
    private final AccessPolicy access;

    public MonthCloseController(MonthCloses closes, AccessPolicy access) {
        this.closes = closes;
        this.access = access;
    }

    /** The month to check or close, {@code YYYY-MM}. */
    @Serdeable
    public record PeriodInput(@Nullable String period) {
    }

    @Operation(summary = "Pre-check a month: what the finance system would reject and what else blocks its close")
    @Post("/pre-check")
    public MonthCloses.PreCheck preCheck(AuthenticatedUser user, @Nullable @Body PeriodInput input) {
        return closes.preCheck(finance(user).actingTenant(), month(input == null ? null : input.period(), true));
    }

    @Operation(summary = "Close a month: the ledger's period, statements per payer, the finance file; a second close answers "
            + "the first (201 both times, replayed: true the second)")
    @Status(HttpStatus.CREATED)
    @Post
    public MonthCloses.Closed close(AuthenticatedUser user, @Nullable @Body PeriodInput input) {
        YearMonth period = month(input == null ? null : input.period(), true);
        return closes.close(finance(user).actingTenant(), period, CatalogueAccess.actor(user), user.userId().toString());
    }

    @Operation(summary = "List the closed months, newest first, with their files' checksums")
    @Get
    public MonthCloses.Page list(AuthenticatedUser user, @Nullable @QueryValue Integer page, @Nullable @QueryValue Integer size) {
        List<FieldProblem> problems = new ArrayList<>();
        if (page != null && page < 0) {
            problems.add(new FieldProblem("page", "min", "validation.min", Map.of("value", 0)));
        }
        if (size != null && (size < 1 || size > MAX_SIZE)) {
            problems.add(new FieldProblem("size", "range", "validation.size", Map.of("min", 1, "max", MAX_SIZE)));
        }
        if (!problems.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
        }
        return closes.list(finance(user).actingTenant(), page == null ? 0 : page, size == null ? 50 : size);
    }

    @Operation(summary = "One closed month with its statements and files")
    @Get("/{period}")
    public MonthCloses.MonthClose one(AuthenticatedUser user, @PathVariable String period) {
        return closes.one(finance(user).actingTenant(), month(period, false)).orElseThrow(ProblemException::notFound);
    }

    @Operation(summary = "Download the finance deduction file of a closed month: finance-file.csv or finance-file.xlsx")
    @Get(value = "/{period}/{file}", produces = {"text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
    public HttpResponse<byte[]> financeFile(AuthenticatedUser user, @PathVariable String period, @PathVariable String file) {
        YearMonth p = month(period, false);
        if (!FinanceFiles.CSV.equals(file) && !FinanceFiles.XLSX.equals(file)) {
            throw ProblemException.notFound();
        }
        return download(closes.file(finance(user).actingTenant(), p, file).orElseThrow(ProblemException::notFound),
                p + "-" + file);
    }

    @Operation(summary = "Download a payer's statement of a closed month: {ledger code}.pdf or {ledger code}.xlsx (finance, the account's PI, or the person it is)")
    @Get(value = "/{period}/statements/{file}", produces = {"application/pdf",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
    public HttpResponse<byte[]> statement(AuthenticatedUser user, @PathVariable String period, @PathVariable String file) {
        YearMonth p = month(period, false);
        int dot = file.lastIndexOf('.');
        String format = dot < 0 ? "" : file.substring(dot + 1);
        if (!format.equals("pdf") && !format.equals("xlsx")) {
            throw ProblemException.notFound();
        }
        String payer = file.substring(0, dot);
        if (!access.allows(user.roles(), Action.SETTLE_ACCOUNTS, Scope.tenant(user.actingTenant()))
                && !closes.holds(user.actingTenant(), payer, user.userId())) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");   // neither finance nor the account's holder
        }
        MonthCloses.Document d = closes.statement(user.actingTenant(), p, payer, format)
                .orElseThrow(ProblemException::notFound);
        return download(d, d.name());
    }

    static HttpResponse<byte[]> download(MonthCloses.Document d, String filename) {
        return HttpResponse.ok(d.content()).contentType(MediaType.of(d.contentType())).header(CHECKSUM, d.sha256())
                .header("Content-Disposition", "attachment; filename=\"" + filename.replaceAll("[^A-Za-z0-9._-]", "_")
                        + "\"; filename*=UTF-8''" + java.net.URLEncoder.encode(filename, StandardCharsets.UTF_8));
    }

    private AuthenticatedUser finance(AuthenticatedUser user) {
        if (!access.allows(user.roles(), Action.SETTLE_ACCOUNTS, Scope.tenant(user.actingTenant()))) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
        return user;
    }

    /** {@code YYYY-MM}; a body's missing or malformed period is 400 on the field {@code period}, a path's 404. */
    static YearMonth month(@Nullable String period, boolean body) {
        if (period != null && period.matches("^[0-9]{4}-[0-9]{2}$")) {
            try {
                return YearMonth.parse(period);
            } catch (DateTimeParseException ignored) {
                // answered below
            }
        }
        if (!body) {
            throw ProblemException.notFound();
        }
        throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(period == null
                ? new FieldProblem("period", "not_null", "validation.not_null", Map.of())
                : new FieldProblem("period", "format", "validation.invalid_format", Map.of())));
    }
}
