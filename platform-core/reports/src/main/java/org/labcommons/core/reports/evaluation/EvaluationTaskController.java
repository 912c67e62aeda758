package org.labcommons.core.reports.evaluation;

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
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.labcommons.core.catalog.CatalogueAccess;
import org.labcommons.core.catalog.Instrument;
import org.labcommons.core.catalog.InstrumentService;
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
 * Figures staff enter and explanation tasks: {@code /api/v1/reports/evaluations/figures} and {@code .../explanations}
 * (access: {@link EvaluationAccess}).
 */
@Controller("/api/v1/reports/evaluations")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Evaluations", description = "The yearly benefit evaluation of large instruments: versioned schemes, runs "
        + "with scores linked to their inputs, population figures, ranks, publication and differences between versions.")
public class EvaluationTaskController {
    private final EvaluationAccess access;
    private final EvaluationTasks tasks;
    private final InstrumentService instruments;

    public EvaluationTaskController(EvaluationAccess access, EvaluationTasks tasks, InstrumentService instruments) {
        this.access = access;
        this.tasks = tasks;
        this.instruments = instruments;
    }

    /** An explanation to submit (1-2000 characters). */
    @Serdeable
    public record ExplanationInput(@Nullable String explanation) {
    }

    @Operation(summary = "Enter a figure of an instrument and year (who, when and why are kept; the latest entry counts)")
    @Status(HttpStatus.CREATED)
    @Post("/figures")
    public HttpResponse<EvaluationTasks.Figure> enter(AuthenticatedUser user, @Body EvaluationTasks.FigureInput input) {
        List<FieldProblem> problems = EvaluationTasks.check(input);
        if (input.instrumentId() == null) {
            EvaluationController.throwIfAny(problems);
        }
        Instrument instrument = access.figuresOf(user, input.instrumentId());
        EvaluationController.throwIfAny(problems);
        return HttpResponse.created(tasks.enter(user.actingTenant(), CatalogueAccess.actor(user), user.userId(),
                instrument, input));
    }

    @Operation(summary = "The figures entered for an instrument and year: those in force and the whole history")
    @Get("/figures")
    public EvaluationTasks.Figures figures(AuthenticatedUser user, @Nullable @QueryValue UUID instrumentId,
                                           @Nullable @QueryValue Integer year) {
        List<FieldProblem> problems = new ArrayList<>();
        if (instrumentId == null) {
            problems.add(new FieldProblem("instrumentId", "not_null", "validation.not_null", Map.of()));
        }
        EvaluationTasks.year(problems, year);
        EvaluationController.throwIfAny(problems);
        Instrument instrument = access.figuresOf(user, instrumentId);
        return tasks.figures(user.actingTenant(), instrument.id(), year);
    }

    @Operation(summary = "Explanation tasks (a year, a status): all for the institution's admins, else those of the "
            + "instruments the caller manages")
    @Get("/explanations")
    public EvaluationTasks.TaskPage explanations(AuthenticatedUser user, @Nullable @QueryValue Integer year,
                                                 @Nullable @QueryValue String status,
                                                 @Nullable @QueryValue Integer page, @Nullable @QueryValue Integer size) {
        access.requireTaskReader(user);
        List<FieldProblem> problems = EvaluationController.paging(page, size);
        if (year != null) {
            EvaluationTasks.year(problems, year);
        }
        if (status != null && !List.of("open", "submitted").contains(status)) {
            problems.add(new FieldProblem("status", "one_of", "evaluation.validation.one_of",
                    Map.of("values", "open, submitted")));
        }
        EvaluationController.throwIfAny(problems);
        List<EvaluationTasks.Task> all = tasks.tasks(user.actingTenant(), year, status);
        List<EvaluationTasks.Task> seen = access.mayRun(user) ? all : all.stream()
                .filter(t -> instruments.find(user.actingTenant(), t.instrumentId())
                        .map(i -> access.mayExplain(user, i)).orElse(false)).toList();
        int p = page == null ? 0 : page;
        int n = size == null ? 50 : size;
        // paged after the per-instrument filter, so totals and pages agree (a tenant's tasks of a year are few)
        return new EvaluationTasks.TaskPage(seen.stream().skip((long) p * n).limit(n).toList(), seen.size(), p, n);
    }

    @Operation(summary = "Submit the explanation of an open task (the instrument's managers)")
    @Post("/explanations/{id}")
    public EvaluationTasks.Task explain(AuthenticatedUser user, @PathVariable UUID id,
                                        @Body ExplanationInput input) {
        access.requireTaskReader(user);
        EvaluationTasks.Task task = tasks.task(user.actingTenant(), id).orElseThrow(ProblemException::notFound);
        Instrument instrument = instruments.find(user.actingTenant(), task.instrumentId())
                .orElseThrow(ProblemException::notFound);
        if (!access.mayExplain(user, instrument)) {
            throw ProblemException.notFound();
        }
        return tasks.submit(user.actingTenant(), CatalogueAccess.actor(user), user.userId(), id, input.explanation());
    }
}
