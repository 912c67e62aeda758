package org.labcommons.core.usage.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.booking.BookingAccess;
import org.labcommons.core.catalog.CatalogueAccess;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.tenancy.TenantTransactions;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@link SessionAttribution} on {@code usage_session}: in one transaction of the staff's acting tenant
 * the session is locked, checked (still unattributed, an instrument the caller manages, the booking one
 * of the same instrument), given its person, booking and link, and the change is written to the audit
 * log ({@code usage.session.attributed}, with the reason).
 */
@Singleton
public record StaffAttribution(TenantTransactions tenants, AttributionRows rows, BookingAccess access, AuditLog audit)
        implements SessionAttribution {
    static final int MAX_REASON = 1000;

    @Override
    public Attributed attribute(AuthenticatedUser staff, UUID sessionId, UUID userId, @Nullable UUID bookingId,
                                String reason) {
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty() || why.length() > MAX_REASON) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(new FieldProblem("reason",
                    "size", "validation.usage.reason", Map.of("max", MAX_REASON))));
        }
        UUID instrument = tenants.inTenant(staff.actingTenant(), c -> rows.lockSession(sessionId)
                .map(UsagePageRows.SessionRow::instrumentId)).orElseThrow(ProblemException::notFound);
        access.managed(staff, instrument);
        return tenants.inTenant(staff.actingTenant(), c -> {
            UsagePageRows.SessionRow s = rows.lockSession(sessionId).orElseThrow(ProblemException::notFound);
            if (!"unattributed".equals(s.link())) {
                throw new ProblemException(HttpStatus.CONFLICT, "session_already_attributed");
            }
            if (bookingId != null && !rows.bookingInstrument(bookingId).map(s.instrumentId()::equals).orElse(false)) {
                throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(new FieldProblem(
                        "bookingId", "booking", "validation.usage.booking", Map.of())));
            }
            String link = bookingId == null ? "unbooked" : "booked";
            if (rows.attribute(sessionId, userId, bookingId, link) != 1) {
                throw new ProblemException(HttpStatus.CONFLICT, "session_already_attributed");
            }
            Map<String, Object> details = new HashMap<>();
            details.put("userId", userId.toString());
            details.put("link", link);
            details.put("reason", why);
            if (bookingId != null) {
                details.put("bookingId", bookingId.toString());
            }
            audit.append(c, CatalogueAccess.actor(staff).entry("usage.session.attributed", "usage_session",
                    sessionId.toString(), details));
            return new Attributed(sessionId, s.instrumentId(), userId, bookingId, link);
        });
    }
}
