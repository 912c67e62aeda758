package org.labcommons.core.reports.facts;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;

import java.time.DateTimeException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The rollups: {@code /api/v1/reports/facts}. An institution's admins read their own tenant down to instrument and
 * user class; network and consortium admins read their member institutions as aggregates only ({@link FactsAccess}).
 * Bad parameters are 400 problem+json {@code validation_failed} with a field error each; months are {@code YYYY-MM}.
 */
@Controller("/api/v1/reports/facts")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Reports: facts", description = "Rollups of usage, bookings, sample requests and charges fed by their "
        + "events: per instrument, month, user class and service type; members' aggregates for networks and the consortium.")
public class FactsController {
    static final int MIN_YEAR = 2000;
    static final int MAX_YEAR = 2100;
    static final int MAX_MONTHS = 120;
    private final FactsAccess access;
    private final Rollups rollups;
    private final FactsSettings settings;

    public FactsController(FactsAccess access, Rollups rollups, FactsSettings settings) {
        this.access = access;
        this.rollups = rollups;
        this.settings = settings;
    }

    @Operation(summary = "One instrument's figures of a calendar year (the evaluation's inputs)")
    @Get("/instruments/{instrumentId}/years/{year}")
    public InstrumentYearFigures instrumentYear(AuthenticatedUser user, @PathVariable UUID instrumentId,
                                               @PathVariable int year) {
        List<FieldProblem> problems = new ArrayList<>();
        year(problems, year);
        fail(problems);
        return rollups.instrumentYear(access.instrument(user, instrumentId), instrumentId, year);
    }

    @Operation(summary = "The institution's months of a year by user class (one instrument's when given)")
    @Get("/months")
    public FactsViews.Months months(AuthenticatedUser user, @Nullable @QueryValue Integer year,
                                    @Nullable @QueryValue UUID instrumentId) {
        List<FieldProblem> problems = new ArrayList<>();
        if (year == null) {
            problems.add(new FieldProblem("year", "not_null", "validation.not_null", Map.of()));
        } else {
            year(problems, year);
        }
        fail(problems);
        var tenant = instrumentId == null ? access.institution(user) : access.instrument(user, instrumentId);
        return rollups.months(tenant, year, instrumentId);
    }

    @Operation(summary = "The institution's instruments by user class over a period of months, a page at a time")
    @Get("/instruments")
    public FactsViews.InstrumentPage instruments(AuthenticatedUser user, @Nullable @QueryValue String from,
                                                 @Nullable @QueryValue String to, @Nullable @QueryValue String userClass,
                                                 @Nullable @QueryValue UUID instrumentId,
                                                 @Nullable @QueryValue Integer page, @Nullable @QueryValue Integer size) {
        List<FieldProblem> problems = new ArrayList<>();
        YearMonth[] period = period(problems, from, to);
        if (userClass != null && !Contribution.USER_CLASSES.contains(userClass)) {
            problems.add(new FieldProblem("userClass", "one_of", "facts.validation.user_class",
                    Map.of("values", String.join(", ", Contribution.USER_CLASSES))));
        }
        paging(problems, page, size);
        fail(problems);
        var tenant = instrumentId == null ? access.institution(user) : access.instrument(user, instrumentId);
        return rollups.instruments(tenant, period[0], period[1], userClass, instrumentId, page == null ? 0 : page,
                size == null ? 50 : size);
    }

    @Operation(summary = "A network's or the consortium's member institutions as aggregates over a period, and their total")
    @Get("/members")
    public FactsViews.MemberPage members(AuthenticatedUser user, @Nullable @QueryValue String from,
                                         @Nullable @QueryValue String to, @Nullable @QueryValue Integer page,
                                         @Nullable @QueryValue Integer size) {
        List<FieldProblem> problems = new ArrayList<>();
        YearMonth[] period = period(problems, from, to);
        paging(problems, page, size);
        fail(problems);
        return rollups.members(access.bureau(user), period[0], period[1], page == null ? 0 : page,
                size == null ? 50 : size);
    }

    private static void year(List<FieldProblem> problems, int year) {
        if (year < MIN_YEAR || year > MAX_YEAR) {
            problems.add(new FieldProblem("year", "range", "facts.validation.year", Map.of("min", MIN_YEAR, "max", MAX_YEAR)));
        }
    }

    /** {@code from} and {@code to} (YYYY-MM, both required), in order and at most {@link #MAX_MONTHS} apart. */
    private static YearMonth[] period(List<FieldProblem> problems, @Nullable String from, @Nullable String to) {
        YearMonth f = month(problems, "from", from);
        YearMonth t = month(problems, "to", to);
        if (f != null && t != null && (t.isBefore(f) || f.plusMonths(MAX_MONTHS).isBefore(t.plusMonths(1)))) {
            problems.add(new FieldProblem("to", "period", "facts.validation.period", Map.of("max", MAX_MONTHS)));
        }
        return new YearMonth[] {f, t};
    }

    private static YearMonth month(List<FieldProblem> problems, String field, @Nullable String value) {
        if (value == null) {
            problems.add(new FieldProblem(field, "not_null", "validation.not_null", Map.of()));
            return null;
        }
        try {
            YearMonth m = YearMonth.parse(value);
            if (m.getYear() >= MIN_YEAR && m.getYear() <= MAX_YEAR) {
                return m;
            }
        } catch (DateTimeException e) {
            // reported below
        }
        problems.add(new FieldProblem(field, "month", "facts.validation.month", Map.of()));
        return null;
    }

    private void paging(List<FieldProblem> problems, @Nullable Integer page, @Nullable Integer size) {
        if (page != null && page < 0) {
            problems.add(new FieldProblem("page", "min", "validation.min", Map.of("value", 0)));
        }
        if (size != null && (size < 1 || size > settings.getMaxPageSize())) {
            problems.add(new FieldProblem("size", "range", "validation.size", Map.of("min", 1, "max", settings.getMaxPageSize())));
        }
    }

    private static void fail(List<FieldProblem> problems) {
        if (!problems.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
        }
    }
}
