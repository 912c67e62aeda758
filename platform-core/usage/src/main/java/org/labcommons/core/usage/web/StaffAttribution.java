package org.labcommons.core.usage.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.usage.booked.SessionInputs;
import org.labcommons.core.usage.booked.UsageSession;
import org.labcommons.core.usage.booked.UsageSessions;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@link SessionAttribution} for the staff queue's form: the same operation as the API's
 * {@code POST /api/v1/usage/sessions/{id}/attribution} ({@link UsageSessions#attribute}: a correction beside the
 * measured values, audited, {@code usage.session.changed}), with the page's stricter rules on top: a reason is
 * required, and a session no longer unattributed answers 409 {@code session_already_attributed}.
 */
@Singleton
public record StaffAttribution(UsageSessions sessions) implements SessionAttribution {
    static final int MAX_REASON = 1000;

    @Override
    public Attributed attribute(AuthenticatedUser staff, UUID sessionId, UUID userId, @Nullable UUID bookingId,
                                String reason) {
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty() || why.length() > MAX_REASON) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(new FieldProblem("reason",
                    "size", "validation.usage.reason", Map.of("max", MAX_REASON))));
        }
        UsageSession.Detail done;
        try {
            done = sessions.attribute(staff, sessionId, new SessionInputs.Attribution(userId, bookingId, why));
        } catch (ProblemException e) {
            if (e.status() == HttpStatus.CONFLICT) {
                throw new ProblemException(HttpStatus.CONFLICT, "session_already_attributed");
            }
            throw e;
        }
        UsageSession s = done.session();
        return new Attributed(s.id(), s.instrumentId(), s.userId(), s.bookingId(), s.link());
    }
}
