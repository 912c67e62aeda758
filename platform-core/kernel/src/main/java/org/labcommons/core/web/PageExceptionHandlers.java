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

    /** The path and query of the page htmx sent the request from, when it is one of ours. */
    static String currentPage(HttpRequest<?> request, String fallback) {
        String current = request.getHeaders().get("HX-Current-URL");
        String host = request.getHeaders().get("Host");
        if (current == null || host == null) {
            return fallback;
        }
        try {
            URI uri = URI.create(current);
            if (!host.equalsIgnoreCase(uri.getRawAuthority()) || uri.getRawPath() == null) {
                return fallback;
            }
            return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }

    private static boolean htmx(HttpRequest<?> request) {
        return "true".equals(request.getHeaders().get("HX-Request"));
    }

    @Singleton
    @Produces
    public static class SignInRequiredHandler implements ExceptionHandler<SignInRequiredException, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, SignInRequiredException exception) {
            if (htmx(request)) {
                // htmx would follow a redirect inside the page; this makes the whole page go to sign-in,
                // and come back to the page the person was on (not to the fragment's URL)
                return HttpResponse.status(HttpStatus.UNAUTHORIZED)
                        .header("HX-Redirect", WebCaller.loginPath(currentPage(request, exception.returnTo())));
            }
            return HttpResponse.seeOther(URI.create(WebCaller.loginPath(exception.returnTo())));
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
