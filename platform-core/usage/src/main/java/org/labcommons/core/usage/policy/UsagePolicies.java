package org.labcommons.core.usage.policy;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;
import org.labcommons.core.usage.grants.GrantPublisher;

import java.math.BigDecimal;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Each instrument's thresholds (power rule of the session builder) and interlock policy ({@code usage_policy}): a
 * null value means the default of {@code labcommons.usage.*}. A change is validated (field errors), audited
 * ({@code usage_policy.changed}) and republishes the instrument's grant record after it committed.
 */
@Singleton
public record UsagePolicies(TenantTransactions tenants, UsagePolicyRows rows, AuditLog audit, BookingClock clock,
                            InterlockDefaults defaults, GrantPublisher grants) {

    /** What a caller sets: every member optional (null: the default). */
    @Serdeable
    public record Input(@Nullable BigDecimal onWatts, @Nullable Integer onSustainS, @Nullable Integer offAfterS,
                        @Nullable Integer mergeGapS, @Nullable Integer minSessionS, @Nullable Boolean walkUp,
                        @Nullable String failMode, @Nullable Integer earlyGraceMin, @Nullable Integer endGraceMin,
                        @Nullable Integer warnBeforeMin) {
    }

    /** The interlock policy in force (defaults filled in), as the grant record carries it. */
    @Serdeable
    public record Interlock(boolean walkUp, String failMode, int earlyGraceMin, int endGraceMin, int warnBeforeMin) {
    }

    /** An instrument's policy: the stored values (null: default), its version (0: never set) and the interlock in force. */
    @Serdeable
    public record Policy(UUID instrumentId, @Nullable BigDecimal onWatts, @Nullable Integer onSustainS,
                         @Nullable Integer offAfterS, @Nullable Integer mergeGapS, @Nullable Integer minSessionS,
                         @Nullable Boolean walkUp, @Nullable String failMode, @Nullable Integer earlyGraceMin,
                         @Nullable Integer endGraceMin, @Nullable Integer warnBeforeMin, long version,
                         Interlock interlock) {
    }

    /** The instrument's policy; 404 when the tenant has no such instrument. */
    public Policy get(TenantId tenant, UUID instrumentId) {
        return tenants.inTenant(tenant, c -> {
            if (rows.instrumentExists(instrumentId).isEmpty()) {
                throw ProblemException.notFound();
            }
            return read(c, instrumentId);
        });
    }

    /** The instrument's policy inside the caller's transaction (defaults when it has none). */
    public Policy read(Connection c, UUID instrumentId) {
        return rows.find(instrumentId).map(this::toPolicy).orElseGet(() -> new Policy(instrumentId, null, null, null,
                null, null, null, null, null, null, null, 0, interlock(null)));
    }

    /**
     * Replaces the instrument's policy. {@code expectedVersion} (If-Match), when given, must be the current version
     * (0 for never set): otherwise 409 {@code version_conflict}. Republishes the instrument's grant record after the commit.
     */
    public Policy put(TenantId tenant, AuditEntry.Actor actor, UUID by, UUID instrumentId, Input in,
                      @Nullable Long expectedVersion) {
        validate(in);
        Policy saved = tenants.inTenant(tenant, c -> {
            if (rows.instrumentExists(instrumentId).isEmpty()) {
                throw ProblemException.notFound();
            }
            long current = rows.find(instrumentId).map(UsagePolicyRows.Row::version).orElse(0L);
            if (expectedVersion != null && expectedVersion != current) {
                throw new ProblemException(HttpStatus.CONFLICT, "version_conflict", current);
            }
            rows.upsert(instrumentId, in.onWatts(), in.onSustainS(), in.offAfterS(), in.mergeGapS(), in.minSessionS(),
                    in.walkUp(), in.failMode(), in.earlyGraceMin(), in.endGraceMin(), in.warnBeforeMin(), clock.now(), by);
            Policy p = read(c, instrumentId);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("version", p.version());
            Map<String, Object> values = new HashMap<>();
            values.put("onWatts", in.onWatts());
            values.put("onSustainS", in.onSustainS());
            values.put("offAfterS", in.offAfterS());
            values.put("mergeGapS", in.mergeGapS());
            values.put("minSessionS", in.minSessionS());
            values.put("walkUp", in.walkUp());
            values.put("failMode", in.failMode());
            values.put("earlyGraceMin", in.earlyGraceMin());
            values.put("endGraceMin", in.endGraceMin());
            values.put("warnBeforeMin", in.warnBeforeMin());
            details.put("policy", values);
            audit.append(c, actor.entry("usage_policy.changed", "instrument", instrumentId.toString(), details));
            return p;
        });
        grants.republishQuietly(tenant, instrumentId);
        return saved;
    }

    /** The interlock policy in force for a stored row (null: no row). */
    public Interlock interlock(@Nullable UsagePolicyRows.Row r) {
        return new Interlock(
                r != null && r.walkUp() != null ? r.walkUp() : defaults.isWalkUp(),
                r != null && r.failMode() != null ? r.failMode() : defaults.getFailMode(),
                r != null && r.earlyGraceMin() != null ? r.earlyGraceMin() : (int) defaults.getEarlyGrace().toMinutes(),
                r != null && r.endGraceMin() != null ? r.endGraceMin() : (int) defaults.getEndGrace().toMinutes(),
                r != null && r.warnBeforeMin() != null ? r.warnBeforeMin() : (int) defaults.getWarnBefore().toMinutes());
    }

    private Policy toPolicy(UsagePolicyRows.Row r) {
        return new Policy(r.instrumentId(), r.onWatts(), r.onSustainS(), r.offAfterS(), r.mergeGapS(), r.minSessionS(),
                r.walkUp(), r.failMode(), r.earlyGraceMin(), r.endGraceMin(), r.warnBeforeMin(), r.version(), interlock(r));
    }

    /** Field errors for values outside the table's checks (400 {@code validation_failed}). */
    static void validate(Input in) {
        List<FieldProblem> problems = new ArrayList<>();
        if (in.onWatts() != null && (in.onWatts().signum() <= 0 || in.onWatts().compareTo(new BigDecimal("99999999")) > 0
                || in.onWatts().scale() > 2)) {
            problems.add(new FieldProblem("onWatts", "range", "validation.decimal_min", Map.of("value", "0.01")));
        }
        range(problems, "onSustainS", in.onSustainS(), 3600);
        range(problems, "offAfterS", in.offAfterS(), 86400);
        range(problems, "mergeGapS", in.mergeGapS(), 86400);
        range(problems, "minSessionS", in.minSessionS(), 86400);
        range(problems, "earlyGraceMin", in.earlyGraceMin(), 1440);
        range(problems, "endGraceMin", in.endGraceMin(), 1440);
        range(problems, "warnBeforeMin", in.warnBeforeMin(), 1440);
        if (in.failMode() != null && !List.of("closed", "open").contains(in.failMode())) {
            problems.add(new FieldProblem("failMode", "pattern", "validation.pattern", Map.of()));
        }
        if (!problems.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
        }
    }

    private static void range(List<FieldProblem> problems, String field, @Nullable Integer value, int max) {
        if (value == null) {
            return;
        }
        if (value < 0) {
            problems.add(new FieldProblem(field, "min", "validation.min", Map.of("value", 0)));
        } else if (value > max) {
            problems.add(new FieldProblem(field, "max", "validation.max", Map.of("value", max)));
        }
    }
}
