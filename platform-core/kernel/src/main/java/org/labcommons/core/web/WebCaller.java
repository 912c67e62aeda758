package org.labcommons.core.web;

import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import org.labcommons.core.security.AccessPolicy;
import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.security.CallerResolver;
import org.labcommons.core.security.Scope;
import org.labcommons.core.web.auth.LoginController;
import org.labcommons.core.web.auth.WebSession;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Who is behind a page request: the browser's {@link WebSession} turned into the same
 * {@link AuthenticatedUser} the API sees, through the one {@link CallerResolver} path (home tenant
 * from the trusted issuer, acting tenant = home tenant, role assignments there). Resolved at most
 * once per request; the result is also put in the request attribute
 * {@link AuthenticatedUser#ATTRIBUTE}, as the API does.
 *
 * <p>A session whose tenant has been suspended (or whose issuer is no longer trusted) is
 * <em>refused</em>: it gives no caller, and {@link #requireSignIn} answers with the "suspended"
 * 403 page instead of another sign-in that would be refused again.
 *
 * <p>A page method names its caller as a parameter ({@link CallerBinder}): a required
 * {@link AuthenticatedUser} sends an anonymous browser to sign in, a {@code @Nullable} one is null.
 *
 * <pre>{@code
 * @Get("/admin/units") @View("admin/units")
 * public Map<String, Object> list(HttpRequest<?> request, AuthenticatedUser caller) {
 *     web.require(caller, Action.MANAGE_ORGANISATION);
 *     Map<String, Object> model = pages.model(request);
 *     ...
 * }
 * }</pre>
 */
@Singleton
public record WebCaller(CallerResolver resolver, AccessPolicy policy) {
    private static final String RESOLUTION = "labcommons.webCaller";

    /** The browser's session (found by {@code SessionFilter}), whether or not its user is refused. */
    public Optional<WebSession> session(HttpRequest<?> request) {
        return request.getAttribute(WebSession.ATTRIBUTE, WebSession.class);
    }

    /** The signed-in caller; empty when nobody is signed in or the session is refused. */
    public Optional<AuthenticatedUser> caller(HttpRequest<?> request) {
        return resolution(request).flatMap(CallerResolver.Resolution::caller);
    }

    /** True when a session exists but its user may not act (tenant suspended, issuer no longer trusted). */
    public boolean refused(HttpRequest<?> request) {
        return resolution(request).map(r -> r.caller().isEmpty()).orElse(false);
    }

    /**
     * The caller, or (thrown) a redirect to sign-in that returns to this page, or the suspended
     * page for a refused session.
     */
    public AuthenticatedUser requireSignIn(HttpRequest<?> request) {
        Optional<AuthenticatedUser> caller = caller(request);
        if (caller.isPresent()) {
            return caller.get();
        }
        if (refused(request)) {
            throw new PageForbiddenException(PageForbiddenException.SUSPENDED);
        }
        throw new SignInRequiredException(returnPath(request));
    }

    /** The caller if it may do {@code action} on {@code scope}; otherwise sign-in or the 403 page (thrown). */
    public AuthenticatedUser require(HttpRequest<?> request, Action action, Scope scope) {
        return require(requireSignIn(request), action, scope);
    }

    /** {@link #require(HttpRequest, Action, Scope)} on the caller's whole acting tenant. */
    public AuthenticatedUser require(HttpRequest<?> request, Action action) {
        AuthenticatedUser caller = requireSignIn(request);
        return require(request, action, Scope.tenant(caller.actingTenant()));
    }

    /**
     * The signed-in caller (a page's {@link AuthenticatedUser} parameter, {@link CallerBinder}) if it may
     * do {@code action} on {@code scope}; otherwise the 403 page (thrown).
     */
    public AuthenticatedUser require(AuthenticatedUser caller, Action action, Scope scope) {
        if (!policy.allows(caller.roles(), action, scope)) {
            throw new PageForbiddenException(PageForbiddenException.FORBIDDEN);
        }
        return caller;
    }

    /** {@link #require(AuthenticatedUser, Action, Scope)} on the caller's whole acting tenant. */
    public AuthenticatedUser require(AuthenticatedUser caller, Action action) {
        return require(caller, action, Scope.tenant(caller.actingTenant()));
    }

    /** Whether the caller (if any) may do {@code action} on {@code scope}: for showing or hiding controls. */
    public boolean allows(HttpRequest<?> request, Action action, Scope scope) {
        return caller(request).map(c -> policy.allows(c.roles(), action, scope)).orElse(false);
    }

    /** Whether the caller (if any) may do {@code action} somewhere in its acting tenant: for navigation links. */
    public boolean allowsSomewhere(HttpRequest<?> request, Action action) {
        return caller(request).map(c -> policy.allowsSomewhere(c.roles(), action)).orElse(false);
    }

    /** This request's local path and query, as a safe return address. */
    public static String returnPath(HttpRequest<?> request) {
        String query = request.getUri().getRawQuery();
        return LoginController.safeReturnTo(request.getPath() + (query == null || query.isEmpty() ? "" : "?" + query));
    }

    /** {@code /login?returnTo=…} coming back to {@code returnTo} (made safe). */
    public static String loginPath(String returnTo) {
        return "/login?returnTo=" + URLEncoder.encode(LoginController.safeReturnTo(returnTo), StandardCharsets.UTF_8);
    }

    private Optional<CallerResolver.Resolution> resolution(HttpRequest<?> request) {
        Optional<CallerResolver.Resolution> cached = request.getAttribute(RESOLUTION, CallerResolver.Resolution.class);
        if (cached.isPresent()) {
            return cached;
        }
        Optional<WebSession> session = session(request);
        if (session.isEmpty()) {
            return Optional.empty();
        }
        WebSession s = session.get();
        CallerResolver.Resolution r = resolver.resolveSession(s.issuer(), s.subject(), s.displayName(), null);
        request.setAttribute(RESOLUTION, r);
        r.caller().ifPresent(c -> request.setAttribute(AuthenticatedUser.ATTRIBUTE, c));
        return Optional.of(r);
    }
}
