package org.labcommons.core.booking.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.labcommons.core.web.Pages;

/** The 404 page for a booking or instrument a staff page may not show ({@link StaffPageSupport.NotFound}). */
@Singleton
@Produces(MediaType.TEXT_HTML)
public record StaffNotFoundHandler(Pages pages) implements ExceptionHandler<StaffPageSupport.NotFound, HttpResponse<?>> {
    @Override
    public HttpResponse<?> handle(HttpRequest request, StaffPageSupport.NotFound exception) {
        return pages.respond(request, HttpStatus.NOT_FOUND, "notfound", pages.model(request));
    }
}
