package org.labcommons.core.usage.overrides;

import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Staff overrides of an instrument's interlock ({@code interlock_override}): {@code unlock} now (until a time, or
 * until the next end of booking), {@code lock} now, {@code extend} the current use until a time; each with a reason,
 * audited ({@code interlock.override_created}, {@code interlock.override_revoked}) in the same transaction. The usage
 * grant publisher puts the live ones into the instrument's {@code access.grants.v1} record ({@code overrides}), from
 * which the bridge's interlock applies them; after each change an {@link OverridesChanged} event is published for it.
 */
@Singleton
public record InterlockOverrides(TenantTransactions tenants, AuditLog audit, BookingClock clock,
                                 InterlockOverrideRows rows, ApplicationEventPublisher<OverridesChanged> events) {
    /** The actions. */
    public static final Set<String> ACTIONS = Set.of("unlock", "lock", "extend");
    /** The longest an override may run. */
    public static final Duration MAX_SPAN = Duration.ofDays(7);

    /** An override as the API shows it. */
    @Serdeable
    public record Override(UUID id, UUID instrumentId, String action, @Nullable Instant until, String reason,
                           UUID createdBy, Instant createdAt, @Nullable Instant revokedAt) {
        static Override of(InterlockOverrideRows.Row r) {
            return new Override(r.id(), r.instrumentId(), r.action(), r.until(), r.reason(), r.createdBy(), r.createdAt(),
                    r.revokedAt());
        }
    }

    /** The overrides of an instrument changed (after commit): its grant record is due again. */
    public record OverridesChanged(TenantId tenant, UUID instrumentId) {
    }

    /**
     * A new override. 400 {@code validation_failed} names each bad field: {@code action} (not one of
     * {@link #ACTIONS}), {@code reason} (blank or over 1000 characters), {@code until} (missing for extend, not in
     * the future, or more than {@link #MAX_SPAN} ahead); 404 when the tenant has no such instrument.
     */
    public Override create(TenantId tenant, AuditEntry.Actor actor, UUID staff, UUID instrumentId, @Nullable String action,
                           @Nullable Instant until, @Nullable String reason) {
        Instant now = clock.now();
        List<ProblemException.FieldProblem> problems = new ArrayList<>();
        if (action == null || !ACTIONS.contains(action)) {
            problems.add(new ProblemException.FieldProblem("action", "pattern", "validation.pattern", Map.of()));
        }
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty()) {
            problems.add(new ProblemException.FieldProblem("reason", "not_blank", "validation.not_blank", Map.of()));
        } else if (why.length() > 1000) {
            problems.add(new ProblemException.FieldProblem("reason", "size", "validation.size", Map.of("min", 1, "max", 1000)));
        }
        if (until == null && "extend".equals(action)) {
            problems.add(new ProblemException.FieldProblem("until", "not_null", "validation.not_null", Map.of()));
        } else if (until != null && !until.isAfter(now)) {
            problems.add(new ProblemException.FieldProblem("until", "future", "validation.future", Map.of()));
        } else if (until != null && until.isAfter(now.plus(MAX_SPAN))) {
            problems.add(new ProblemException.FieldProblem("until", "max", "validation.max",
                    Map.of("value", now.plus(MAX_SPAN).toString())));
        }
        if (!problems.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
        }
        Override made = tenants.inTenant(tenant, c -> {
            if (rows.instrument(instrumentId).isEmpty()) {
                throw ProblemException.notFound();
            }
            UUID id = UUID.randomUUID();
            rows.insert(id, instrumentId, action, until, why, staff, now);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("overrideId", id.toString());
            details.put("action", action);
            if (until != null) {
                details.put("until", until.toString());
            }
            details.put("reason", why);
            audit.append(c, actor.entry("interlock.override_created", "instrument", instrumentId.toString(), details));
            return Override.of(rows.find(instrumentId, id).orElseThrow());
        });
        events.publishEvent(new OverridesChanged(tenant, instrumentId));
        return made;
    }

    /** Revokes an override (404 when the instrument has no such override, 409 {@code wrong_state} when revoked). */
    public Override revoke(TenantId tenant, AuditEntry.Actor actor, UUID instrumentId, UUID overrideId) {
        Instant now = clock.now();
        Override revoked = tenants.inTenant(tenant, c -> {
            InterlockOverrideRows.Row row = rows.find(instrumentId, overrideId).orElseThrow(ProblemException::notFound);
            if (rows.revoke(instrumentId, overrideId, now) == 0) {
                throw new ProblemException(HttpStatus.CONFLICT, "wrong_state");
            }
            audit.append(c, actor.entry("interlock.override_revoked", "instrument", instrumentId.toString(),
                    Map.of("overrideId", overrideId.toString(), "action", row.action())));
            return Override.of(rows.find(instrumentId, overrideId).orElseThrow());
        });
        events.publishEvent(new OverridesChanged(tenant, instrumentId));
        return revoked;
    }

    /** An instrument's live overrides (not revoked, not past), or all of them (at most 200), newest first. */
    public List<Override> list(TenantId tenant, UUID instrumentId, boolean all) {
        Instant now = clock.now();
        return tenants.inTenant(tenant, c -> rows.list(instrumentId, all, now).stream().map(Override::of).toList());
    }
}
