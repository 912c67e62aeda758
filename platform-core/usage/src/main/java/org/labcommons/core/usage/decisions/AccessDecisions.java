package org.labcommons.core.usage.decisions;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The access decisions the bridge's interlock made ({@code access.decisions.v1}), as kept in {@code access_decision}:
 * {@link #record} (idempotent on the tenant and the request id) and {@link #forInstrument} (staff pages and the API).
 */
@Singleton
public record AccessDecisions(TenantTransactions tenants, DecisionRows rows) {

    /** One decision as the API answers it. */
    @Serdeable
    public record Decision(UUID requestId, UUID deviceId, @Nullable UUID instrumentId, String method, String purpose,
                           @Nullable UUID userId, String decision, @Nullable String reason, @Nullable UUID bookingId,
                           @Nullable UUID sessionId, Instant decidedAt, @Nullable Long viewVersion) {
        static Decision of(DecisionRows.Row r) {
            return new Decision(r.requestId(), r.deviceId(), r.instrumentId(), r.method(), r.purpose(), r.userId(),
                    r.decision(), r.reason(), r.bookingId(), r.sessionId(), r.decidedAt(), r.viewVersion());
        }
    }

    /** A page of decisions. */
    @Serdeable
    public record Page(List<Decision> items, long total, int page, int size) {
    }

    /** Stores a decision in its tenant; true when it was new. */
    public boolean record(TenantId tenant, DecisionRows.Row d) {
        return tenants.inTenant(tenant, c -> rows.insert(d.requestId(), d.deviceId(), d.instrumentId(), d.method(),
                d.purpose(), d.userId(), d.decision(), d.reason(), d.bookingId(), d.sessionId(), d.decidedAt(),
                d.viewVersion()) == 1);
    }

    /** An instrument's decisions, newest first. */
    public Page forInstrument(TenantId tenant, UUID instrumentId, int page, int size) {
        return tenants.inTenant(tenant, c -> new Page(rows.forInstrument(instrumentId, page * size, size).stream().map(Decision::of).toList(),
                rows.countForInstrument(instrumentId), page, size));
    }
}
