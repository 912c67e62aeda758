package org.labcommons.search;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.labcommons.core.problem.Problems;

/** A full search ({@link SearchAdmission.Busy}): 503 problem+json {@code search_busy} with {@code Retry-After}. */
@Singleton
@Produces
public record SearchBusyHandler(Problems problems) implements ExceptionHandler<SearchAdmission.Busy, HttpResponse<?>> {
    @Override
    public HttpResponse<?> handle(HttpRequest request, SearchAdmission.Busy busy) {
        return problems.response(request, busy).header("Retry-After", Long.toString(busy.retryAfterSeconds()));
    }
}
