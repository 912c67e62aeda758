package org.labcommons.core.web;

/**
 * Thrown by a page the caller may not use ({@link WebCaller#require}); answered with a 403 page in
 * the caller's language. {@code reason} picks the explanation: {@code forbidden} (no role for
 * this) or {@code suspended} (the caller's institution is suspended).
 */
public class PageForbiddenException extends RuntimeException {
    public static final String FORBIDDEN = "forbidden";
    public static final String SUSPENDED = "suspended";

    private final String reason;

    public PageForbiddenException(String reason) {
        super("page forbidden: " + reason, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
