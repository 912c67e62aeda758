package org.labcommons.core.web;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemHandlers;
import org.labcommons.core.problem.Problems;

import java.util.Map;

/**
 * A {@link ProblemException} that escapes a page (not {@code /api/**}) asked for by a browser
 * (Accept: text/html) or by htmx becomes an error page in the page's language with the problem's
 * status (a missing instrument is a 404 page, not JSON); everywhere else it stays problem+json,
 * exactly as {@link ProblemHandlers.ProblemExceptionHandler} answers it.
 */
@Singleton
@Produces
@Replaces(ProblemHandlers.ProblemExceptionHandler.class)
public record PageProblemHandler(Problems problems,
                                 Pages pages) implements ExceptionHandler<ProblemException, HttpResponse<?>> {
    @Override
    public HttpResponse<?> handle(HttpRequest request, ProblemException exception) {
        if (!isPageRequest(request)) {
            return problems.response(request, exception);
        }
        Map<String, Object> model = pages.withProblem(request, pages.model(request), exception);
        return pages.respond(request, exception.status(), "error", model);
    }

    /** A browser or htmx asking for a page, not a client of the API. */
    static boolean isPageRequest(HttpRequest<?> request) {
        if (request.getPath().startsWith("/api/")) {
            return false;
        }
        String accept = request.getHeaders().get("Accept");
        return "true".equals(request.getHeaders().get("HX-Request")) || (accept != null && accept.contains("text/html"));
    }
}
