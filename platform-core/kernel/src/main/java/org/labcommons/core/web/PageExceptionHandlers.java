package org.labcommons.core.web;

import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.labcommons.core.directory.TenantDirectory;
import org.labcommons.core.problem.Problems;
import org.labcommons.core.web.auth.InstitutionChooser;

import java.net.URI;
import java.util.Locale;
import java.util.Map;

/**
 * Answers for {@link SignInRequiredException} (go and sign in), {@link PageForbiddenException} (403 page)
 * and {@link MembershipRequiredException} (403 page: sign in through your institution).
 */
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

    /**
     * The 403 page for a caller whose account belongs to no institution ({@code views/not-member.html}):
     * who they are signed in as and with which account, a link to the institution chooser that comes
     * back to this page (signing in again replaces the session), and for outside users the search,
     * the catalogue and one form choosing the institution whose list of their bookings to open.
     * API clients get problem+json.
     */
    @Singleton
    @Produces
    public static class MembershipRequiredHandler implements ExceptionHandler<MembershipRequiredException, HttpResponse<?>> {
        private final Pages pages;
        private final WebCaller web;
        private final TenantDirectory directory;
        private final InstitutionChooser chooser;
        private final Problems problems;

        public MembershipRequiredHandler(Pages pages, WebCaller web, TenantDirectory directory,
                                         InstitutionChooser chooser, Problems problems) {
            this.pages = pages;
            this.web = web;
            this.directory = directory;
            this.chooser = chooser;
            this.problems = problems;
        }

        @Override
        public HttpResponse<?> handle(HttpRequest request, MembershipRequiredException exception) {
            if (!PageProblemHandler.isPageRequest(request)) {
                return problems.response(request, HttpStatus.FORBIDDEN, "membership_required");
            }
            Map<String, Object> model = pages.model(request);
            boolean zh = (boolean) model.get("zh");
            web.caller(request).flatMap(c -> directory.activeProfile(c.homeTenant().toString()))
                    .ifPresent(home -> model.put("homeName", home.name(zh)));
            String back = currentPage(request, request.getMethod() == HttpMethod.GET ? WebCaller.returnPath(request) : "/");
            model.put("chooseHref", WebCaller.loginPath(back));
            model.put("searchHref", pages.hasPage("/search") ? "/search" : null);
            model.put("catalogueHref", pages.hasPage("/catalogue") ? "/catalogue" : null);
            // the booking pages' guest view of one's bookings at an institution, where this process serves it
            model.put("bookingsHref", pages.hasPage("/my/bookings") ? "/my/bookings" : null);
            model.put("institutions", chooser.all((Locale) model.get("locale")));
            return pages.respond(request, HttpStatus.FORBIDDEN, "not-member", model);
        }
    }
}
