package org.labcommons.core.web;

/**
 * Thrown by a page that needs its caller to be a member of an institution (their bookings, say)
 * when the caller signed in with an account that belongs to none (the consortium's issuer: its
 * home tenant is the consortium, not an institution). Answered with a 403 page in the caller's
 * language that says whom they are signed in as, how to sign in through their institution instead
 * (the institution chooser) and what an outside user can do ({@link PageExceptionHandlers.MembershipRequiredHandler});
 * API clients get problem+json {@code membership_required}.
 */
public class MembershipRequiredException extends RuntimeException {
    public MembershipRequiredException() {
        super("membership of an institution required", null, false, false);
    }
}
