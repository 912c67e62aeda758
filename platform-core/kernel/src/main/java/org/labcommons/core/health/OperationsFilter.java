package org.labcommons.core.health;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpAttributes;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.labcommons.core.problem.Problems;

import java.security.Principal;

/**
 * Guards the operations endpoints ({@link OperationsAccess} decides):
 * <ul>
 *   <li>{@code /health}, {@code /health/liveness}, {@code /health/readiness} answer everyone with
 *       the status (the probes need nothing more); the details (one component per dependency) only
 *       to the management network and the operator. Micronaut shows details to a request with a
 *       principal ({@code endpoints.health.details-visible: AUTHENTICATED}); this filter gives an
 *       allowed request one, and no one else does on these paths.</li>
 *   <li>{@code /prometheus} is refused: 401 {@code invalid_token} with a {@code WWW-Authenticate:
 *       Bearer} challenge without a valid token, 403 {@code forbidden} with someone else's.</li>
 * </ul>
 */
@ServerFilter({"/health", "/health/**", "/prometheus", "/prometheus/**"})
public class OperationsFilter {
    /** The principal an allowed request carries (the health endpoint only asks whether there is one). */
    private static final Principal OPERATIONS = () -> "operations";

    private final OperationsAccess access;
    private final Problems problems;

    public OperationsFilter(OperationsAccess access, Problems problems) {
        this.access = access;
        this.problems = problems;
    }

    /** Null lets the request through (with details when allowed); otherwise the refusal of the metrics. */
    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    public HttpResponse<?> admit(HttpRequest<?> request) {
        OperationsAccess.Verdict verdict = access.judge(request);
        if (verdict == OperationsAccess.Verdict.ALLOWED) {
            request.setAttribute(HttpAttributes.PRINCIPAL, OPERATIONS);
            return null;
        }
        request.removeAttribute(HttpAttributes.PRINCIPAL.toString(), Object.class);
        if (!request.getPath().startsWith("/prometheus")) {
            return null;
        }
        return switch (verdict) {
            case NOT_OPERATOR -> problems.response(request, HttpStatus.FORBIDDEN, "forbidden");
            case INVALID_TOKEN -> problems.response(request, HttpStatus.UNAUTHORIZED, "invalid_token")
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"labcommons\", error=\"invalid_token\"");
            default -> problems.response(request, HttpStatus.UNAUTHORIZED, "invalid_token")
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"labcommons\"");
        };
    }
}
