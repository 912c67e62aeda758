package org.labcommons.core.billing.charges;

import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Instruments' charge policies ({@code charge_policy}): read with defaults, set by those who manage the instrument (audited). */
@Singleton
public record ChargePolicies(TenantTransactions tenants, ChargePolicyRows rows, AuditLog audit, BookingClock clock) {

    /** The instrument's policy, or the defaults ({@link ChargePolicy#defaults}). */
    public ChargePolicy of(TenantId tenant, UUID instrumentId) {
        return tenants.inTenant(tenant, c -> of(c, instrumentId));
    }

    /** The same, in the caller's transaction. */
    ChargePolicy of(Connection c, UUID instrumentId) {
        return rows.find(instrumentId).map(s -> new ChargePolicy(s.instrumentId(), s.basis(), s.reviewRequired(),
                s.cancelFreeHours(), s.cancelFeeBp(), s.noShowFeeBp(), s.version(), s.updatedAt(), s.updatedBy()))
                .orElseGet(() -> ChargePolicy.defaults(instrumentId));
    }

    /** Sets the policy (fields left null keep their value); 400 {@code validation_failed} with a field error per bad field. */
    public ChargePolicy set(TenantId tenant, AuditEntry.Actor actor, UUID userId, UUID instrumentId, ChargePolicy.Input in) {
        List<FieldProblem> problems = new ArrayList<>();
        if (in.basis() != null && !List.of("measured", "booked").contains(in.basis())) {
            problems.add(new FieldProblem("basis", "one_of", "charge.validation.basis", Map.of("values", "measured, booked")));
        }
        range(problems, "cancelFreeHours", in.cancelFreeHours(), 720);
        range(problems, "cancelFeeBp", in.cancelFeeBp(), 10_000);
        range(problems, "noShowFeeBp", in.noShowFeeBp(), 10_000);
        if (!problems.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
        }
        return tenants.inTenant(tenant, c -> {
            ChargePolicy now = of(c, instrumentId);
            ChargePolicy next = new ChargePolicy(instrumentId, in.basis() == null ? now.basis() : in.basis(),
                    in.reviewRequired() == null ? now.reviewRequired() : in.reviewRequired(),
                    in.cancelFreeHours() == null ? now.cancelFreeHours() : in.cancelFreeHours(),
                    in.cancelFeeBp() == null ? now.cancelFeeBp() : in.cancelFeeBp(),
                    in.noShowFeeBp() == null ? now.noShowFeeBp() : in.noShowFeeBp(), 0, null, null);
            rows.upsert(instrumentId, next.basis(), next.reviewRequired(), next.cancelFreeHours(), next.cancelFeeBp(),
                    next.noShowFeeBp(), clock.now(), userId);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("basis", next.basis());
            details.put("reviewRequired", next.reviewRequired());
            details.put("cancelFreeHours", next.cancelFreeHours());
            details.put("cancelFeeBp", next.cancelFeeBp());
            details.put("noShowFeeBp", next.noShowFeeBp());
            audit.append(c, actor.entry("charge_policy.set", "instrument", instrumentId.toString(), details));
            return of(c, instrumentId);
        });
    }

    private static void range(List<FieldProblem> problems, String field, Integer value, int max) {
        if (value != null && (value < 0 || value > max)) {
            problems.add(new FieldProblem(field, "range", "charge.validation.range", Map.of("min", 0, "max", max)));
        }
    }
}
