package org.labcommons.core.security;

/**
 * A bearer token was refused. The reason is for logs only: callers always get the same
 * {@code invalid_token} answer, so a probe learns nothing about which rule it broke.
 */
public class InvalidTokenException extends RuntimeException {
    public InvalidTokenException(String reason) {
        super(reason, null, false, false);
    }

    public InvalidTokenException(String reason, Throwable cause) {
        super(reason + ": " + cause.getMessage(), cause, false, false);
    }
}
