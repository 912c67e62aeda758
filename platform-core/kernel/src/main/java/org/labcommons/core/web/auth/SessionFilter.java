package org.labcommons.core.web.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.labcommons.core.problem.Problems;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * Finds the browser's session for every page request and protects state-changing requests
 * against cross-site request forgery: a POST, PUT, PATCH or DELETE outside the bearer-token API
 * must come with the session's CSRF token (form field {@code _csrf} or header
 * {@code X-CSRF-Token}), and, when the browser sends an Origin, from our own origin.
 */
@ServerFilter(patterns = {"/**"})
public class SessionFilter {
    public static final String CSRF_FIELD = "_csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.TRACE);

    private final WebSessions sessions;
    private final Problems problems;

    public SessionFilter(WebSessions sessions, Problems problems) {
        this.sessions = sessions;
        this.problems = problems;
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    public HttpResponse<?> filter(HttpRequest<?> request, @Nullable @io.micronaut.http.annotation.Body String body) {
        String path = request.getPath();
        if (path.startsWith("/api/") || path.startsWith("/static/") || path.startsWith("/webjars/")
                || path.startsWith("/health") || path.startsWith("/prometheus")) {
            return null;
        }
        WebSession session = request.getCookies().findCookie(WebSession.COOKIE).map(Cookie::getValue)
                .flatMap(sessions::find).orElse(null);
        if (session != null) {
            request.setAttribute(WebSession.ATTRIBUTE, session);
        }
        if (SAFE.contains(request.getMethod())) {
            return null;
        }
        String origin = request.getHeaders().get("Origin");
        if (origin != null && !origin.equals(ownOrigin(request))) {
            return problems.response(request, HttpStatus.FORBIDDEN, "csrf");
        }
        String token = request.getHeaders().get(CSRF_HEADER);
        if (token == null && body != null && request.getContentType()
                .map(t -> t.matches(io.micronaut.http.MediaType.APPLICATION_FORM_URLENCODED_TYPE)).orElse(false)) {
            token = formField(body, CSRF_FIELD);
        }
        if (token == null && body != null && request.getContentType()
                .map(t -> t.matches(io.micronaut.http.MediaType.MULTIPART_FORM_DATA_TYPE)).orElse(false)) {
            // a plain multipart form (no JavaScript) sends the token as its own part
            token = multipartField(body, CSRF_FIELD);
        }
        if (session == null || token == null || !MessageDigest.isEqual(
                token.getBytes(StandardCharsets.UTF_8), session.csrfToken().getBytes(StandardCharsets.UTF_8))) {
            return problems.response(request, HttpStatus.FORBIDDEN, "csrf");
        }
        return null;
    }

    /** The first value of {@code name} in an application/x-www-form-urlencoded body. */
    static String formField(String body, String name) {
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String key = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** The value of the simple (non-file) part {@code name} of a multipart/form-data body, or null. */
    static String multipartField(String body, String name) {
        String marker = "Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n";
        int at = body.indexOf(marker);
        if (at < 0) {
            return null;
        }
        int start = at + marker.length();
        int end = body.indexOf("\r\n", start);
        return end < 0 ? null : body.substring(start, end);
    }

    private static String ownOrigin(HttpRequest<?> request) {
        String host = request.getHeaders().get("Host");
        return (request.isSecure() ? "https://" : "http://") + host;
    }
}
