package org.labcommons.core.reports.evaluation;

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
import org.labcommons.core.security.AuthenticatedUser;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Evaluation schemes and yearly runs: {@code /api/v1/reports/evaluations/schemes} and {@code .../runs}, for the
 * institution's admins ({@link EvaluationAccess}). Bad input is 400 problem+json {@code validation_failed} with a
 * field error per bad field; a step out of order 409 {@code wrong_state}.
 */
@Controller("/api/v1/reports/evaluations")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Evaluations", description = "The yearly benefit evaluation of large instruments: versioned schemes, runs "
        + "with scores linked to their inputs, population figures, ranks, publication and differences between versions.")
public class EvaluationController {
    static final int MAX_SIZE = 200;
    private final EvaluationAccess access;
    private final EvaluationSchemes schemes;
    private final EvaluationRuns runs;

    public EvaluationController(EvaluationAccess access, EvaluationSchemes schemes, EvaluationRuns runs) {
        this.access = access;
        this.schemes = schemes;
        this.runs = runs;
    }

    /** A run to start: the scheme (null: the active {@code tsinghua} version) and the year. */
    @Serdeable
    public record StartInput(@Nullable UUID schemeId, @Nullable Integer year) {
    }

    @Operation(summary = "List the tenant's evaluation schemes (every version, or one status), by code and newest version")
    @Get("/schemes")
    public Scheme.Page schemes(AuthenticatedUser user, @Nullable @QueryValue String status,
                               @Nullable @QueryValue Integer page, @Nullable @QueryValue Integer size) {
        access.requireRunner(user);
        List<FieldProblem> problems = paging(page, size);
        if (status != null && !List.of("active", "retired").contains(status)) {
            problems.add(new FieldProblem("status", "one_of", "evaluation.validation.one_of",
                    Map.of("values", "active, retired")));
        }
        throwIfAny(problems);
        return schemes.list(user.actingTenant(), status, page == null ? 0 : page, size == null ? 50 : size);
    }

    @Operation(summary = "Read one scheme version: its groups (weights, caps) and items (figures, rules)")
    @Get("/schemes/{id}")
    public Scheme scheme(AuthenticatedUser user, @PathVariable UUID id) {
        access.requireRunner(user);
        return schemes.find(user.actingTenant(), id).orElseThrow(ProblemException::notFound);
    }

    @Operation(summary = "Make a new version of an active scheme (its code kept) from the body; the old version is retired")
    @Status(HttpStatus.CREATED)
    @Post("/schemes/{id}/versions")
    public HttpResponse<Scheme> newVersion(AuthenticatedUser user, @PathVariable UUID id, @Body Scheme input) {
        access.requireRunner(user);
        return HttpResponse.created(schemes.newVersion(user.actingTenant(), CatalogueAccess.actor(user), user.userId(),
                id, input));
    }

    @Operation(summary = "Start (or recompute the draft of) the year's run of a scheme; 201 for a new version, 200 for a "
            + "recomputed draft or an unchanged published run")
    @Status(HttpStatus.CREATED)
    @Post("/runs")
    public HttpResponse<Run> start(AuthenticatedUser user, @Body StartInput input) {
        access.requireRunner(user);
        List<FieldProblem> problems = new ArrayList<>();
        EvaluationTasks.year(problems, input.year());
        throwIfAny(problems);
        Scheme scheme = input.schemeId() == null
                ? schemes.active(user.actingTenant(), "tsinghua").orElseThrow(ProblemException::notFound)
                : schemes.find(user.actingTenant(), input.schemeId()).orElseThrow(() -> new ProblemException(
                        HttpStatus.BAD_REQUEST, "validation_failed", List.of(new FieldProblem("schemeId", "unknown",
                        "evaluation.validation.scheme", Map.of()))));
        EvaluationRuns.Started started = runs.start(user.actingTenant(), CatalogueAccess.actor(user), user.userId(),
                scheme, input.year());
        return started.created() ? HttpResponse.created(started.run()) : HttpResponse.ok(started.run());
    }

    @Operation(summary = "List runs (a year, a scheme code), newest first, without their scores")
    @Get("/runs")
    public Run.Page runs(AuthenticatedUser user, @Nullable @QueryValue Integer year, @Nullable @QueryValue String scheme,
                         @Nullable @QueryValue Integer page, @Nullable @QueryValue Integer size) {
        access.requireRunner(user);
        List<FieldProblem> problems = paging(page, size);
        if (year != null) {
            EvaluationTasks.year(problems, year);
        }
        throwIfAny(problems);
        return runs.list(user.actingTenant(), year, scheme, page == null ? 0 : page, size == null ? 50 : size);
    }

    @Operation(summary = "Read one run with every score, its card and the inputs it was computed from")
    @Get("/runs/{id}")
    public Run run(AuthenticatedUser user, @PathVariable UUID id) {
        access.requireRunner(user);
        return runs.find(user.actingTenant(), id).orElseThrow(ProblemException::notFound);
    }

    @Operation(summary = "Download a run as xlsx (one row per instrument, best first, then the population figures); "
            + "the same run gives the same bytes")
    @Get(value = "/runs/{id}/export.xlsx", produces = RunWorkbook.XLSX)
    public HttpResponse<byte[]> export(AuthenticatedUser user, @PathVariable UUID id) {
        access.requireRunner(user);
        Run run = runs.find(user.actingTenant(), id).orElseThrow(ProblemException::notFound);
        Scheme scheme = schemes.find(user.actingTenant(), run.schemeId()).orElseThrow(ProblemException::notFound);
        String name = "evaluation-" + run.schemeCode() + "-" + run.year() + "-v" + run.version() + ".xlsx";
        return HttpResponse.ok(RunWorkbook.of(run, scheme)).contentType(MediaType.of(RunWorkbook.XLSX))
                .header("Content-Disposition", "attachment; filename=\"" + name + "\"");
    }

    @Operation(summary = "Publish a draft run: it is frozen, and the year's earlier publication is superseded")
    @Post("/runs/{id}/publish")
    public Run publish(AuthenticatedUser user, @PathVariable UUID id) {
        access.requireRunner(user);
        return runs.publish(user.actingTenant(), CatalogueAccess.actor(user), user.userId(), id);
    }

    @Operation(summary = "What changed from the run this one followed (or another run): figures, points, totals, ranks")
    @Get("/runs/{id}/diff")
    public Run.Diff diff(AuthenticatedUser user, @PathVariable UUID id, @Nullable @QueryValue UUID against) {
        access.requireRunner(user);
        return runs.diff(user.actingTenant(), id, against);
    }

    static List<FieldProblem> paging(@Nullable Integer page, @Nullable Integer size) {
        List<FieldProblem> problems = new ArrayList<>();
        if (page != null && page < 0) {
            problems.add(new FieldProblem("page", "min", "validation.min", Map.of("value", 0)));
        }
        if (size != null && (size < 1 || size > MAX_SIZE)) {
            problems.add(new FieldProblem("size", "range", "validation.size", Map.of("min", 1, "max", MAX_SIZE)));
        }
        return problems;
    }

    static void throwIfAny(List<FieldProblem> problems) {
        if (!problems.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
        }
    }
}
