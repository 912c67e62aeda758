package org.labcommons.core.booking;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.serde.annotation.Serdeable;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.inject.Singleton;
import org.labcommons.core.problem.Problem;
import org.labcommons.core.problem.Problems;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;

/**
 * The slot is taken: HTTP 409 {@code slot_conflict}, with the conflicting slot ({@code kind}
 * {@code booking} or {@code maintenance}, its start and end). Who holds a conflicting booking is
 * never said.
 */
public class SlotConflictException extends RuntimeException {
    private final transient Conflict conflict;

    /** What is in the way; {@code start}/{@code end} null only when it vanished before it could be read. */
    @Serdeable
    public record Conflict(String kind, @Nullable OffsetDateTime start, @Nullable OffsetDateTime end) {
    }

    public SlotConflictException(Conflict conflict) {
        super("slot_conflict");
        this.conflict = conflict;
    }

    public Conflict conflict() {
        return conflict;
    }

    /** The problem+json body: the usual members plus {@code conflict}. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record ConflictProblem(String type, String title, int status, @Nullable String detail,
                                  @Nullable String instance, String code, Conflict conflict) {
    }

    @Singleton
    @Produces
    public static class Handler implements ExceptionHandler<SlotConflictException, HttpResponse<?>> {
        private final Problems problems;

        public Handler(Problems problems) {
            this.problems = problems;
        }

        @Override
        public HttpResponse<?> handle(HttpRequest request, SlotConflictException exception) {
            Locale locale = Problems.locale(request);
            Conflict c = exception.conflict();
            Problem p = problems.problem(locale, HttpStatus.CONFLICT, "slot_conflict",
                    new Object[]{c.start() == null ? "?" : c.start().toString(), c.end() == null ? "?" : c.end().toString()},
                    request.getPath(), List.of());
            return HttpResponse.status(HttpStatus.CONFLICT).contentType(Problems.PROBLEM_JSON)
                    .body(new ConflictProblem(p.type(), p.title(), p.status(), p.detail(), p.instance(), p.code(), c));
        }
    }
}
