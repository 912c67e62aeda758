package org.labcommons.core.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

import java.net.URI;
import java.util.Map;

/** Answers for {@link SignInRequiredException} (go and sign in) and {@link PageForbiddenException} (403 page). */
public final class PageExceptionHandlers {
    private PageExceptionHandlers() {
    }

    private static boolean htmx(HttpRequest<?> request) {
        return "true".equals(request.getHeaders().get("HX-Request"));
    }

    @Singleton
    @Produces
    public static class SignInRequiredHandler implements ExceptionHandler<SignInRequiredException, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, SignInRequiredException exception) {
            String login = WebCaller.loginPath(exception.returnTo());
            if (htmx(request)) {
                // htmx would follow a redirect inside the page; this makes the whole page go to sign-in
                return HttpResponse.status(HttpStatus.UNAUTHORIZED).header("HX-Redirect", login);
            }
            return HttpResponse.seeOther(URI.create(login));
        }
    }

    @Singleton
    @Produces(MediaType.TEXT_HTML)
    public static class PageForbiddenHandler implements ExceptionHandler<PageForbiddenException, HttpResponse<?>> {
        private final Pages pages;

        public PageForbiddenHandler(Pages pages) {
            this.pages = pages;
        }

        @Override
        public HttpResponse<?> handle(HttpRequest request, PageForbiddenException exception) {
            Map<String, Object> model = pages.model(request);
            model.put("reason", exception.reason());
            return pages.respond(request, HttpStatus.FORBIDDEN, "forbidden", model);
        }
    }
}
