package org.labcommons.core.reports.evaluation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.catalog.Instrument;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Figures staff enter per instrument and year (append-only, the latest counts; who, when, why; audited
 * {@code evaluation_figure.entered}) and explanation tasks (an instrument below the scheme's hours; its managers
 * submit the explanation once, audited {@code evaluation_explanation.submitted}).
 */
@Singleton
public record EvaluationTasks(TenantTransactions tenants, AuditLog audit, FigureRows rows) {
    private static final Clock CLOCK = Clock.systemUTC();
    private static final BigDecimal MAX = new BigDecimal("99999999999999.99");

    /** A figure to enter: its name, value (at most two decimals, not negative) and why (1-500 characters). */
    @Serdeable
    public record FigureInput(@Nullable UUID instrumentId, @Nullable Integer year, @Nullable String figure,
                              @Nullable BigDecimal value, @Nullable String reason) {
    }

    @Serdeable
    public record Figure(UUID id, UUID instrumentId, int year, String figure, BigDecimal value, String reason,
                         UUID enteredBy, Instant enteredAt) {
    }

    /** The figures in force and the whole history of an instrument and year. */
    @Serdeable
    public record Figures(UUID instrumentId, int year, List<Figure> current, List<Figure> history) {
    }

    @Serdeable
    public record Task(UUID id, UUID instrumentId, String schemeCode, int year, UUID runId, BigDecimal effectiveHours,
                       BigDecimal belowHours, String status, @Nullable String explanation, @Nullable UUID submittedBy,
                       @Nullable Instant submittedAt, Instant createdAt) {
    }

    /** A page of explanation tasks. */
    @Serdeable
    public record TaskPage(List<Task> items, long total, int page, int size) {
    }

    /** Checks a figure's fields (the instrument and year are the caller's to resolve). */
    public static List<FieldProblem> check(FigureInput in) {
        List<FieldProblem> p = new ArrayList<>();
        if (in.instrumentId() == null) {
            p.add(new FieldProblem("instrumentId", "not_null", "validation.not_null", Map.of()));
        }
        year(p, in.year());
        if (in.figure() == null || !in.figure().matches("^[a-zA-Z][a-zA-Z0-9]{0,39}$")) {
            p.add(new FieldProblem("figure", "pattern", "evaluation.validation.figure", Map.of()));
        }
        if (in.value() == null || in.value().signum() < 0 || in.value().scale() > 2 || in.value().compareTo(MAX) > 0) {
            p.add(new FieldProblem("value", "range", "evaluation.validation.value", Map.of()));
        }
        if (in.reason() == null || in.reason().isBlank() || in.reason().strip().length() > 500) {
            p.add(new FieldProblem("reason", "size", "validation.size", Map.of("min", 1, "max", 500)));
        }
        return p;
    }

    static void year(List<FieldProblem> p, @Nullable Integer year) {
        if (year == null || year < 2000 || year > 2100) {
            p.add(new FieldProblem("year", "range", "validation.size", Map.of("min", 2000, "max", 2100)));
        }
    }

    public Figure enter(TenantId tenant, AuditEntry.Actor actor, UUID userId, Instrument instrument, FigureInput in) {
        Instant now = Instant.now(CLOCK);
        UUID id = UUID.randomUUID();
        String reason = in.reason().strip();
        return tenants.inTenant(tenant, c -> {
            rows.insert(id, instrument.id(), in.year(), in.figure(), in.value(), reason, userId, now);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("instrumentId", instrument.id().toString());
            details.put("year", in.year());
            details.put("figure", in.figure());
            details.put("value", in.value().toPlainString());
            details.put("reason", reason);
            audit.append(c, actor.entry("evaluation_figure.entered", "evaluation_figure", id.toString(), details));
            return new Figure(id, instrument.id(), in.year(), in.figure(), in.value(), reason, userId, now);
        });
    }

    public Figures figures(TenantId tenant, UUID instrumentId, int year) {
        return tenants.inTenant(tenant, c -> new Figures(instrumentId, year,
                rows.current(instrumentId, year).stream().map(EvaluationTasks::figure).toList(),
                rows.history(instrumentId, year).stream().map(EvaluationTasks::figure).toList()));
    }

    public List<Task> tasks(TenantId tenant, @Nullable Integer year, @Nullable String status) {
        return tenants.inTenant(tenant, c -> rows.tasks(year, status).stream().map(EvaluationTasks::task).toList());
    }

    public Optional<Task> task(TenantId tenant, UUID id) {
        return tenants.inTenant(tenant, c -> rows.task(id).map(EvaluationTasks::task));
    }

    /** Submits an open task's explanation (1-2000 characters); 409 {@code wrong_state} once submitted. */
    public Task submit(TenantId tenant, AuditEntry.Actor actor, UUID userId, UUID id, @Nullable String text) {
        if (text == null || text.isBlank() || text.strip().length() > 2000) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(new FieldProblem(
                    "explanation", "size", "validation.size", Map.of("min", 1, "max", 2000))));
        }
        Instant now = Instant.now(CLOCK);
        return tenants.inTenant(tenant, c -> {
            FigureRows.TaskRow t = rows.task(id).orElseThrow(ProblemException::notFound);
            if (!"open".equals(t.status())) {
                throw new ProblemException(HttpStatus.CONFLICT, "wrong_state", t.status());
            }
            rows.submit(id, text.strip(), userId, now);
            audit.append(c, actor.entry("evaluation_explanation.submitted", "evaluation_explanation", id.toString(),
                    Map.of("instrumentId", t.instrumentId().toString(), "year", t.year())));
            return task(rows.task(id).orElseThrow());
        });
    }

    private static Figure figure(FigureRows.FigureRow r) {
        return new Figure(r.id(), r.instrumentId(), r.year(), r.figure(), r.value(), r.reason(), r.enteredBy(),
                r.enteredAt());
    }

    private static Task task(FigureRows.TaskRow r) {
        return new Task(r.id(), r.instrumentId(), r.schemeCode(), r.year(), r.runId(), r.effectiveHours(),
                r.belowHours(), r.status(), r.explanation(), r.submittedBy(), r.submittedAt(), r.createdAt());
    }
}
