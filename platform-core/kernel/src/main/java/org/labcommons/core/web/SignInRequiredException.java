package org.labcommons.core.web;

/**
 * Thrown by a page that needs a signed-in person ({@link WebCaller#requireSignIn}); answered with
 * a redirect to {@code /login} that returns to the page afterwards (for htmx requests, an
 * {@code HX-Redirect} header instead, so the whole page moves).
 */
public class SignInRequiredException extends RuntimeException {
    private final String returnTo;

    public SignInRequiredException(String returnTo) {
        super("sign-in required", null, false, false);
        this.returnTo = returnTo;
    }

    /** The local path (and query) to come back to. */
    public String returnTo() {
        return returnTo;
    }
}
