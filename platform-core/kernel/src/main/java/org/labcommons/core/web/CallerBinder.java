package org.labcommons.core.web;

import io.micronaut.core.convert.ArgumentConversionContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.bind.binders.PostponedRequestArgumentBinder;
import io.micronaut.http.bind.binders.TypedRequestArgumentBinder;
import jakarta.inject.Singleton;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.security.BearerTokenFilter;

import java.util.Optional;

/**
 * Gives a controller or page method its signed-in caller: a parameter of type
 * {@link AuthenticatedUser}.
 * <ul>
 *   <li>On {@code /api/**} the caller is the one {@link BearerTokenFilter} established; without one
 *       (a public path called without a token) a required parameter is 401 problem+json
 *       {@code invalid_token}.</li>
 *   <li>On a page the caller is the browser session's ({@link WebCaller}); without one a required
 *       parameter redirects to sign-in and back ({@link SignInRequiredException}), or shows the
 *       "suspended" page for a refused session ({@link PageForbiddenException}).</li>
 *   <li>A {@code @Nullable AuthenticatedUser} parameter is null when nobody is signed in (public
 *       endpoints and pages that show more to a signed-in caller).</li>
 * </ul>
 * Bound after the filters, which authenticate the request.
 */
@Singleton
public record CallerBinder(WebCaller web) implements TypedRequestArgumentBinder<AuthenticatedUser>,
        PostponedRequestArgumentBinder<AuthenticatedUser> {
    private static final Argument<AuthenticatedUser> TYPE = Argument.of(AuthenticatedUser.class);
    @Override
    public Argument<AuthenticatedUser> argumentType() {
        return TYPE;
    }

    @Override
    public BindingResult<AuthenticatedUser> bind(ArgumentConversionContext<AuthenticatedUser> context,
                                                 HttpRequest<?> request) {
        Optional<AuthenticatedUser> caller = caller(request);
        if (caller.isPresent() || context.getArgument().isNullable()) {
            return () -> caller;
        }
        if (isApi(request)) {
            throw new ProblemException(HttpStatus.UNAUTHORIZED, "invalid_token");
        }
        AuthenticatedUser signedIn = web.requireSignIn(request);
        return () -> Optional.of(signedIn);
    }

    /** The caller of an API request (from its token) or of a page (from its session), if any. */
    public Optional<AuthenticatedUser> caller(HttpRequest<?> request) {
        return isApi(request) ? request.getAttribute(AuthenticatedUser.ATTRIBUTE, AuthenticatedUser.class)
                : web.caller(request);
    }

    private static boolean isApi(HttpRequest<?> request) {
        return request.getPath().startsWith("/api/");
    }
}
