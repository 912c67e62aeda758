package org.labcommons.core.events;

/**
 * A record that can never be handled (not an envelope, a forged tenant header, a payload missing
 * what the handler needs): it goes to the dead-letter topic at once, without retries.
 */
public class PoisonEventException extends RuntimeException {
    public PoisonEventException(String message) {
        super(message);
    }

    public PoisonEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
