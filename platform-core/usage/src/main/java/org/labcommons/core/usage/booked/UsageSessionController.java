package org.labcommons.core.usage.booked;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code /api/v1/usage/sessions} and the staff's queue {@code /api/v1/usage/unattributed}
 * (docs/usage.md, "Corrections and attribution"). Lists are paged ({@code page} from 0, {@code size}
 * 1–100, default 20); a bad parameter is {@code 400 validation_failed} naming it. Who sees what:
 * {@link UsageSessions}.
 */
@Controller("/api/v1/usage")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
public class UsageSessionController {
    static final int PAGE_SIZE = 20;
    static final int MAX_PAGE_SIZE = 100;

    private final UsageSessions sessions;

    public UsageSessionController(UsageSessions sessions) {
        this.sessions = sessions;
    }

    @Operation(summary = "List usage sessions: of the instruments the caller manages and the caller's own "
            + "(filters instrument, user, from, to, link; paged)")
    @Get("/sessions")
    public UsageSessions.Page list(AuthenticatedUser caller, @Nullable @QueryValue String instrument,
                                   @Nullable @QueryValue("user") String person, @Nullable @QueryValue String from,
                                   @Nullable @QueryValue String to, @Nullable @QueryValue String link,
                                   @Nullable @QueryValue String page, @Nullable @QueryValue String size) {
        List<FieldProblem> problems = new ArrayList<>();
        UUID instrumentId = uuid(instrument, "instrument", problems);
        UUID userId = uuid(person, "user", problems);
        Instant f = instant(from, "from", problems);
        Instant t = instant(to, "to", problems);
        String l = link == null || link.isBlank() ? null : link.strip();
        if (l != null && !UsageSessions.LINKS.contains(l)) {
            problems.add(new FieldProblem("link", "unknown", "validation.sample.status",
                    Map.of("allowed", String.join(", ", UsageSessions.LINKS))));
        }
        int p = number(page, 0, "page", 0, 100_000, problems);
        int n = number(size, PAGE_SIZE, "size", 1, MAX_PAGE_SIZE, problems);
        invalidIf(problems);
        return sessions.list(caller, new UsageSessions.Filter(instrumentId, userId, f, t, l), p, n);
    }

    @Operation(summary = "Read one usage session with its evidence, corrections and its booking's staff records")
    @Get("/sessions/{id}")
    public UsageSession.Detail get(AuthenticatedUser caller, @PathVariable UUID id) {
        return sessions.get(caller, id);
    }

    @Operation(summary = "Correct a usage session (staff; start, end and reason required; kept beside the measured values)")
    @Post("/sessions/{id}/corrections")
    public UsageSession.Detail correct(AuthenticatedUser caller, @PathVariable UUID id,
                                       @Body SessionInputs.Correction input) {
        return sessions.correct(caller, id, input);
    }

    @Operation(summary = "Attribute an unattributed usage session to a person and optionally one of their bookings (staff)")
    @Post("/sessions/{id}/attribution")
    public UsageSession.Detail attribute(AuthenticatedUser caller, @PathVariable UUID id,
                                         @Body SessionInputs.Attribution input) {
        return sessions.attribute(caller, id, input);
    }

    @Operation(summary = "The staff's queue: unattributed usage sessions of the instruments the caller manages (paged)")
    @Get("/unattributed")
    public UsageSessions.Page unattributed(AuthenticatedUser caller, @Nullable @QueryValue String instrument,
                                           @Nullable @QueryValue String page, @Nullable @QueryValue String size) {
        List<FieldProblem> problems = new ArrayList<>();
        UUID instrumentId = uuid(instrument, "instrument", problems);
        int p = number(page, 0, "page", 0, 100_000, problems);
        int n = number(size, PAGE_SIZE, "size", 1, MAX_PAGE_SIZE, problems);
        invalidIf(problems);
        return sessions.unattributed(caller, instrumentId, p, n);
    }

    private static UUID uuid(@Nullable String value, String field, List<FieldProblem> problems) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            problems.add(new FieldProblem(field, "invalid", "validation.sample.uuid", Map.of()));
            return null;
        }
    }

    private static Instant instant(@Nullable String value, String field, List<FieldProblem> problems) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeParseException e) {
            problems.add(new FieldProblem(field, "invalid_format", "validation.invalid_format", Map.of()));
            return null;
        }
    }

    private static int number(@Nullable String value, int fallback, String field, int min, int max,
                              List<FieldProblem> problems) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(value.strip());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        problems.add(new FieldProblem(field, "range", "validation.sample.count", Map.of("min", min, "max", max)));
        return fallback;
    }

    private static void invalidIf(List<FieldProblem> problems) {
        if (!problems.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
        }
    }
}
